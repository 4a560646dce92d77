// Time points and their RFC 3339 text form. Every component reads time from a
// Clock (clock.h); nothing calls system_clock::now() directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cloison {

// Microseconds since the Unix epoch, UTC.
using Time = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;
using Date = std::chrono::year_month_day;

// Accepts "2025-07-31T12:00:00Z", "2025-07-31T12:00:00.123456Z",
// "2025-07-31T14:00:00+02:00". The error names `field`.
Result<Time> ParseTime(std::string_view text, std::string_view field = "time");
// Accepts "2025-07-31".
Result<Date> ParseDate(std::string_view text, std::string_view field = "date");
// "2025-07-31T12:00:00Z", with ".ffffffZ" only when there are microseconds.
std::string FormatTime(Time t);
std::string FormatDate(Date d);

// Midnight UTC at the start of `d`.
Time StartOf(Date d);
// The calendar date (UTC) of `t`.
Date DateOf(Time t);
// t + n calendar months, clamped to the end of the month (31 Jan + 1 month =
// 28/29 Feb), keeping the time of day.
Time AddMonths(Time t, int months);

inline int64_t ToMicros(Time t) { return t.time_since_epoch().count(); }
inline Time FromMicros(int64_t us) { return Time(Duration(us)); }

}  // namespace cloison
