// Command-line arguments: "--flag value" pairs, boolean flags and positional
// arguments, shared by every command of the CLI.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cloison::cli {

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  std::string error;  // non-empty: a usage error ("--x: unknown flag")

  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  // The flag's value, or "" if absent.
  std::string get(const std::string& flag) const {
    auto it = flags.find(flag);
    return it == flags.end() ? std::string() : it->second;
  }
};

// Parses in[from..]: flags in `value_flags` take the next argument as value,
// those in `bool_flags` none; --help is always accepted.
Args ParseArgs(const std::vector<std::string>& in, size_t from,
               std::initializer_list<std::string_view> value_flags,
               std::initializer_list<std::string_view> bool_flags);

}  // namespace cloison::cli
