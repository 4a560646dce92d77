#include "api/router.h"

#include <algorithm>

#include "base/utf8.h"

namespace cloison::api {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsParam(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
bool IsRest(const std::string& seg) {
  return IsParam(seg) && seg.ends_with("...}");
}
std::string ParamName(const std::string& seg) {
  std::string n = seg.substr(1, seg.size() - 2);
  if (n.ends_with("...")) n.resize(n.size() - 3);
  return n;
}

std::vector<std::string> SplitPattern(std::string_view pattern) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= pattern.size()) {
    size_t j = pattern.find('/', i);
    if (j == std::string_view::npos) j = pattern.size();
    out.emplace_back(pattern.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Matches one route's segments against the path's; fills `params`.
bool Matches(const Route& r, const std::vector<std::string>& path, Params& params) {
  params.clear();
  size_t n = r.segments.size();
  for (size_t i = 0; i < n; ++i) {
    const std::string& seg = r.segments[i];
    if (IsRest(seg)) {
      if (i >= path.size()) return false;
      std::string rest;
      for (size_t k = i; k < path.size(); ++k) {
        if (path[k].empty()) return false;
        rest += (k == i ? "" : "/") + path[k];
      }
      params[ParamName(seg)] = std::move(rest);
      return true;
    }
    if (i >= path.size()) return false;
    if (IsParam(seg)) {
      if (path[i].empty()) return false;
      params[ParamName(seg)] = path[i];
    } else if (seg != path[i]) {
      return false;
    }
  }
  return n == path.size();
}

}  // namespace

const std::string& Call::param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

void Router::Add(std::string method, std::string pattern, std::string operation, Handler handler) {
  Route r;
  r.segments = SplitPattern(pattern);
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.operation = std::move(operation);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  auto segments = SplitPath(path);
  if (!segments.ok()) return m;
  Params params;
  for (const Route& r : routes_) {
    if (!Matches(r, *segments, params)) continue;
    if (r.method == method) {
      m.outcome = Outcome::kFound;
      m.route = &r;
      m.params = std::move(params);
      m.allowed.clear();
      return m;
    }
    m.outcome = Outcome::kWrongMethod;
    if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
      m.allowed.push_back(r.method);
  }
  return m;
}

Result<std::string> PercentDecode(std::string_view s, bool plus_is_space, std::string_view what) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size())
        return Status::InvalidArgument(std::string(what) + ": truncated % escape");
      int hi = HexDigit(s[i + 1]);
      int lo = HexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return Status::InvalidArgument(std::string(what) + ": bad % escape");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return Status::InvalidArgument(std::string(what) + ": NUL byte");
    out += c;
  }
  // The API's text is UTF-8: ids and values go into events, whose
  // canonical JSON must be.
  if (!IsUtf8(out)) return Status::InvalidArgument(std::string(what) + ": not UTF-8");
  return out;
}

Result<std::vector<std::string>> SplitPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return Status::InvalidArgument("path: want /...");
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    ASSIGN_OR_RETURN(std::string seg, PercentDecode(path.substr(i, j - i), false, "path"));
    out.push_back(std::move(seg));
    i = j + 1;
  }
  return out;
}

Result<Params> ParseQuery(std::string_view query) {
  Params out;
  size_t i = 0;
  while (i < query.size()) {
    size_t j = query.find('&', i);
    if (j == std::string_view::npos) j = query.size();
    std::string_view pair = query.substr(i, j - i);
    i = j + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view k = pair.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    ASSIGN_OR_RETURN(std::string key, PercentDecode(k, true, "query"));
    ASSIGN_OR_RETURN(std::string value, PercentDecode(v, true, "query"));
    if (out.count(key)) return Status::InvalidArgument("query: " + key + " given twice");
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace cloison::api
