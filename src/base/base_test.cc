#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/id.h"
#include "base/status.h"
#include "base/time.h"
#include "base/utf8.h"

namespace cloison {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("x: got odd, want even");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().ToString(), "INVALID_ARGUMENT: x: got odd, want even");
}

TEST(TimeTest, RoundTripsRfc3339) {
  auto t = ParseTime("2025-07-31T12:34:56Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatTime(*t), "2025-07-31T12:34:56Z");
  auto frac = ParseTime("2025-07-31T12:34:56.5Z");
  ASSERT_TRUE(frac.ok());
  EXPECT_EQ(FormatTime(*frac), "2025-07-31T12:34:56.500000Z");
  auto off = ParseTime("2025-07-31T14:34:56+02:00");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, *t);
}

TEST(TimeTest, RejectsMalformedNamingTheField) {
  for (const char* bad : {"", "2025-07-31", "2025-02-30T00:00:00Z", "2025-07-31T24:00:00Z",
                          "2025-07-31T12:00:00", "2025-07-31T12:00:00Zjunk", "1969-12-31T00:00:00Z",
                          "2025-07-31T12:00:00.Z", "2025-07-31T12:00:00+2:00",
                          "1970-01-01T00:30:00+01:00", "9999-12-31T23:00:00-05:00"}) {
    auto t = ParseTime(bad, "collected_at");
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find("collected_at"), std::string::npos) << bad;
  }
}

// FormatTime and FormatDate write digits themselves: each agrees with the
// obvious snprintf over the whole range ParseTime accepts, with and
// without fractions, and the text parses back to the same time.
TEST(TimeTest, FormatsEveryFieldWidthAsSnprintfWould) {
  auto expect = [](Time t) {
    auto days = std::chrono::floor<std::chrono::days>(t);
    Date d{days};
    auto tod = std::chrono::hh_mm_ss<Duration>(t - days);
    char buf[64];
    long long us = tod.subseconds().count();
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d",
                          static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                          static_cast<unsigned>(d.day()), static_cast<int>(tod.hours().count()),
                          static_cast<int>(tod.minutes().count()),
                          static_cast<int>(tod.seconds().count()));
    if (us != 0) n += std::snprintf(buf + n, sizeof buf - n, ".%06lld", us);
    std::snprintf(buf + n, sizeof buf - n, "Z");
    return std::string(buf);
  };
  std::vector<Time> times = {*ParseTime("1970-01-01T00:00:00Z"),
                             *ParseTime("9999-12-31T23:59:59.999999Z"),
                             *ParseTime("2000-02-29T09:08:07.000001Z"),
                             *ParseTime("2025-10-05T00:00:00.100000Z")};
  std::mt19937_64 rng(20261207);
  const int64_t span = (times[1] - times[0]).count();
  for (int i = 0; i < 2000; ++i) {
    Duration off(static_cast<int64_t>(rng() % static_cast<uint64_t>(span)));
    // Half of them on a whole second, where no fraction is written.
    if (i % 2) off = std::chrono::floor<std::chrono::seconds>(off);
    times.push_back(times[0] + off);
  }
  for (Time t : times) {
    std::string got = FormatTime(t);
    ASSERT_EQ(got, expect(t));
    auto back = ParseTime(got);
    ASSERT_TRUE(back.ok()) << got;
    EXPECT_EQ(*back, t) << got;
    EXPECT_EQ(FormatDate(DateOf(t)), got.substr(0, 10));
  }
  // Outside the years ParseTime accepts, the general path still answers.
  EXPECT_EQ(FormatDate(Date{std::chrono::year(12345), std::chrono::January, std::chrono::day(2)}),
            "12345-01-02");
}

TEST(TimeTest, AddMonthsClampsToMonthEnd) {
  auto t = *ParseTime("2025-01-31T10:00:00Z");
  EXPECT_EQ(FormatTime(AddMonths(t, 1)), "2025-02-28T10:00:00Z");
  EXPECT_EQ(FormatTime(AddMonths(t, 4)), "2025-05-31T10:00:00Z");
  EXPECT_EQ(FormatTime(AddMonths(*ParseTime("2024-10-31T00:00:00Z"), 4)), "2025-02-28T00:00:00Z");
}

TEST(ClockTest, FakeClockAdvances) {
  FakeClock clock(*ParseTime("2025-01-01T00:00:00Z"));
  clock.Advance(std::chrono::hours(25));
  EXPECT_EQ(FormatTime(clock.Now()), "2025-01-02T01:00:00Z");
  EXPECT_TRUE(clock.IsManual());
  EXPECT_FALSE(SystemClock().IsManual());
}

TEST(IdTest, GeneratorsMakeWellFormedIds) {
  SequentialIdGenerator seq;
  EXPECT_EQ(seq.Next("req"), "req_0000000000000001");
  EXPECT_EQ(seq.Next("auth"), "auth_0000000000000002");
  RandomIdGenerator rnd;
  auto a = rnd.Next("item"), b = rnd.Next("item");
  EXPECT_TRUE(IsWellFormedId(a));
  EXPECT_NE(a, b);
  EXPECT_FALSE(IsWellFormedId("req_123"));
  EXPECT_FALSE(IsWellFormedId("_0000000000000001"));
  EXPECT_FALSE(IsWellFormedId("Req_0000000000000001"));
}

// Record ids follow each other (the store's B-trees append instead of
// writing a page per insert) and carry the time they were made.
TEST(IdTest, TimeOrderedIdsIncreaseAndCarryTheirTime) {
  TimeOrderedIdGenerator ids;
  auto ms_since_2020 = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count() -
           1577836800000;
  };
  const int64_t before = ms_since_2020();
  std::string prev = ids.Next("itm");
  for (int i = 0; i < 100000; ++i) {
    std::string id = ids.Next("itm");
    ASSERT_TRUE(IsWellFormedId(id)) << id;
    ASSERT_GT(id, prev);  // fixed width hex: string order is numeric order
    prev = id;
  }
  const int64_t after = ms_since_2020();
  const uint64_t v = std::stoull(prev.substr(4), nullptr, 16);
  // 10^5 ids may run ahead of the clock by at most 10^5 / 2^22 ms.
  EXPECT_GE(static_cast<int64_t>(v >> 22), before);
  EXPECT_LE(static_cast<int64_t>(v >> 22), after + 1);
  // The low bits are not a counter from zero: two generators differ.
  TimeOrderedIdGenerator other;
  EXPECT_NE(other.Next("itm").substr(4), TimeOrderedIdGenerator().Next("itm").substr(4));
}

TEST(Utf8Test, WellFormedPassesAndEachStrayByteBecomesAReplacement) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("ascii \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92"));
  // Overlong, surrogate, past U+10FFFF, truncated, a lone continuation.
  for (std::string_view bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"})
    EXPECT_FALSE(IsUtf8(bad)) << bad.size();
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(ValidUtf8("a\xC3\xA9" "b"), "a\xC3\xA9" "b");
  EXPECT_EQ(ValidUtf8("a\xE0\xE0z"), "a" + r + r + "z");
  EXPECT_EQ(ValidUtf8("\xE2\x82"), r + r);
  EXPECT_TRUE(IsUtf8(ValidUtf8("\xFF\xFE\xED\xA0\x80\xC3")));
}

}  // namespace
}  // namespace cloison
