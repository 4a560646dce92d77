#include "rules/check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/parser.h"

namespace cloison::rules {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Source(const std::string& rel) {
  return std::string(CLOISON_SOURCE_DIR) + "/" + rel;
}

Date D(std::string_view ymd) {
  return *ParseDate(ymd);
}

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = LoadRulebook(Source("testdata/rules/minimal.toml"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    book_ = *r;
  }

  // The one problem found under `key`; fails the test if there is not exactly one.
  Problem Only(const std::string& key) {
    std::vector<Problem> ps = CheckRulebook(book_);
    std::vector<Problem> match;
    for (const Problem& p : ps) {
      if (p.key == key) match.push_back(p);
    }
    EXPECT_EQ(match.size(), 1u) << key << " in:\n" << FormatProblems("minimal.toml", ps);
    EXPECT_EQ(ps.size(), match.size()) << "other problems:\n" << FormatProblems("minimal.toml", ps);
    return match.empty() ? Problem{} : match[0];
  }

  Technique& tech() { return book_.techniques[0]; }
  Service& svc() { return book_.services[0]; }

  Rulebook book_;
};

TEST_F(CheckTest, MinimalIsClean) {
  EXPECT_THAT(CheckRulebook(book_), IsEmpty());
}

TEST_F(CheckTest, UnknownTechniqueInService) {
  svc().techniques = {"L999-1"};
  Problem p = Only("services[0].techniques[0]");
  EXPECT_EQ(p.line, 43);
  EXPECT_THAT(p.message, HasSubstr("got \"L999-1\", want a technique"));
}

TEST_F(CheckTest, UnknownPurposeInService) {
  svc().purposes = {"4", "8"};
  EXPECT_THAT(Only("services[0].purposes[1]").message, HasSubstr("got \"8\", want a purpose"));
}

TEST_F(CheckTest, UnknownMinister) {
  svc().minister = "army";
  EXPECT_THAT(Only("services[0].minister").message, HasSubstr("got \"army\", want a minister"));
}

TEST_F(CheckTest, UnknownPurposeInTechnique) {
  tech().purposes = {"4", "9"};
  Problem p = Only("techniques[0].purposes[1]");
  EXPECT_EQ(p.line, 26);
  EXPECT_THAT(p.message, HasSubstr("\"9\""));
}

TEST_F(CheckTest, UnknownUrgencyPurpose) {
  book_.urgency.purposes = {"4", "5a"};
  EXPECT_THAT(Only("urgency.purposes[1]").message, HasSubstr("got \"5a\""));
}

TEST_F(CheckTest, MaxFirstOverTheGeneralCap) {
  tech().max_first = Period{5, 0, 0};
  Problem p = Only("techniques[0].max_first");
  EXPECT_EQ(p.line, 24);
  EXPECT_EQ(p.message, "got P5M, want at most P4M (L. 821-4)");
}

TEST_F(CheckTest, MaxRenewalOverTheGeneralCap) {
  tech().max_renewal = Period{4, 1, 0};
  EXPECT_EQ(Only("techniques[0].max_renewal").message, "got P4M1D, want at most P4M (L. 821-4)");
}

TEST_F(CheckTest, DaysOverTheCapInSomeMonths) {
  // 122 days is under 4 months from 1 July (123 days) but over it from 1 November.
  tech().max_first = Period{0, 122, 0};
  EXPECT_THAT(Only("techniques[0].max_first").message, HasSubstr("got P122D"));
}

TEST_F(CheckTest, RetentionForAKindNotCollected) {
  tech().retention.push_back(
      {ItemKind::kUrl, {0, 120, 0}, "collection", std::nullopt, {"L. 822-2 I 2°", 50, ""}});
  Problem p = Only("techniques[0].retention[1].kind");
  EXPECT_EQ(p.line, 50);
  EXPECT_THAT(p.message, HasSubstr("got \"url\", want a kind L852-3 collects"));
}

TEST_F(CheckTest, CollectedKindWithoutRetention) {
  tech().kinds.push_back(ItemKind::kConnectionData);
  EXPECT_THAT(Only("techniques[0].kinds").message,
              HasSubstr("got \"connection_data\" with no [[techniques.retention]]"));
}

TEST_F(CheckTest, DuplicateRetentionKind) {
  tech().retention.push_back(tech().retention[0]);
  EXPECT_THAT(Only("techniques[0].retention[1].kind").message, HasSubstr("again"));
}

TEST_F(CheckTest, BadCountedFrom) {
  tech().retention[0].counted_from = "arrival";
  EXPECT_THAT(Only("techniques[0].retention[0].counted_from").message,
              HasSubstr("got \"arrival\""));
}

TEST_F(CheckTest, OverlappingVersions) {
  Technique v2 = tech();
  v2.validity = {D("2025-07-31"), std::nullopt};  // overlaps on its first day
  v2.window.reset();
  book_.techniques.push_back(v2);
  EXPECT_THAT(Only("techniques[1].id").message,
              HasSubstr("want validity windows that do not overlap those of techniques[0]"));
}

TEST_F(CheckTest, DisjointVersionsAreFine) {
  Technique v2 = tech();
  v2.validity = {D("2025-08-01"), std::nullopt};
  v2.window.reset();
  book_.techniques.push_back(v2);
  EXPECT_THAT(CheckRulebook(book_), IsEmpty());
}

TEST_F(CheckTest, OpenEndedVersionsOverlap) {
  Purpose p2 = book_.purposes[0];
  p2.validity = {};
  book_.purposes.push_back(p2);
  EXPECT_THAT(Only("purposes[1].id").message, HasSubstr("\"4\""));
}

TEST_F(CheckTest, DuplicateMinister) {
  book_.ministers.push_back(book_.ministers[0]);
  EXPECT_THAT(Only("ministers[1].id").message, HasSubstr("\"interior\" again"));
}

TEST_F(CheckTest, WindowStartAfterSunset) {
  tech().window->start = D("2025-08-01");
  Problem p = Only("techniques[0].window.start");
  EXPECT_EQ(p.line, 38);
  EXPECT_THAT(p.message, HasSubstr("got 2025-08-01, want a date on or before sunset 2025-07-31"));
}

TEST_F(CheckTest, ReportDueLessThanSixMonthsBeforeSunset) {
  tech().window->report_due = D("2025-02-01");
  EXPECT_THAT(Only("techniques[0].window.report_due").message,
              HasSubstr("got 2025-02-01, want on or before 2025-01-31, six months before sunset"));
}

TEST_F(CheckTest, ValidityFromAfterUntil) {
  tech().validity = {D("2025-08-01"), D("2025-07-31")};
  Problem p = Only("techniques[0].until");
  EXPECT_EQ(p.line, 19);
  EXPECT_THAT(p.message, HasSubstr("got 2025-07-31, want a date on or after from 2025-08-01"));
}

TEST_F(CheckTest, SecondCircleServiceWithForbiddenTechnique) {
  tech().second_circle_allowed = false;
  tech().second_circle_cite = {"L. 852-3", 30, "amendment no. 90"};
  svc().circle = 2;
  svc().techniques = {"L852-3"};
  EXPECT_THAT(Only("services[0].techniques[0]").message,
              HasSubstr("got \"L852-3\" for a second-circle service, want a technique with "
                        "second_circle_allowed (L. 852-3)"));
  // The same list is fine for a first-circle service.
  svc().circle = 1;
  EXPECT_THAT(CheckRulebook(book_), IsEmpty());
}

TEST_F(CheckTest, SecondCircleServiceMustListTechniques) {
  svc().circle = 2;
  EXPECT_THAT(Only("services[0].techniques").message, HasSubstr("L. 811-4"));
}

TEST_F(CheckTest, CircleIsOneOrTwo) {
  svc().circle = 3;
  EXPECT_EQ(Only("services[0].circle").message, "got 3, want 1 (L. 811-2) or 2 (L. 811-4)");
}

TEST_F(CheckTest, MissingArticles) {
  tech().cite.article.clear();
  EXPECT_THAT(Only("techniques[0].article").message, HasSubstr("missing article"));
  SetUp();
  svc().cite.article.clear();
  EXPECT_EQ(Only("services[0].article").line, 43);
  SetUp();
  tech().retention[0].cite.article.clear();
  EXPECT_EQ(Only("techniques[0].retention[0].article").line, 33);
  SetUp();
  tech().quota_required = true;  // a switch turned on needs its article
  Only("techniques[0].quota_article");
  SetUp();
  book_.encrypted_cite.article.clear();
  Only("encrypted.article");
  SetUp();
  book_.authorisation.conseil_etat_cite.article.clear();
  Only("authorisation.conseil_etat_article");
  SetUp();
  tech().window->cite.article.clear();
  Only("techniques[0].window.article");
}

TEST_F(CheckTest, SeveralProblemsAreAllReported) {
  tech().max_first = Period{6, 0, 0};
  svc().circle = 0;
  svc().minister = "army";
  EXPECT_EQ(CheckRulebook(book_).size(), 3u);
}

TEST(PeriodLongerTest, ComparesOverEveryMonthStart) {
  EXPECT_TRUE(PeriodLonger({1, 0, 0}, {0, 30, 0}));  // from 1 January
  EXPECT_TRUE(PeriodLonger({0, 30, 0}, {1, 0, 0}));  // from 1 February
  EXPECT_FALSE(PeriodLonger({4, 0, 0}, {4, 0, 0}));
  EXPECT_FALSE(PeriodLonger({0, 0, 48}, {0, 2, 0}));
  EXPECT_FALSE(PeriodLonger({0, 2, 0}, {0, 0, 48}));
  EXPECT_TRUE(PeriodLonger({0, 0, 49}, {0, 2, 0}));
  EXPECT_FALSE(PeriodLonger({2, 0, 0}, {4, 0, 0}));
  EXPECT_TRUE(PeriodLonger({0, 32, 0}, {1, 0, 0}));
}

TEST(LoadAndCheckTest, ListsProblemsWithFileLineAndKey) {
  std::string path = Source("testdata/rules/contradiction.toml");
  auto r = LoadAndCheck(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(
      r.status().message(),
      HasSubstr(path + ":24: techniques[0].max_first: got P6M, want at most P4M (L. 821-4)"));
  EXPECT_THAT(r.status().message(),
              HasSubstr(path + ":43: services[0].minister: got \"army\", want a minister"));
}

TEST(LoadAndCheckTest, ParseErrorsPassThrough) {
  auto r = LoadAndCheck(Source("testdata/rules/bad_period.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("bad_period.toml:24: techniques[0].max_first"));
}

TEST(LoadAndCheckTest, CleanFileLoads) {
  auto r = LoadAndCheck(Source("testdata/rules/minimal.toml"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "minimal");
}

TEST(FormatProblemsTest, CapsTheList) {
  std::vector<Problem> ps(5, Problem{"k", 3, "m"});
  EXPECT_EQ(FormatProblems("f", ps, 2), "f:3: k: m\nf:3: k: m\n... and 3 more");
  EXPECT_EQ(FormatProblems("f", {}), "");
}

}  // namespace
}  // namespace cloison::rules
