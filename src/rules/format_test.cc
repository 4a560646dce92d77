#include "rules/format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/parser.h"

namespace cloison::rules {
namespace {

using ::testing::HasSubstr;

std::string Source(const std::string& rel) {
  return std::string(CLOISON_SOURCE_DIR) + "/" + rel;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(FormatTest, ShowsEveryEntryOfTheShippedRulebook) {
  auto r = LoadRulebook(Source("rules/csi-2021.toml"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string out = FormatRulebook(*r);
  EXPECT_THAT(out, HasSubstr("Rulebook csi-2021 (format version 1)"));
  for (const Technique& t : r->techniques) {
    // A row starting with the id in the techniques table, and in the
    // procedure table.
    EXPECT_GE(Count(out, "\n" + t.id + " "), 3) << t.id;
    EXPECT_THAT(out, HasSubstr(t.label)) << t.id;
  }
  for (const Service& s : r->services) EXPECT_THAT(out, HasSubstr("\n" + s.id + " ")) << s.id;
  for (const Purpose& p : r->purposes) EXPECT_THAT(out, HasSubstr(p.label)) << p.id;
  for (const Minister& m : r->ministers) EXPECT_THAT(out, HasSubstr("\n" + m.id + " ")) << m.id;
  EXPECT_THAT(out, HasSubstr("2021-08-01..2025-07-31, report 2025-01-31"));
  EXPECT_THAT(out, HasSubstr("PT48H"));
  EXPECT_THAT(out, HasSubstr("L. 851-6 (sec.)"));
  EXPECT_THAT(out, HasSubstr("maximum retention                  P60M"));
  EXPECT_THAT(out, HasSubstr("(collects nothing itself)"));
}

TEST(FormatTest, AlignsColumnsDespiteAccents) {
  Rulebook b;
  b.id = "t";
  b.purposes = {{"1", "défense", {"L. 811-3 1°", 0, ""}, {}},
                {"22", "x", {"L. 811-3 2°", 0, ""}, {}}};
  std::string out = FormatRulebook(b);
  // "1" is padded to the width of "22" plus two spaces; the accented label
  // is padded by characters, not bytes.
  EXPECT_THAT(out, HasSubstr("\n1   défense  L. 811-3 1°  always\n"));
  EXPECT_THAT(out, HasSubstr("\n22  x        L. 811-3 2°  always\n"));
}

TEST(FormatTest, StrictProfileShowsTheSafeguards) {
  auto r = LoadRulebook(Source("rules/csi-2021-strict.toml"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string out = FormatRulebook(*r);
  EXPECT_THAT(out, HasSubstr("maximum retention                  P24M"));
  EXPECT_THAT(out, HasSubstr("partitioned storage (am. 73)       yes"));
}

}  // namespace
}  // namespace cloison::rules
