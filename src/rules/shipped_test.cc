// The shipped rulebooks (rules/*.toml): they parse, check clean, say what
// LAW.md says, and the strict profile differs from the default only in its
// R&D safeguards.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/check.h"
#include "rules/parser.h"

namespace cloison::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Source(const std::string& rel) {
  return std::string(CLOISON_SOURCE_DIR) + "/" + rel;
}
Time T(std::string_view rfc3339) {
  return *ParseTime(rfc3339);
}
Date D(std::string_view ymd) {
  return *ParseDate(ymd);
}
Period P(std::string_view text) {
  return *ParsePeriod(text);
}

class ShippedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = LoadRulebook(Source("rules/csi-2021.toml"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    book_ = new Rulebook(*std::move(r));
  }
  static void TearDownTestSuite() { delete book_; }

  // The version in force in 2024 (before the L. 852-3 sunset, after the
  // L. 851-3 extension).
  static const Technique& Tech(std::string_view id) {
    const Technique* t = book_->FindTechnique(id, T("2024-09-01T00:00:00Z"));
    EXPECT_NE(t, nullptr) << id;
    static const Technique kNone;
    return t ? *t : kNone;
  }
  static Rulebook* book_;
};
Rulebook* ShippedTest::book_ = nullptr;

TEST(ShippedRulebooksTest, BothLoadAndCheckClean) {
  for (const char* file : {"rules/csi-2021.toml", "rules/csi-2021-strict.toml"}) {
    auto r = LoadAndCheck(Source(file));
    EXPECT_TRUE(r.ok()) << file << ": " << r.status().ToString();
  }
}

TEST(ShippedRulebooksTest, StrictDiffersOnlyInItsSafeguards) {
  auto base = LoadRulebook(Source("rules/csi-2021.toml"));
  auto strict = LoadRulebook(Source("rules/csi-2021-strict.toml"));
  ASSERT_TRUE(base.ok() && strict.ok());
  Rulebook s = *strict;
  EXPECT_EQ(s.id, "csi-2021-strict");
  EXPECT_TRUE(s.rnd.partitioned_storage);          // amendment no. 73
  EXPECT_TRUE(s.rnd.collection_date_register);     // no. 55
  EXPECT_TRUE(s.rnd.algorithm_criteria_required);  // no. 56
  EXPECT_EQ(s.rnd.max_retention, P("P24M"));       // no. 24
  EXPECT_FALSE(*base == s);
  // Put the default's values back: everything else, down to the source line
  // of every citation, must be equal.
  s.id = base->id;
  s.title = base->title;
  s.rnd.partitioned_storage = base->rnd.partitioned_storage;
  s.rnd.collection_date_register = base->rnd.collection_date_register;
  s.rnd.algorithm_criteria_required = base->rnd.algorithm_criteria_required;
  s.rnd.max_retention = base->rnd.max_retention;
  EXPECT_TRUE(*base == s) << "csi-2021-strict.toml drifted from csi-2021.toml";
}

// The example of doc/formats/rulebook.md stays a valid rulebook.
TEST(ShippedRulebooksTest, DocumentedExampleLoadsAndChecksClean) {
  std::ifstream in(Source("doc/formats/rulebook.md"));
  std::ostringstream s;
  s << in.rdbuf();
  std::string doc = s.str();
  size_t start = doc.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  size_t end = doc.find("```", start);
  ASSERT_NE(end, std::string::npos);
  auto r = ParseAndCheck(doc.substr(start, end - start), "rulebook.md");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "example");
  EXPECT_EQ(r->techniques.size(), 1u);
}

TEST_F(ShippedTest, EveryTechniqueOfTheLaw) {
  const char* ids[] = {"L851-1",    "L851-2", "L851-3", "L851-4", "L851-5", "L851-6", "L852-1-I",
                       "L852-1-II", "L852-2", "L852-3", "L853-1", "L853-2", "L853-3"};
  for (const char* id : ids) {
    const Technique* t = book_->FindTechnique(id, T("2021-08-01T00:00:00Z"));
    ASSERT_NE(t, nullptr) << id << " not in force on 2021-08-01";
    EXPECT_FALSE(t->cite.article.empty()) << id;
    EXPECT_EQ(t->validity.from, D("2021-08-01")) << id;
  }
  EXPECT_EQ(book_->techniques.size(), 14u) << "13 techniques, L851-3 in two versions";
}

