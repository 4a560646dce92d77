#include "rules/rulebook.h"

#include <gtest/gtest.h>

namespace cloison::rules {
namespace {

Time T(std::string_view rfc3339) {
  auto t = ParseTime(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339;
  return t.ok() ? *t : Time{};
}

Date D(std::string_view ymd) {
  auto d = ParseDate(ymd);
  EXPECT_TRUE(d.ok()) << ymd;
  return d.ok() ? *d : Date{};
}

TEST(ItemKindTest, NamesRoundTrip) {
  const char* names[] = {"correspondence", "connection_data", "computer_data", "sound_image", "url",
                         "location"};
  for (int i = 0; i < kItemKindCount; ++i) {
    auto k = ParseItemKind(names[i]);
    ASSERT_TRUE(k.has_value()) << names[i];
    EXPECT_EQ(*k, kAllItemKinds[i]);
    EXPECT_EQ(ItemKindName(*k), names[i]);
  }
  EXPECT_FALSE(ParseItemKind("email").has_value());
  EXPECT_FALSE(ParseItemKind("").has_value());
  EXPECT_FALSE(ParseItemKind("Correspondence").has_value());
}

TEST(PeriodTest, ParsesTheForms) {
  struct Case {
    const char* text;
    Period want;
  } cases[] = {
      {"P4M", {4, 0, 0}},      {"P30D", {0, 30, 0}},   {"PT48H", {0, 0, 48}},
      {"P1M15D", {1, 15, 0}},  {"P60M", {60, 0, 0}},   {"P1M2DT3H", {1, 2, 3}},
      {"P2DT12H", {0, 2, 12}}, {"P120D", {0, 120, 0}}, {"P0M1D", {0, 1, 0}},
  };
  for (const Case& c : cases) {
    auto p = ParsePeriod(c.text);
    ASSERT_TRUE(p.has_value()) << c.text;
    EXPECT_EQ(*p, c.want) << c.text;
  }
}

TEST(PeriodTest, RejectsEverythingElse) {
  const char* bad[] = {"",       "P",     "PT",    "4M",     "P4",    "P4X",      "P4Y",
                       "P1W",    "PT30M", "PT10S", "P15D1M", "P4M4M", "P-1M",     "P0D",
                       "PT0H",   "p4m",   "P4m",   "P4M ",   " P4M",  "P123456M", "P1MT",
                       "PT1H2H", "PT1HX", "P1.5M", "P+1M",   "PTH",   "P4MT48",   "P4M\n"};
  for (const char* text : bad) {
    EXPECT_FALSE(ParsePeriod(text).has_value()) << '"' << text << '"';
  }
}

TEST(PeriodTest, ToStringRoundTrips) {
  for (const char* text : {"P4M", "P30D", "PT48H", "P1M15D", "P60M", "P1M2DT3H"}) {
    auto p = ParsePeriod(text);
    ASSERT_TRUE(p.has_value()) << text;
    EXPECT_EQ(p->ToString(), text);
  }
  EXPECT_EQ(Period{}.ToString(), "P0D");
}

TEST(PeriodTest, AfterAddsMonthsThenDaysThenHours) {
  // Months clamp to the end of the month (AddMonths), then days, then hours.
  EXPECT_EQ((Period{1, 0, 0}).After(T("2021-01-31T10:00:00Z")), T("2021-02-28T10:00:00Z"));
  EXPECT_EQ((Period{1, 15, 0}).After(T("2021-01-31T10:00:00Z")), T("2021-03-15T10:00:00Z"));
  EXPECT_EQ((Period{0, 30, 0}).After(T("2024-02-01T00:00:00Z")), T("2024-03-02T00:00:00Z"));
  EXPECT_EQ((Period{0, 0, 48}).After(T("2025-07-30T23:30:00Z")), T("2025-08-01T23:30:00Z"));
  EXPECT_EQ((Period{48, 0, 0}).After(T("2024-02-29T12:00:00Z")), T("2028-02-29T12:00:00Z"));
  EXPECT_EQ((Period{12, 0, 0}).After(T("2024-02-29T12:00:00Z")), T("2025-02-28T12:00:00Z"));
  EXPECT_EQ((Period{4, 0, 0}).After(T("2021-10-31T08:15:00Z")), T("2022-02-28T08:15:00Z"));
}

TEST(ValidityTest, CoversInclusiveUtcDates) {
  Validity v{D("2021-08-01"), D("2025-07-31")};
  EXPECT_TRUE(v.Covers(T("2021-08-01T00:00:00Z")));
  EXPECT_TRUE(v.Covers(T("2025-07-31T23:59:59.999999Z")));
  EXPECT_FALSE(v.Covers(T("2021-07-31T23:59:59.999999Z")));
  EXPECT_FALSE(v.Covers(T("2025-08-01T00:00:00Z")));
  // 2025-08-01T01:00+02:00 is still 2025-07-31 in UTC.
  EXPECT_TRUE(v.Covers(T("2025-08-01T01:00:00+02:00")));

  Validity open_end{D("2021-08-01"), std::nullopt};
  EXPECT_TRUE(open_end.Covers(T("2099-01-01T00:00:00Z")));
  EXPECT_FALSE(open_end.Covers(T("2020-01-01T00:00:00Z")));
  Validity open_start{std::nullopt, D("2021-07-31")};
  EXPECT_TRUE(open_start.Covers(T("1990-01-01T00:00:00Z")));
  EXPECT_FALSE(open_start.Covers(T("2021-08-01T00:00:00Z")));
  EXPECT_TRUE(Validity{}.Covers(T("2030-01-01T00:00:00Z")));
}

Rulebook VersionedBook() {
  Rulebook b;
  // The later version first: "latest" must not mean "last in the file".
  Technique v2;
  v2.id = "L851-3";
  v2.purposes = {"1", "2", "4"};
  v2.validity = {D("2024-07-26"), std::nullopt};
  Technique v1;
  v1.id = "L851-3";
  v1.purposes = {"4"};
  v1.validity = {D("2021-08-01"), D("2024-07-25")};
  Technique other;
  other.id = "L851-1";
  b.techniques = {v2, v1, other};

  Purpose p_old{"2", "old", {}, {std::nullopt, D("2023-12-31")}};
  Purpose p_new{"2", "new", {}, {D("2024-01-01"), std::nullopt}};
  b.purposes = {p_old, p_new};

  Service s;
  s.id = "dgsi";
  s.validity = {D("2021-08-01"), D("2022-12-31")};
  Service s2 = s;
  s2.label = "renamed";
  s2.validity = {D("2023-01-01"), std::nullopt};
  b.services = {s, s2};
  b.ministers = {{"interior", "Interior", {}}, {"defence", "Defence", {}}};
  return b;
}

TEST(LookupTest, TwoArgumentsReturnTheVersionInForce) {
  Rulebook b = VersionedBook();
  const Technique* old_v = b.FindTechnique("L851-3", T("2022-01-01T00:00:00Z"));
  ASSERT_NE(old_v, nullptr);
  EXPECT_EQ(old_v->purposes, std::vector<std::string>{"4"});
  const Technique* edge = b.FindTechnique("L851-3", T("2024-07-25T23:59:59Z"));
  ASSERT_NE(edge, nullptr);
  EXPECT_EQ(edge, &b.techniques[1]);
  const Technique* new_v = b.FindTechnique("L851-3", T("2024-07-26T00:00:00Z"));
  ASSERT_NE(new_v, nullptr);
  EXPECT_EQ(new_v, &b.techniques[0]);
  EXPECT_EQ(b.FindTechnique("L851-3", T("2021-07-31T12:00:00Z")), nullptr);
  EXPECT_EQ(b.FindTechnique("L852-3", T("2022-01-01T00:00:00Z")), nullptr);
  EXPECT_EQ(b.FindTechnique("L851-1", T("2022-01-01T00:00:00Z")), &b.techniques[2]);

  EXPECT_EQ(b.FindPurpose("2", T("2023-06-01T00:00:00Z"))->label, "old");
  EXPECT_EQ(b.FindPurpose("2", T("2024-06-01T00:00:00Z"))->label, "new");
  EXPECT_EQ(b.FindService("dgsi", T("2022-06-01T00:00:00Z")), &b.services[0]);
  EXPECT_EQ(b.FindService("dgsi", T("2023-06-01T00:00:00Z")), &b.services[1]);
  EXPECT_EQ(b.FindService("dgse", T("2023-06-01T00:00:00Z")), nullptr);
}

TEST(LookupTest, OneArgumentReturnsTheLatest) {
  Rulebook b = VersionedBook();
  EXPECT_EQ(b.FindTechnique("L851-3"), &b.techniques[0]);
  EXPECT_EQ(b.FindPurpose("2")->label, "new");
  EXPECT_EQ(b.FindService("dgsi")->label, "renamed");
  EXPECT_EQ(b.FindTechnique("L851-1"), &b.techniques[2]);
  EXPECT_EQ(b.FindTechnique("nope"), nullptr);
  // Same order reversed: still the version that starts last.
  std::swap(b.techniques[0], b.techniques[1]);
  EXPECT_EQ(b.FindTechnique("L851-3"), &b.techniques[1]);
  EXPECT_EQ(b.FindTechnique("L851-3")->purposes.size(), 3u);
}

TEST(LookupTest, Ministers) {
  Rulebook b = VersionedBook();
  ASSERT_NE(b.FindMinister("defence"), nullptr);
  EXPECT_EQ(b.FindMinister("defence")->label, "Defence");
  EXPECT_EQ(b.FindMinister("army"), nullptr);
}

TEST(TechniqueTest, FindRetention) {
  Technique t;
  t.kinds = {ItemKind::kCorrespondence, ItemKind::kConnectionData};
  t.retention = {{ItemKind::kConnectionData, {48, 0, 0}, "collection", std::nullopt, {}}};
  ASSERT_NE(t.FindRetention(ItemKind::kConnectionData), nullptr);
  EXPECT_EQ(t.FindRetention(ItemKind::kConnectionData)->period.months, 48);
  EXPECT_EQ(t.FindRetention(ItemKind::kCorrespondence), nullptr);
}

}  // namespace
}  // namespace cloison::rules
