#include "rules/evaluator.h"

#include <gtest/gtest.h>

#include "rules/parser.h"

namespace cloison::rules {
namespace {

std::string Source(const std::string& rel) {
  return std::string(CLOISON_SOURCE_DIR) + "/" + rel;
}

Time T(std::string_view rfc3339) {
  return *ParseTime(rfc3339);
}

class EvaluatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = LoadRulebook(Source("rules/csi-2021.toml"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    book_ = new Rulebook(*std::move(r));
    auto s = LoadRulebook(Source("rules/csi-2021-strict.toml"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    strict_ = new Rulebook(*std::move(s));
  }
  static void TearDownTestSuite() {
    delete book_;
    delete strict_;
  }
  const Technique& Tech(std::string_view id) {
    const Technique* t = book_->FindTechnique(id, T("2024-01-10T00:00:00Z"));
    EXPECT_NE(t, nullptr) << id;
    static const Technique kNone;
    return t ? *t : kNone;
  }
  static Rulebook* book_;
  static Rulebook* strict_;
};
Rulebook* EvaluatorTest::book_ = nullptr;
Rulebook* EvaluatorTest::strict_ = nullptr;

TEST_F(EvaluatorTest, SatelliteCorrespondenceIsKept30Days) {
  auto t = DestroyBy(*book_, Tech("L852-3"), ItemKind::kCorrespondence, T("2024-01-10T08:00:00Z"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, T("2024-02-09T08:00:00Z"));
}

TEST_F(EvaluatorTest, ComputerDataIsKept120Days) {
  auto t = DestroyBy(*book_, Tech("L853-2"), ItemKind::kComputerData, T("2024-01-10T08:00:00Z"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, T("2024-05-09T08:00:00Z"));  // 2024 is a leap year: 21+29+31+30+9
}

TEST_F(EvaluatorTest, ConnectionDataIsKeptFourYears) {
  auto t = DestroyBy(*book_, Tech("L851-1"), ItemKind::kConnectionData, T("2022-03-01T00:00:00Z"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, T("2026-03-01T00:00:00Z"));
  auto leap =
      DestroyBy(*book_, Tech("L851-1"), ItemKind::kConnectionData, T("2024-02-29T10:00:00Z"));
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(*leap, T("2028-02-29T10:00:00Z"));
}

TEST_F(EvaluatorTest, FullUrlsAreKept120Days) {
  auto t = DestroyBy(*book_, Tech("L851-2"), ItemKind::kUrl, T("2023-01-01T00:00:00Z"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, T("2023-05-01T00:00:00Z"));
}

TEST_F(EvaluatorTest, KindNotCollectedIsAnError) {
  auto t = DestroyBy(*book_, Tech("L852-3"), ItemKind::kUrl, T("2024-01-10T08:00:00Z"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "kind: got \"url\", want a kind L852-3 collects (L. 852-3)");
  EXPECT_FALSE(
      DestroyBy(*book_, Tech("L853-3"), ItemKind::kSoundImage, T("2024-01-10T08:00:00Z")).ok());
}

TEST_F(EvaluatorTest, CollectedKindWithoutRuleIsAnError) {
  Technique t = Tech("L852-3");
  t.retention.clear();
  auto r = DestroyBy(*book_, t, ItemKind::kCorrespondence, T("2024-01-10T08:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no retention rule"), std::string::npos);
}

TEST_F(EvaluatorTest, RetentionCeilingCaps) {
  Technique t = Tech("L852-3");
  t.retention[0].ceiling = Period{0, 10, 0};
  auto r = DestroyBy(*book_, t, ItemKind::kCorrespondence, T("2024-01-10T08:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, T("2024-01-20T08:00:00Z"));
}

TEST_F(EvaluatorTest, EncryptedDataCountsFromDecryptionUnderTheCeiling) {
  const Technique& t = Tech("L852-3");
  Time collected = T("2024-01-10T08:00:00Z");
  // Not decrypted: six years after collection (L. 822-2 I).
  auto never = EncryptedDestroyBy(*book_, t, ItemKind::kCorrespondence, collected, std::nullopt);
  ASSERT_TRUE(never.ok());
  EXPECT_EQ(*never, T("2030-01-10T08:00:00Z"));
  // Decrypted a year later: 30 days from decryption.
  auto soon = EncryptedDestroyBy(*book_, t, ItemKind::kCorrespondence, collected,
                                 T("2025-01-10T08:00:00Z"));
  ASSERT_TRUE(soon.ok());
  EXPECT_EQ(*soon, T("2025-02-09T08:00:00Z"));
  // Decrypted days before the ceiling: the ceiling wins.
  auto late = EncryptedDestroyBy(*book_, t, ItemKind::kCorrespondence, collected,
                                 T("2030-01-01T08:00:00Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(*late, T("2030-01-10T08:00:00Z"));
  // A rule counted from decryption, asked without a decryption time: the ceiling.
  Technique d = t;
  d.retention[0].counted_from = "decryption";
  auto r = DestroyBy(*book_, d, ItemKind::kCorrespondence, collected);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, T("2030-01-10T08:00:00Z"));
}

TEST_F(EvaluatorTest, RndRetentionFiveYearsOrTwoInStrict) {
  Time collected = T("2024-02-29T12:00:00Z");
  EXPECT_EQ(RndDestroyBy(*book_, collected), T("2029-02-28T12:00:00Z"));
  EXPECT_EQ(RndDestroyBy(*strict_, collected), T("2026-02-28T12:00:00Z"));
}

TEST_F(EvaluatorTest, UnrelatedDataLimits) {
  Time collected = T("2024-01-10T08:00:00Z");
  EXPECT_EQ(UnrelatedDestroyBy(Tech("L852-3"), collected), T("2024-02-09T08:00:00Z"));
  EXPECT_EQ(UnrelatedDestroyBy(Tech("L851-6"), collected), T("2024-04-09T08:00:00Z"));
  EXPECT_EQ(UnrelatedDestroyBy(Tech("L852-1-II"), collected), T("2024-02-09T08:00:00Z"));
  EXPECT_EQ(UnrelatedDestroyBy(Tech("L851-1"), collected), std::nullopt);
  EXPECT_EQ(UnrelatedDestroyBy(Tech("L852-1-I"), collected), std::nullopt);
}

TEST_F(EvaluatorTest, CollectsAndKindMask) {
  EXPECT_TRUE(Collects(Tech("L852-3"), ItemKind::kCorrespondence));
  EXPECT_TRUE(Collects(Tech("L852-3"), ItemKind::kConnectionData));
  EXPECT_FALSE(Collects(Tech("L852-3"), ItemKind::kSoundImage));
  EXPECT_FALSE(Collects(Tech("L853-3"), ItemKind::kSoundImage));
  EXPECT_EQ(KindMask(Tech("L852-3")), 0b000011);
  EXPECT_EQ(KindMask(Tech("L853-2")), 0b000100);
  EXPECT_EQ(KindMask(Tech("L853-1")), 0b001000);
  EXPECT_EQ(KindMask(Tech("L851-2")), 0b010010);
  EXPECT_EQ(KindMask(Tech("L851-4")), 0b100000);
  EXPECT_EQ(KindMask(Tech("L853-3")), 0);
  for (const Technique& t : book_->techniques) {
    for (ItemKind k : kAllItemKinds) {
      EXPECT_EQ(Collects(t, k), (KindMask(t) >> static_cast<int>(k)) & 1) << t.id;
    }
  }
}

}  // namespace
}  // namespace cloison::rules
