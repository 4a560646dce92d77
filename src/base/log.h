// Minimal structured logging to stderr: one line per event, key=value pairs.
// Never log content, opinions' text or secrets. Thread-safe (one write per line).
#pragma once

#include <string_view>

namespace cloison {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void SetLogLevel(LogLevel level);
// Whether Log(level, ...) writes anything: lets a caller skip building the
// fields of a line nobody will read.
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view event, std::string_view fields = {});

}  // namespace cloison
