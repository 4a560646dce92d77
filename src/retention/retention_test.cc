// One row per deadline rule of L. 822-2, each citing its article, checked
// against the shipped rulebooks, then driven through a fake clock to show
// that the item's bucket falls due at most 24 h before its deadline and
// never after it.
#include "retention/retention.h"

#include <gtest/gtest.h>

#include <functional>

#include "base/clock.h"
#include "rules/parser.h"

namespace cloison::retention {
namespace {

Time T(std::string_view rfc3339) {
  return *ParseTime(rfc3339);
}

const rules::Rulebook& Book(bool strict) {
  static const rules::Rulebook* book = [] {
    auto r = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new rules::Rulebook(*std::move(r));
  }();
  static const rules::Rulebook* strict_book = [] {
    auto r = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021-strict.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new rules::Rulebook(*std::move(r));
  }();
  return strict ? *strict_book : *book;
}

const Time kCollected = T("2024-03-01T10:00:00Z");

struct Row {
  const char* name;
  const char* article;  // what the law says, checked against the rulebook's cite
  bool strict;
  const char* technique;
  rules::ItemKind kind;
  std::function<Result<Deadline>(const rules::Rulebook&, const rules::Technique&, rules::ItemKind)>
      compute;
  const char* want_by;
  std::string_view want_rule;
};

using K = rules::ItemKind;

void PrintTo(const Row& r, std::ostream* os) {
  *os << r.name;
}

const Row kRows[] = {
    {"correspondence_30_days", "L. 822-2 I 1°", false, "L852-1-I", K::kCorrespondence,
     [](auto& b, auto& t, K k) { return ForKind(b, t, k, kCollected); }, "2024-03-31T10:00:00Z",
     kRuleKind},
    {"chapter_III_120_days", "L. 822-2 I 2°", false, "L853-1", K::kSoundImage,
     [](auto& b, auto& t, K k) { return ForKind(b, t, k, kCollected); }, "2024-06-29T10:00:00Z",
     kRuleKind},
    {"full_url_120_days", "L. 822-2 I 2°", false, "L851-2", K::kUrl,
     [](auto& b, auto& t, K k) { return ForKind(b, t, k, kCollected); }, "2024-06-29T10:00:00Z",
     kRuleKind},
    {"connection_data_4_years", "L. 822-2 I 3°", false, "L851-1", K::kConnectionData,
     [](auto& b, auto& t, K k) { return ForKind(b, t, k, kCollected); }, "2028-03-01T10:00:00Z",
     kRuleKind},
    {"unrelated_satellite_30_days", "L. 852-3", false, "L852-3", K::kCorrespondence,
     [](auto& b, auto& t, K k) { return ForUnrelated(b, t, k, kCollected); },
     "2024-03-31T10:00:00Z", kRuleUnrelated},
    {"unrelated_imsi_catcher_90_days", "L. 851-6", false, "L851-6", K::kConnectionData,
     [](auto& b, auto& t, K k) { return ForUnrelated(b, t, k, kCollected); },
     "2024-05-30T10:00:00Z", kRuleUnrelated},
    {"unrelated_nearby_device_30_days", "L. 852-1 II", false, "L852-1-II", K::kConnectionData,
     [](auto& b, auto& t, K k) { return ForUnrelated(b, t, k, kCollected); },
     "2024-03-31T10:00:00Z", kRuleUnrelated},
    {"unrelated_without_own_limit_keeps_kind", "L. 822-2 I 3°", false, "L851-1", K::kConnectionData,
     [](auto& b, auto& t, K k) { return ForUnrelated(b, t, k, kCollected); },
     "2028-03-01T10:00:00Z", kRuleKind},
    {"encrypted_not_decrypted_6_year_ceiling", "L. 822-2 I", false, "L852-1-I", K::kCorrespondence,
     [](auto& b, auto& t, K k) { return ForEncrypted(b, t, k, kCollected, std::nullopt); },
     "2030-03-01T10:00:00Z", kRuleEncrypted},
    {"encrypted_counted_from_decryption", "L. 822-2 I", false, "L852-1-I", K::kCorrespondence,
     [](auto& b, auto& t, K k) {
       return ForEncrypted(b, t, k, kCollected, T("2025-01-10T00:00:00Z"));
     },
     "2025-02-09T00:00:00Z", kRuleEncrypted},
    {"encrypted_decrypted_late_capped_at_6_years", "L. 822-2 I", false, "L852-1-I",
     K::kCorrespondence,
     [](auto& b, auto& t, K k) {
       return ForEncrypted(b, t, k, kCollected, T("2030-02-20T00:00:00Z"));
     },
     "2030-03-01T10:00:00Z", kRuleEncrypted},
    {"technical_analysis_explicit_end", "L. 822-2 I", false, "L852-1-I", K::kCorrespondence,
     [](auto& b, auto& t, K k) {
       return ForTechnicalAnalysis(b, t, k, kCollected, T("2027-01-01T00:00:00Z"),
                                   "malware sample under analysis", kCollected);
     },
     "2027-01-01T00:00:00Z", kRuleTechnicalAnalysis},
    {"technical_analysis_capped_at_encrypted_ceiling", "L. 822-2 I", false, "L852-1-I",
     K::kCorrespondence,
     [](auto& b, auto& t, K k) {
       return ForTechnicalAnalysis(b, t, k, kCollected, T("2031-01-01T00:00:00Z"),
                                   "malware sample under analysis", kCollected);
     },
     "2030-03-01T10:00:00Z", kRuleTechnicalAnalysis},
    {"rnd_5_years", "L. 822-2 III", false, "L851-1", K::kConnectionData,
     [](auto& b, auto&, K) -> Result<Deadline> { return ForRnd(b, kCollected); },
     "2029-03-01T10:00:00Z", kRuleRnd},
    {"rnd_2_years_strict_profile_amendment_24", "L. 822-2 III", true, "L851-1", K::kConnectionData,
     [](auto& b, auto&, K) -> Result<Deadline> { return ForRnd(b, kCollected); },
     "2026-03-01T10:00:00Z", kRuleRnd},
};

class DeadlineTable : public ::testing::TestWithParam<Row> {};

TEST_P(DeadlineTable, DeadlineRuleArticleAndBucketOnAFakeClock) {
  const Row& row = GetParam();
  const rules::Rulebook& book = Book(row.strict);
  const rules::Technique* t = book.FindTechnique(row.technique, kCollected);
  ASSERT_NE(t, nullptr) << row.technique;
  auto d = row.compute(book, *t, row.kind);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(FormatTime(d->destroy_by), row.want_by);
  EXPECT_EQ(d->rule, row.want_rule);
  EXPECT_EQ(d->article, row.article);

  // Fake clock: the bucket is not due the microsecond before its day
  // starts, is due from the start of its day, which is never after the
  // deadline and at most 24 h before it.
  Date day = BucketDay(d->destroy_by);
  FakeClock clock(kCollected);
  EXPECT_FALSE(IsDue(day, clock.Now()));
  clock.Set(BucketDue(day) - Duration(1));
  EXPECT_FALSE(IsDue(day, clock.Now()));
  EXPECT_LT(LastDueDeadline(clock.Now()), d->destroy_by);
  clock.Set(BucketDue(day));
  EXPECT_TRUE(IsDue(day, clock.Now()));
  EXPECT_GE(LastDueDeadline(clock.Now()), d->destroy_by);
  EXPECT_LE(BucketDue(day), d->destroy_by);
  EXPECT_LT(d->destroy_by - BucketDue(day), std::chrono::hours(24));
  clock.Set(d->destroy_by);
  EXPECT_TRUE(IsDue(day, clock.Now()));
}

INSTANTIATE_TEST_SUITE_P(L822_2, DeadlineTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RetentionTest, TechnicalAnalysisNeedsJustificationAndAFutureEnd) {
  const rules::Rulebook& book = Book(false);
  const rules::Technique* t = book.FindTechnique("L852-1-I", kCollected);
  ASSERT_NE(t, nullptr);
  auto blank = ForTechnicalAnalysis(book, *t, K::kCorrespondence, kCollected,
                                    T("2027-01-01T00:00:00Z"), "  \n", kCollected);
  EXPECT_EQ(blank.status().code(), Code::kInvalidArgument);
  EXPECT_NE(blank.status().message().find("justification"), std::string::npos);
  auto past = ForTechnicalAnalysis(book, *t, K::kCorrespondence, kCollected,
                                   T("2024-01-01T00:00:00Z"), "why", kCollected);
  EXPECT_EQ(past.status().code(), Code::kInvalidArgument);
  EXPECT_NE(past.status().message().find("until"), std::string::npos);
}

TEST(RetentionTest, KindTheTechniqueDoesNotCollectIsNamed) {
  const rules::Rulebook& book = Book(false);
  const rules::Technique* t = book.FindTechnique("L853-1", kCollected);
  ASSERT_NE(t, nullptr);
  auto d = ForKind(book, *t, K::kCorrespondence, kCollected);
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_NE(d.status().message().find("kind: got \"correspondence\""), std::string::npos);
  EXPECT_FALSE(ForEncrypted(book, *t, K::kUrl, kCollected, std::nullopt).ok());
}

TEST(RetentionTest, BucketDayIsTheFloorAndDeadlinesAtMidnightStayInTheirDay) {
  EXPECT_EQ(FormatDate(BucketDay(T("2024-03-31T23:59:59.999999Z"))), "2024-03-31");
  EXPECT_EQ(FormatDate(BucketDay(T("2024-03-31T00:00:00Z"))), "2024-03-31");
  EXPECT_EQ(FormatTime(LastDueDeadline(T("2024-03-31T00:00:00Z"))), "2024-03-31T23:59:59.999999Z");
}

TEST(RetentionTest, CompartmentsAreSanitisedAndSeparate) {
  EXPECT_EQ(Compartment("L852-3"), "L852-3");
  EXPECT_EQ(Compartment("L 852/3:x"), "L_852_3_x");
  EXPECT_EQ(Compartment(""), "_");
  EXPECT_EQ(Compartment(std::string(100, 'a')).size(), 64u);
  EXPECT_EQ(HoldCompartment("hld_0001"), "hold-hld_0001");
  EXPECT_EQ(RndCompartment("prg_0001"), "rnd-prg_0001");
  EXPECT_NE(HoldCompartment("x"), Compartment("x"));
}

}  // namespace
}  // namespace cloison::retention
