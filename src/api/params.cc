#include "api/params.h"

#include <algorithm>

namespace cloison::api {

Status CheckQuery(const Call& c, std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : c.query) {
    if (std::find(known.begin(), known.end(), k) == known.end())
      return Status::InvalidArgument("query: unknown parameter \"" + k + "\"");
  }
  return Status::Ok();
}

Result<PageQuery> ReadPage(const Call& c, int def, int max) {
  PageQuery p;
  p.limit = static_cast<size_t>(def);
  if (auto it = c.query.find("limit"); it != c.query.end()) {
    const std::string& s = it->second;
    bool digits = !s.empty() && s.size() <= 6 &&
                  std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    int n = digits ? std::stoi(s) : -1;
    if (n < 1 || n > max)
      return Status::InvalidArgument("limit: got \"" + s + "\", want 1.." + std::to_string(max));
    p.limit = static_cast<size_t>(n);
  }
  if (auto it = c.query.find("after"); it != c.query.end()) p.after = it->second;
  return p;
}

Result<std::optional<Time>> QueryTime(const Call& c, std::string_view name, bool required) {
  auto it = c.query.find(name);
  if (it == c.query.end()) {
    if (required)
      return Status::InvalidArgument(std::string(name) +
                                     ": missing, want an RFC 3339 UTC time (2025-03-10T12:00:00Z)");
    return std::optional<Time>();
  }
  ASSIGN_OR_RETURN(Time t, ParseTime(it->second, name));
  return std::optional<Time>(t);
}

}  // namespace cloison::api