TEST_F(ShippedTest, Durations) {
  struct Case {
    const char* id;
    const char* first;
    const char* renewal;
  } cases[] = {
      {"L851-1", "P4M", "P4M"},   {"L851-2", "P4M", "P4M"},        {"L851-3", "P2M", "P4M"},
      {"L851-4", "P4M", "P4M"},   {"L851-5", "P4M", "P4M"},        {"L851-6", "P2M", "P2M"},
      {"L852-1-I", "P4M", "P4M"}, {"L852-1-II", "PT48H", "PT48H"}, {"L852-2", "P4M", "P4M"},
      {"L852-3", "P30D", "P30D"}, {"L853-1", "P2M", "P2M"},        {"L853-2", "P2M", "P2M"},
      {"L853-3", "P30D", "P30D"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Tech(c.id).max_first, P(c.first)) << c.id;
    EXPECT_EQ(Tech(c.id).max_renewal, P(c.renewal)) << c.id;
  }
  EXPECT_THAT(Tech("L851-6").duration_cite.note, HasSubstr("(sec.)"));
  EXPECT_THAT(Tech("L852-1-II").duration_cite.note, HasSubstr("(sec.)"));
  EXPECT_THAT(Tech("L853-1").duration_cite.note, HasSubstr("(sec.)"));
}

TEST_F(ShippedTest, Purposes) {
  EXPECT_THAT(Tech("L851-2").purposes, ElementsAre("4"));
  EXPECT_THAT(Tech("L852-3").purposes, ElementsAre("1", "2", "4", "6"));
  EXPECT_THAT(Tech("L851-3").purposes, ElementsAre("1", "2", "4"));
  EXPECT_THAT(Tech("L851-3").purposes_cite.note, HasSubstr("(sec.)"));
  const Technique* before = book_->FindTechnique("L851-3", T("2023-01-01T00:00:00Z"));
  ASSERT_NE(before, nullptr);
  EXPECT_THAT(before->purposes, ElementsAre("4"));
  EXPECT_THAT(Tech("L851-1").purposes, IsEmpty()) << "every purpose";

  std::vector<std::string> ids;
  for (const Purpose& p : book_->purposes) {
    ids.push_back(p.id);
    EXPECT_THAT(p.cite.article, HasSubstr("L. 811-3")) << p.id;
    EXPECT_TRUE(p.validity.from.has_value()) << p.id;
  }
  EXPECT_THAT(ids, ElementsAre("1", "2", "3", "4", "5a", "5b", "5c", "6", "7"));
}

TEST_F(ShippedTest, KindsAndRetention) {
  // 30 days for correspondence (L. 822-2 I 1°), 120 days for chapter III and
  // URLs (2°), 4 years for connection data and location (3°).
  for (const Technique& t : book_->techniques) {
    for (const Retention& r : t.retention) {
      EXPECT_EQ(r.counted_from, "collection") << t.id;
      switch (r.kind) {
        case ItemKind::kCorrespondence:
          EXPECT_EQ(r.period, P("P30D")) << t.id;
          EXPECT_EQ(r.cite.article, "L. 822-2 I 1°") << t.id;
          break;
        case ItemKind::kComputerData:
        case ItemKind::kSoundImage:
        case ItemKind::kUrl:
          EXPECT_EQ(r.period, P("P120D")) << t.id;
          EXPECT_EQ(r.cite.article, "L. 822-2 I 2°") << t.id;
          break;
        case ItemKind::kConnectionData:
        case ItemKind::kLocation:
          EXPECT_EQ(r.period, P("P48M")) << t.id;
          EXPECT_EQ(r.cite.article, "L. 822-2 I 3°") << t.id;
          break;
      }
    }
  }
  EXPECT_THAT(Tech("L852-3").kinds,
              ElementsAre(ItemKind::kCorrespondence, ItemKind::kConnectionData));
  EXPECT_THAT(Tech("L853-2").kinds, ElementsAre(ItemKind::kComputerData));
  EXPECT_THAT(Tech("L853-1").kinds, ElementsAre(ItemKind::kSoundImage));
}

