// Reads a rulebook from its TOML form (doc/formats/rulebook.md, version 1).
//
// The parser checks the form: known keys only (a typo must not silently
// pass), required keys present, types, periods, dates, item kinds. It does
// not check that the rulebook agrees with itself: CheckRulebook (check.h)
// does that. Errors name the file, the line and the key path:
//   csi-2021.toml:42: techniques[3].max_first: got "P4X", want a period such as P4M, P30D or PT48H
// Array indexes in key paths count from 0.
//
// Thread-safe: pure functions. No exception escapes.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "rules/rulebook.h"

namespace cloison::rules {

// The only format version this build reads.
inline constexpr int kRulebookFormatVersion = 1;

// Parses `text`; `source_name` (usually the file name) prefixes every error
// message and is not opened.
Result<Rulebook> ParseRulebook(std::string_view text, std::string_view source_name);

// Reads the file at `path` and parses it (IoError if it cannot be read).
Result<Rulebook> LoadRulebook(const std::string& path);

}  // namespace cloison::rules
