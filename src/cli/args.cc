#include "cli/args.h"

namespace cloison::cli {

Args ParseArgs(const std::vector<std::string>& in, size_t from,
               std::initializer_list<std::string_view> value_flags,
               std::initializer_list<std::string_view> bool_flags) {
  Args a;
  for (size_t i = from; i < in.size(); ++i) {
    const std::string& s = in[i];
    if (s.rfind("--", 0) != 0) {
      a.positional.push_back(s);
      continue;
    }
    bool known = false;
    for (auto f : bool_flags) {
      if (s == f) a.flags[s] = "true", known = true;
    }
    for (auto f : value_flags) {
      if (s != f) continue;
      known = true;
      if (i + 1 >= in.size()) {
        a.error = s + ": missing value";
        return a;
      }
      a.flags[s] = in[++i];
    }
    if (!known && s != "--help") {
      a.error = s + ": unknown flag";
      return a;
    }
    if (s == "--help") a.flags[s] = "true";
  }
  return a;
}

}  // namespace cloison::cli
