#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "base/clock.h"

namespace cloison {
namespace {
std::atomic<LogLevel> g_level{LogLevel::kInfo};

std::string_view Name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "?";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(level); }

bool LogEnabled(LogLevel level) {
  return level >= g_level.load();
}

void Log(LogLevel level, std::string_view event, std::string_view fields) {
  if (!LogEnabled(level)) return;
  std::string line = "ts=" + FormatTime(SystemClock().Now()) + " level=" + std::string(Name(level)) +
                     " event=" + std::string(event);
  if (!fields.empty()) line += " " + std::string(fields);
  line += '\n';
  // One write(2) per line so concurrent lines do not interleave.
  [[maybe_unused]] auto n = ::write(2, line.data(), line.size());
}

}  // namespace cloison