TEST_F(ShippedTest, Switches) {
  std::vector<std::string> quota, no_urgency, no_second_circle, collegial, unrelated;
  for (const Technique& t : book_->techniques) {
    if (!book_->FindTechnique(t.id, T("2024-09-01T00:00:00Z")) ||
        &t != book_->FindTechnique(t.id, T("2024-09-01T00:00:00Z"))) {
      continue;
    }
    if (t.quota_required) quota.push_back(t.id);
    if (!t.urgency_eligible) no_urgency.push_back(t.id);
    if (!t.second_circle_allowed) no_second_circle.push_back(t.id);
    if (t.requires_collegial_opinion) collegial.push_back(t.id);
    if (t.unrelated_max) unrelated.push_back(t.id + " " + t.unrelated_max->ToString());
  }
  EXPECT_THAT(quota, ElementsAre("L851-6", "L852-1-I", "L852-3"));
  EXPECT_THAT(no_urgency, ElementsAre("L851-2", "L851-3", "L853-3"));
  EXPECT_THAT(no_second_circle, ElementsAre("L851-3", "L852-3"));
  EXPECT_THAT(collegial, ElementsAre("L853-2", "L853-3"));
  EXPECT_THAT(unrelated, ElementsAre("L851-6 P90D", "L852-1-II P30D", "L852-3 P30D"));
  const Technique* old_algo = book_->FindTechnique("L851-3", T("2022-01-01T00:00:00Z"));
  ASSERT_NE(old_algo, nullptr);
  EXPECT_FALSE(old_algo->urgency_eligible);
  EXPECT_FALSE(old_algo->second_circle_allowed);

  const Technique& sat = Tech("L852-3");
  EXPECT_TRUE(sat.requires_subsidiarity);
  EXPECT_TRUE(sat.deferred_centralisation_allowed);
  ASSERT_TRUE(sat.window.has_value());
  EXPECT_EQ(sat.window->start, D("2021-08-01"));
  EXPECT_EQ(sat.window->sunset, D("2025-07-31"));
  EXPECT_EQ(sat.window->report_due, D("2025-01-31"));
  EXPECT_EQ(sat.window->cite.article, "L. 852-3");
  EXPECT_EQ(book_->FindTechnique("L852-3", T("2025-08-01T00:00:00Z")), nullptr)
      << "the experiment ends on 2025-07-31";
}

TEST_F(ShippedTest, ServicesAndMinisters) {
  std::vector<std::string> ministers;
  for (const Minister& m : book_->ministers) ministers.push_back(m.id);
  EXPECT_THAT(ministers,
              ElementsAre("defence", "interior", "justice", "economy", "budget", "customs"));
  struct Case {
    const char* id;
    const char* minister;
  } first[] = {{"dgse", "defence"},  {"drm", "defence"},   {"drsd", "defence"},
               {"dgsi", "interior"}, {"dnred", "customs"}, {"tracfin", "economy"}};
  for (const Case& c : first) {
    const Service* s = book_->FindService(c.id, T("2024-01-01T00:00:00Z"));
    ASSERT_NE(s, nullptr) << c.id;
    EXPECT_EQ(s->circle, 1) << c.id;
    EXPECT_EQ(s->minister, c.minister) << c.id;
    EXPECT_THAT(s->cite.article, HasSubstr("L. 811-2")) << c.id;
    EXPECT_TRUE(s->techniques.empty()) << c.id;
  }
  int second = 0;
  for (const Service& s : book_->services) {
    if (s.circle != 2) continue;
    ++second;
    EXPECT_FALSE(s.techniques.empty()) << s.id;
    EXPECT_FALSE(s.purposes.empty()) << s.id;
    EXPECT_THAT(s.cite.article, HasSubstr("L. 811-4")) << s.id;
  }
  EXPECT_GE(second, 1);
}

TEST_F(ShippedTest, Procedure) {
  EXPECT_EQ(book_->opinion.deadline_single, P("PT24H"));
  EXPECT_EQ(book_->opinion.deadline_collegial, P("PT72H"));
  EXPECT_EQ(book_->opinion.cite.article, "L. 821-3");
  EXPECT_EQ(book_->authorisation.max_default, P("P4M"));
  EXPECT_EQ(book_->authorisation.max_default_cite.article, "L. 821-4");
  EXPECT_EQ(book_->authorisation.conseil_etat_ruling, P("PT24H"));
  EXPECT_EQ(book_->authorisation.conseil_etat_cite.article, "L. 821-1");
  EXPECT_THAT(book_->urgency.purposes, ElementsAre("1", "4", "5a"));
  EXPECT_EQ(book_->urgency.justification_due, P("PT24H"));
  EXPECT_EQ(book_->urgency.cite.article, "L. 821-5");
  EXPECT_TRUE(book_->protected_professions.plenary_required);
  EXPECT_TRUE(book_->protected_professions.urgency_forbidden);
  EXPECT_EQ(book_->protected_professions.cite.article, "L. 821-7");
  EXPECT_TRUE(book_->rnd.first_circle_only);
  EXPECT_EQ(book_->rnd.max_retention, P("P60M"));
  EXPECT_EQ(book_->rnd.cite.article, "L. 822-2 III");
  EXPECT_FALSE(book_->rnd.partitioned_storage);
  EXPECT_FALSE(book_->rnd.collection_date_register);
  EXPECT_FALSE(book_->rnd.algorithm_criteria_required);
  EXPECT_EQ(book_->encrypted_ceiling, P("P72M"));
  EXPECT_EQ(book_->encrypted_cite.article, "L. 822-2 I");
  EXPECT_EQ(book_->effective, D("2021-08-01"));
}

}  // namespace
}  // namespace cloison::rules
