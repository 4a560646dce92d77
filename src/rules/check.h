// Checks that a rulebook agrees with itself: every id it refers to exists,
// durations respect the L. 821-4 cap, retention matches what is collected,
// versions of one id do not overlap, dates are in order, every entry cites
// its article. The parser (parser.h) checks the form; this checks the sense.
//
// Thread-safe: pure functions (LoadAndCheck reads one file).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "rules/rulebook.h"

namespace cloison::rules {

// One self-contradiction. `key` is the key path in the file
// ("techniques[3].max_first", indexes from 0), `line` the source line (0 if
// the rulebook was built in code), `message` says what was found and wanted:
// "got P6M, want at most P4M (L. 821-4)".
struct Problem {
  std::string key;
  int line = 0;
  std::string message;
  bool operator==(const Problem&) const = default;
};

// Every problem found, in file order within each kind of check; empty when
// the rulebook is consistent.
std::vector<Problem> CheckRulebook(const Rulebook& book);

// "source:line: key: message", one problem per line, at most `max` of them
// (then "... and N more").
std::string FormatProblems(std::string_view source, const std::vector<Problem>& problems,
                           size_t max = 20);

// LoadRulebook then CheckRulebook: the rulebook if it parses and has no
// problem, else InvalidArgument listing them as FormatProblems does (what
// `cloison rules check FILE` prints).
Result<Rulebook> LoadAndCheck(const std::string& path);
// The same for text already in memory (the embedded rulebooks).
Result<Rulebook> ParseAndCheck(std::string_view text, std::string_view source_name);

// True if `a` lasts longer than `b` from the first day of any month of a
// leap year and the year after (months vary in length, so "P1M" and "P30D"
// compare differently depending on the start; the cap must hold for all).
bool PeriodLonger(const Period& a, const Period& b);

}  // namespace cloison::rules
