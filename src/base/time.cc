#include "base/time.h"

#include <charconv>
#include <cstdio>

namespace cloison {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

Status Bad(std::string_view field, std::string_view text, std::string_view want) {
  return Status::InvalidArgument(std::string(field) + ": got \"" + std::string(text.substr(0, 64)) +
                                 "\", want " + std::string(want));
}

}  // namespace

Result<Date> ParseDate(std::string_view text, std::string_view field) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || !Digits(text, 0, 4, y) || text[4] != '-' || !Digits(text, 5, 2, m) ||
      text[7] != '-' || !Digits(text, 8, 2, d)) {
    return Bad(field, text, "a date YYYY-MM-DD");
  }
  Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!date.ok()) return Bad(field, text, "a calendar date that exists");
  return date;
}

Result<Time> ParseTime(std::string_view text, std::string_view field) {
  constexpr std::string_view kWant = "an RFC 3339 time such as 2025-07-31T12:00:00Z";
  if (text.size() < 20) return Bad(field, text, kWant);
  auto date = ParseDate(text.substr(0, 10), field);
  if (!date.ok()) return Bad(field, text, kWant);
  int hh = 0, mm = 0, ss = 0;
  if ((text[10] != 'T' && text[10] != 't') || !Digits(text, 11, 2, hh) || text[13] != ':' ||
      !Digits(text, 14, 2, mm) || text[16] != ':' || !Digits(text, 17, 2, ss) || hh > 23 ||
      mm > 59 || ss > 59) {
    return Bad(field, text, kWant);
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 6) micros += (text[pos] - '0') * scale, scale /= 10;
      ++pos;
    }
    if (pos == start) return Bad(field, text, kWant);
  }
  int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!Digits(text, pos + 1, 2, oh) || text[pos + 3] != ':' || !Digits(text, pos + 4, 2, om) ||
        oh > 23 || om > 59) {
      return Bad(field, text, kWant);
    }
    offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return Bad(field, text, kWant);
  }
  if (pos != text.size()) return Bad(field, text, kWant);
  Time t = std::chrono::time_point_cast<Duration>(std::chrono::sys_days(*date)) +
           std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss) +
           Duration(micros) - std::chrono::minutes(offset_minutes);
  // In UTC, after the offset: 1970-01-01 to 9999-12-31, so that every time
  // accepted formats back to text that parses again.
  static const Time kMin = StartOf(Date{std::chrono::year(1970), std::chrono::January, std::chrono::day(1)});
  static const Time kEnd = StartOf(Date{std::chrono::year(10000), std::chrono::January, std::chrono::day(1)});
  if (t < kMin || t >= kEnd) return Bad(field, text, "a time between 1970 and 9999 (UTC)");
  return t;
}

namespace {

// Writes v as exactly n decimal digits at out (v < 10^n).
char* PutDigits(char* out, unsigned v, int n) {
  for (int i = n - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + n;
}

// "YYYY-MM-DD" at out, for years 0..9999; returns the end.
char* PutDate(char* out, Date d) {
  out = PutDigits(out, static_cast<unsigned>(static_cast<int>(d.year())), 4);
  *out++ = '-';
  out = PutDigits(out, static_cast<unsigned>(d.month()), 2);
  *out++ = '-';
  return PutDigits(out, static_cast<unsigned>(d.day()), 2);
}

bool FourDigitYear(Date d) {
  int y = static_cast<int>(d.year());
  return y >= 0 && y <= 9999;
}

}  // namespace

// Digit by digit rather than through snprintf: every ingested item's record
// and event carry several of these (snprintf was 2 % of the server's CPU
// under ingest; BENCHMARKS.md, "Session 8"). Years outside 0..9999, which
// ParseTime never yields, keep the general path.
std::string FormatTime(Time t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  Date d{days};
  auto tod = std::chrono::hh_mm_ss<Duration>(t - days);
  int64_t us = tod.subseconds().count();
  char buf[40];
  if (!FourDigitYear(d)) {
    if (us == 0) {
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(d.year()),
                    static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                    static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                    static_cast<int>(tod.seconds().count()));
    } else {
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                    static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                    static_cast<unsigned>(d.day()), static_cast<int>(tod.hours().count()),
                    static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                    static_cast<long long>(us));
    }
    return buf;
  }
  char* p = PutDate(buf, d);
  *p++ = 'T';
  p = PutDigits(p, static_cast<unsigned>(tod.hours().count()), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(tod.minutes().count()), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(tod.seconds().count()), 2);
  if (us != 0) {
    *p++ = '.';
    p = PutDigits(p, static_cast<unsigned>(us), 6);
  }
  *p++ = 'Z';
  return std::string(buf, p);
}

std::string FormatDate(Date d) {
  if (!FourDigitYear(d)) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
  }
  char buf[10];
  return std::string(buf, PutDate(buf, d));
}

Time StartOf(Date d) { return std::chrono::time_point_cast<Duration>(std::chrono::sys_days(d)); }

Date DateOf(Time t) { return Date{std::chrono::floor<std::chrono::days>(t)}; }

Time AddMonths(Time t, int months) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  Date d{days};
  Date moved = d + std::chrono::months(months);
  if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
  return StartOf(moved) + (t - days);
}

}  // namespace cloison
