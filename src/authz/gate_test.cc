#include "authz/gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "authz/test_book.h"

// Counts heap allocations while `g_counting` is set, to show that the hot
// path allocates nothing.
namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace cloison::authz {
namespace {

using rules::ItemKind;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::T;
using testing::TestBook;

constexpr auto kHour = std::chrono::hours(1);
constexpr Duration kSkew = std::chrono::minutes(5);

class GateTest : public ::testing::Test {
 protected:
  GateTest() : book_(TestBook()) {
    a_.id = "auth_0000000000000001";
    a_.technique = "L852-1-I";
    a_.state = AuthorisationState::kApproved;
    a_.starts_at = T("2023-03-01T00:00:00Z");
    a_.ends_at = T("2023-03-31T00:00:00Z");
    gate_.Upsert(a_, *book_.FindTechnique("L852-1-I"));
  }
  GateAnswer Check(ItemKind kind, Time collected, Time now) const {
    return gate_.Check(a_.id, kind, collected, now, kSkew);
  }

  rules::Rulebook book_;
  Authorisation a_;
  IngestGate gate_;
};

TEST_F(GateTest, AllowsKindsOfTheTechniqueWhileInForce) {
  Time t = T("2023-03-10T12:00:00Z");
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t, t), GateAnswer::kAllowed);
  EXPECT_EQ(Check(ItemKind::kConnectionData, t, t), GateAnswer::kAllowed);
  EXPECT_EQ(Check(ItemKind::kComputerData, t, t), GateAnswer::kKindNotCollected);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, a_.starts_at, t), GateAnswer::kAllowed);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, a_.starts_at - Duration(1), t),
            GateAnswer::kNotInForce);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, a_.ends_at - Duration(1), a_.ends_at + kHour),
            GateAnswer::kAllowed);  // collected in time, submitted late
  EXPECT_EQ(Check(ItemKind::kCorrespondence, a_.ends_at, a_.ends_at + kHour),
            GateAnswer::kNotInForce);
}

TEST_F(GateTest, UnknownAndFuture) {
  Time t = T("2023-03-10T12:00:00Z");
  EXPECT_EQ(gate_.Check("auth_x", ItemKind::kCorrespondence, t, t, kSkew),
            GateAnswer::kUnknownAuthorisation);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t + kSkew, t), GateAnswer::kAllowed);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t + kSkew + Duration(1), t), GateAnswer::kInFuture);
  gate_.Erase(a_.id);
  EXPECT_EQ(gate_.size(), 0u);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t, t), GateAnswer::kUnknownAuthorisation);
}

TEST_F(GateTest, TerminationSuspensionAndUpdates) {
  Time t = T("2023-03-10T12:00:00Z");
  a_.state = AuthorisationState::kCancelled;
  a_.terminated_at = t;
  gate_.Upsert(a_, *book_.FindTechnique("L852-1-I"));
  EXPECT_EQ(gate_.size(), 1u);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t - kHour, t + kHour), GateAnswer::kAllowed);
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t, t + kHour), GateAnswer::kNotInForce);
  a_.terminated_at.reset();
  gate_.Upsert(a_, *book_.FindTechnique("L852-1-I"));
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t - kHour, t), GateAnswer::kNotInForce);
  a_.state = AuthorisationState::kSuspended;
  gate_.Upsert(a_, *book_.FindTechnique("L852-1-I"));
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t - kHour, t), GateAnswer::kNotInForce);
  a_.state = AuthorisationState::kExpired;
  gate_.Upsert(a_, *book_.FindTechnique("L852-1-I"));
  EXPECT_EQ(Check(ItemKind::kCorrespondence, t - kHour, a_.ends_at + kHour), GateAnswer::kAllowed);
}

TEST_F(GateTest, AwaitingConseilEtatAdmitsFromItsStart) {
  Authorisation b = a_;
  b.id = "auth_2";
  b.state = AuthorisationState::kAwaitingConseilEtat;
  b.starts_at = a_.starts_at + 24 * kHour;
  gate_.Upsert(b, *book_.FindTechnique("L852-1-I"));
  Time t = a_.starts_at + kHour;
  EXPECT_EQ(gate_.Check("auth_2", ItemKind::kCorrespondence, t, t, kSkew), GateAnswer::kNotInForce);
  t = a_.starts_at + 25 * kHour;
  EXPECT_EQ(gate_.Check("auth_2", ItemKind::kCorrespondence, t, t, kSkew), GateAnswer::kAllowed);
}

TEST_F(GateTest, ExplainCitesTheRulebook) {
  Time t = T("2023-03-10T12:00:00Z");
  EXPECT_THAT(gate_.Explain(book_, GateAnswer::kAllowed, a_.id, ItemKind::kUrl, t, t), IsEmpty());
  auto v = gate_.Explain(book_, GateAnswer::kKindNotCollected, a_.id, ItemKind::kUrl, t, t);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "gate.kind");
  EXPECT_EQ(v[0].article, "L. 852-1");
  EXPECT_EQ(v[0].message,
            "kind: got url under L852-1-I, want one of [correspondence, connection_data] "
            "(L. 852-1)");
  v = gate_.Explain(book_, GateAnswer::kNotInForce, a_.id, ItemKind::kCorrespondence,
                    T("2023-04-01T00:00:00Z"), T("2023-04-01T00:00:00Z"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "gate.not_in_force");
  EXPECT_EQ(v[0].article, "L. 821-1");
  EXPECT_EQ(v[0].message,
            "collected_at: got 2023-04-01T00:00:00Z under auth_0000000000000001, want between "
            "2023-03-01T00:00:00Z and 2023-03-31T00:00:00Z (L. 821-1)");
  v = gate_.Explain(book_, GateAnswer::kUnknownAuthorisation, "auth_x", ItemKind::kUrl, t, t);
  EXPECT_EQ(v.at(0).rule, "gate.unknown_authorisation");
  v = gate_.Explain(book_, GateAnswer::kInFuture, a_.id, ItemKind::kUrl, t + kHour, t);
  EXPECT_EQ(v.at(0).rule, "gate.in_future");
  EXPECT_EQ(GateAnswerName(GateAnswer::kKindNotCollected), "kind_not_collected");
}

TEST_F(GateTest, HotPathDoesNotAllocate) {
  for (int i = 0; i < 1000; ++i) {
    Authorisation b = a_;
    b.id = "auth_" + std::to_string(1000000 + i);
    gate_.Upsert(b, *book_.FindTechnique("L852-1-I"));
  }
  // An id longer than any small-string buffer: a std::string key built from
  // it would allocate.
  const std::string long_id = "auth_unknown_with_a_rather_long_identifier_beyond_sso";
  Time t = T("2023-03-10T12:00:00Z");
  int allowed = 0;
  g_allocations = 0;
  g_counting = true;
  for (int i = 0; i < 1000; ++i) {
    allowed += gate_.Check(a_.id, ItemKind::kCorrespondence, t, t, kSkew) == GateAnswer::kAllowed;
    allowed += gate_.Check(long_id, ItemKind::kCorrespondence, t, t, kSkew) == GateAnswer::kAllowed;
  }
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
  EXPECT_EQ(allowed, 1000);
}

}  // namespace
}  // namespace cloison::authz
