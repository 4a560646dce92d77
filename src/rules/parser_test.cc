#include "rules/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cloison::rules {
namespace {

using ::testing::HasSubstr;

std::string Source(const std::string& rel) {
  return std::string(CLOISON_SOURCE_DIR) + "/" + rel;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ParserTest, ReadsTheMinimalRulebook) {
  auto r = LoadRulebook(Source("testdata/rules/minimal.toml"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Rulebook& b = *r;
  EXPECT_EQ(b.id, "minimal");
  EXPECT_EQ(b.version, 1);
  EXPECT_EQ(b.effective, *ParseDate("2021-08-01"));
  ASSERT_EQ(b.purposes.size(), 1u);
  EXPECT_EQ(b.purposes[0].cite.article, "L. 811-3 4°");
  EXPECT_EQ(b.purposes[0].cite.line, 9);
  ASSERT_EQ(b.techniques.size(), 1u);
  const Technique& t = b.techniques[0];
  EXPECT_EQ(t.id, "L852-3");
  EXPECT_EQ(t.cite.line, 19);
  EXPECT_EQ(t.cite.article, "L. 852-3");
  EXPECT_EQ(t.validity.until, *ParseDate("2025-07-31"));
  EXPECT_EQ(t.max_first, (Period{0, 30, 0}));
  EXPECT_EQ(t.max_renewal, t.max_first) << "max_renewal defaults to max_first";
  EXPECT_EQ(t.duration_cite.line, 24) << "the duration cite points at max_first";
  EXPECT_EQ(t.purposes_cite.line, 26);
  EXPECT_EQ(t.purposes, std::vector<std::string>{"4"});
  EXPECT_EQ(t.kinds, std::vector<ItemKind>{ItemKind::kCorrespondence});
  ASSERT_EQ(t.retention.size(), 1u);
  EXPECT_EQ(t.retention[0].counted_from, "collection");
  EXPECT_EQ(t.retention[0].period, (Period{0, 30, 0}));
  EXPECT_EQ(t.retention[0].cite.line, 33);
  EXPECT_TRUE(t.urgency_eligible) << "default";
  EXPECT_TRUE(t.second_circle_allowed) << "default";
  EXPECT_FALSE(t.quota_required) << "default";
  ASSERT_TRUE(t.window.has_value());
  EXPECT_EQ(t.window->report_due, *ParseDate("2025-01-31"));
  EXPECT_EQ(t.window->cite.line, 38);
  ASSERT_EQ(b.services.size(), 1u);
  EXPECT_EQ(b.services[0].circle, 1);
  EXPECT_EQ(b.services[0].minister, "interior");
  EXPECT_TRUE(b.services[0].techniques.empty());
  EXPECT_EQ(b.opinion.deadline_collegial, (Period{0, 0, 72}));
  EXPECT_EQ(b.authorisation.max_default, (Period{4, 0, 0}));
  EXPECT_EQ(b.authorisation.conseil_etat_cite.article, "L. 821-1");
  EXPECT_EQ(b.urgency.purposes, std::vector<std::string>{"4"});
  EXPECT_TRUE(b.protected_professions.plenary_required);
  EXPECT_TRUE(b.rnd.first_circle_only);
  EXPECT_EQ(b.rnd.max_retention, (Period{60, 0, 0}));
  EXPECT_EQ(b.encrypted_ceiling, (Period{72, 0, 0}));
}

// every_key.toml uses every key of the format with a non-default value: each
// must land in its field (and the parser's own "allowed but never read"
// check must not fire).
TEST(ParserTest, ReadsEveryKey) {
  auto r = LoadRulebook(Source("testdata/rules/every_key.toml"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Rulebook& b = *r;
  EXPECT_EQ(b.title, "Every key");
  EXPECT_EQ(b.effective, *ParseDate("2021-08-01"));
  EXPECT_EQ(b.purposes[0].label, "Purpose one");
  EXPECT_EQ(b.purposes[0].cite.note, "purpose note");
  EXPECT_EQ(b.purposes[0].validity.until, *ParseDate("2030-12-31"));
  EXPECT_EQ(b.ministers[0].label, "Defence");
  EXPECT_EQ(b.ministers[0].cite.note, "minister note");
  const Technique& t = b.techniques[0];
  EXPECT_EQ(t.label, "Technique one");
  EXPECT_EQ(t.cite.note, "technique note");
  EXPECT_EQ(t.max_renewal, (Period{2, 0, 0}));
  EXPECT_EQ(t.duration_cite.article, "L. 2");
  EXPECT_EQ(t.duration_cite.note, "duration note");
  EXPECT_EQ(t.purposes_cite.article, "L. 3");
  EXPECT_EQ(t.purposes_cite.note, "purposes note");
  EXPECT_EQ(t.unrelated_max, (Period{0, 10, 0}));
  EXPECT_EQ(t.unrelated_cite.article, "L. 4");
  EXPECT_EQ(t.unrelated_cite.note, "unrelated note");
  EXPECT_FALSE(t.urgency_eligible);
  EXPECT_EQ(t.urgency_cite.article, "L. 5");
  EXPECT_EQ(t.urgency_cite.note, "urgency note");
  EXPECT_TRUE(t.requires_subsidiarity);
  EXPECT_EQ(t.subsidiarity_cite.article, "L. 6");
  EXPECT_EQ(t.subsidiarity_cite.note, "subsidiarity note");
  EXPECT_TRUE(t.deferred_centralisation_allowed);
  EXPECT_EQ(t.deferred_cite.article, "L. 7");
  EXPECT_EQ(t.deferred_cite.note, "deferred note");
  EXPECT_TRUE(t.requires_collegial_opinion);
  EXPECT_EQ(t.collegial_cite.article, "L. 8");
  EXPECT_EQ(t.collegial_cite.note, "collegial note");
  EXPECT_FALSE(t.second_circle_allowed);
  EXPECT_EQ(t.second_circle_cite.article, "L. 9");
  EXPECT_EQ(t.second_circle_cite.note, "second circle note");
  EXPECT_TRUE(t.quota_required);
  EXPECT_EQ(t.quota_cite.article, "L. 10");
  EXPECT_EQ(t.quota_cite.note, "quota note");
  const Retention& ret = t.retention[0];
  EXPECT_EQ(ret.counted_from, "decryption");
  EXPECT_EQ(ret.ceiling, (Period{72, 0, 0}));
  EXPECT_EQ(ret.cite.article, "L. 11");
  EXPECT_EQ(ret.cite.note, "retention note");
  ASSERT_TRUE(t.window.has_value());
  EXPECT_EQ(t.window->start, *ParseDate("2021-08-01"));
  EXPECT_EQ(t.window->report_due, *ParseDate("2030-06-30"));
  EXPECT_EQ(t.window->cite.note, "window note");
  const Service& s = b.services[0];
  EXPECT_EQ(s.label, "Service one");
  EXPECT_EQ(s.circle, 2);
  EXPECT_EQ(s.techniques, std::vector<std::string>{"T1"});
  EXPECT_EQ(s.purposes, std::vector<std::string>{"1"});
  EXPECT_EQ(s.cite.note, "service note");
  EXPECT_EQ(s.validity.until, *ParseDate("2030-12-31"));
  EXPECT_EQ(b.opinion.deadline_single, (Period{0, 0, 12}));
  EXPECT_EQ(b.opinion.deadline_collegial, (Period{0, 0, 36}));
  EXPECT_EQ(b.opinion.cite.note, "opinion note");
  EXPECT_EQ(b.authorisation.max_default, (Period{3, 0, 0}));
  EXPECT_EQ(b.authorisation.max_default_cite.note, "max default note");
  EXPECT_EQ(b.authorisation.request_content_cite.article, "L. 16");
  EXPECT_EQ(b.authorisation.request_content_cite.note, "request content note");
  EXPECT_EQ(b.authorisation.renewal_reasons_cite.article, "L. 17");
  EXPECT_EQ(b.authorisation.renewal_reasons_cite.note, "renewal reasons note");
  EXPECT_EQ(b.authorisation.override_cite.article, "L. 18");
  EXPECT_EQ(b.authorisation.override_cite.note, "override note");
  EXPECT_EQ(b.authorisation.conseil_etat_ruling, (Period{0, 0, 12}));
  EXPECT_EQ(b.authorisation.conseil_etat_cite.note, "conseil note");
  EXPECT_EQ(b.urgency.justification_due, (Period{0, 0, 12}));
  EXPECT_EQ(b.urgency.cite.note, "urgency rules note");
  EXPECT_FALSE(b.protected_professions.plenary_required);
  EXPECT_FALSE(b.protected_professions.urgency_forbidden);
  EXPECT_EQ(b.protected_professions.cite.note, "protected note");
  EXPECT_FALSE(b.rnd.first_circle_only);
  EXPECT_EQ(b.rnd.max_retention, (Period{12, 0, 0}));
  EXPECT_EQ(b.rnd.cite.note, "rnd note");
  EXPECT_TRUE(b.rnd.partitioned_storage);
  EXPECT_TRUE(b.rnd.collection_date_register);
  EXPECT_TRUE(b.rnd.algorithm_criteria_required);
  EXPECT_EQ(b.rnd.amendments_cite.article, "L. 23");
  EXPECT_EQ(b.rnd.amendments_cite.note, "amendments note");
  EXPECT_EQ(b.encrypted_ceiling, (Period{36, 0, 0}));
  EXPECT_EQ(b.encrypted_cite.note, "encrypted note");
}

struct BadCase {
  const char* file;
  int line;
  const char* key;
  const char* message;
};

class BadRulebookTest : public ::testing::TestWithParam<BadCase> {};

// Each malformed file changes one thing in minimal.toml; the error must name
// the file, the line and the key path.
TEST_P(BadRulebookTest, NamesFileLineAndKey) {
  const BadCase& c = GetParam();
  std::string path = Source(std::string("testdata/rules/") + c.file);
  auto r = LoadRulebook(path);
  ASSERT_FALSE(r.ok()) << c.file << " parsed";
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  const std::string& m = r.status().message();
  EXPECT_THAT(m, HasSubstr(path + ":" + std::to_string(c.line) + ": ")) << m;
  EXPECT_THAT(m, HasSubstr(c.key)) << m;
  EXPECT_THAT(m, HasSubstr(c.message)) << m;
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadRulebookTest,
    ::testing::Values(
        BadCase{"bad_period.toml", 24, "techniques[0].max_first: ",
                "got \"P4X\", want a period such as P4M, P30D or PT48H"},
        BadCase{"unknown_key.toml", 24,
                "techniques[0].max_frist: ", "unknown key (did you mean max_first?)"},
        BadCase{"missing_key.toml", 18, "techniques[0].max_first: ", "missing, want a period"},
        BadCase{"wrong_type.toml", 44, "services[0].circle: ", "got \"one\", want an integer"},
        BadCase{"float_circle.toml", 44, "services[0].circle: ", "got 1.5, want an integer"},
        BadCase{"unknown_kind.toml", 28,
                "techniques[0].kinds[0]: ", "got \"email\", want an item kind: correspondence"},
        BadCase{"bad_date.toml", 23,
                "techniques[0].until: ", "got \"2025-02-30\", want a calendar date"},
        BadCase{"bad_version.toml", 3, "version: ", "got 2, want 1"},
        BadCase{"syntax_error.toml", 20, "TOML syntax", "string"},
        BadCase{"duplicate_kind.toml", 28, "techniques[0].kinds[1]: ", "twice"},
        BadCase{"wrong_type_list.toml", 26,
                "techniques[0].purposes: ", "got \"4\", want an array of strings"},
        BadCase{"bad_retention_kind.toml", 32,
                "techniques[0].retention[0].kind: ", "got \"letters\", want an item kind"},
        BadCase{"bad_counted_from.toml", 34, "techniques[0].retention[0].counted_from: ",
                "want \"collection\" or \"decryption\""},
        BadCase{"unknown_root_key.toml", 7, "sunset: ", "unknown key; allowed here: version"},
        BadCase{"missing_table.toml", 1, "encrypted: ", "missing, want a table [encrypted]"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string name = info.param.file;
      return name.substr(0, name.find('.'));
    });

// Small in-memory variations of minimal.toml, for cases not worth a file.
std::string Minimal() {
  return Slurp(Source("testdata/rules/minimal.toml"));
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(ParserTest, SourceNamePrefixesMessages) {
  auto r = ParseRulebook(Replace(Minimal(), "circle = 1", "circle = true"), "x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "x.toml:44: services[0].circle: got true, want an integer");
}

TEST(ParserTest, DatesMayBeStrings) {
  auto r = ParseRulebook(Replace(Minimal(), "effective = 2021-08-01", "effective = \"2021-08-02\""),
                         "x.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->effective, *ParseDate("2021-08-02"));
}

TEST(ParserTest, RefusesDateTimesWhereDatesAreWanted) {
  auto r = ParseRulebook(
      Replace(Minimal(), "effective = 2021-08-01", "effective = 2021-08-01T00:00:00Z"), "x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("x.toml:6: effective: got a date-time"));
}

TEST(ParserTest, RefusesEmptyPurposeList) {
  auto r = ParseRulebook(
      Replace(Minimal(), "purposes = [\"4\"]\npurposes_article", "purposes = []\npurposes_article"),
      "x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("x.toml:26: techniques[0].purposes: got []"));
}

TEST(ParserTest, RefusesDuplicateRetentionKind) {
  auto r = ParseRulebook(Replace(Minimal(), "[techniques.window]",
                                 "[[techniques.retention]]\nkind = \"correspondence\"\n"
                                 "period = \"P10D\"\n\n[techniques.window]"),
                         "x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(
      r.status().message(),
      HasSubstr("x.toml:37: techniques[0].retention[1].kind: got \"correspondence\" twice"));
}

TEST(ParserTest, RefusesUnknownKeyInNestedTable) {
  auto r = ParseRulebook(Replace(Minimal(), "report_due = 2025-01-31",
                                 "report_due = 2025-01-31\nreport_date = 2025-01-31"),
                         "x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("x.toml:40: techniques[0].window.report_date: unknown key (did you mean "
                        "report_due?)"));
}

TEST(ParserTest, RefusesTableWhereArrayOfTablesIsWanted) {
  auto r = ParseRulebook(Replace(Minimal(), "[[services]]", "[services]"), "x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("services: got a table, want an array of tables"));
}

TEST(ParserTest, AcceptsATechniqueThatCollectsNothing) {
  auto r =
      ParseRulebook(Replace(Minimal(), "kinds = [\"correspondence\"]", "kinds = []"), "x.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->techniques[0].kinds.empty());
}

TEST(ParserTest, MissingFileIsAnIoError) {
  auto r = LoadRulebook(Source("testdata/rules/does-not-exist.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIoError);
  EXPECT_THAT(r.status().message(), HasSubstr("does-not-exist.toml"));
}

TEST(ParserTest, GarbageIsAnErrorNotACrash) {
  for (std::string_view text : {std::string_view("\xff\xfe\x00garbage", 10), std::string_view(""),
                                std::string_view("[[techniques]]\n[[techniques]]\n"),
                                std::string_view("version = 1\nid = \"x\"\n")}) {
    auto r = ParseRulebook(text, "g.toml");
    EXPECT_FALSE(r.ok());
    EXPECT_THAT(r.status().message(), HasSubstr("g.toml:"));
  }
}

}  // namespace
}  // namespace cloison::rules
