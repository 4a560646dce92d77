// Routing: (method, path pattern) -> handler. Routes are added by the code
// that builds the API (api.cc), in one list; nothing registers itself
// (STYLE.md: no static registration).
//
// Patterns are literal segments and `{name}` parameters, one segment each;
// a last `{name...}` takes the rest of the path ("/v1/ledger/tile/{path...}").
// Path segments are percent-decoded before matching.
//
// Thread-safety: build first, then Find from any thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"
#include "base/status.h"
#include "service/principal.h"

namespace cloison::api {

using Params = std::map<std::string, std::string, std::less<>>;

// What a handler is given: the authenticated principal (null for the
// anonymous operations), the path parameters, the query and the body.
struct Call {
  const service::Principal* principal = nullptr;
  Params params;
  Params query;
  std::string_view content_type;
  std::string_view body;
  const std::string& param(std::string_view name) const;
};

using Handler = std::function<Result<HttpResponse>(const Call&)>;

struct Route {
  std::string method;
  std::string pattern;    // "/v1/requests/{id}/opinion"
  std::string operation;  // "giveOpinion": the OpenAPI operationId and the access table's key
  Handler handler;
  std::vector<std::string> segments;  // the pattern, split
};

class Router {
 public:
  void Add(std::string method, std::string pattern, std::string operation, Handler handler);

  enum class Outcome { kFound, kNoPath, kWrongMethod };
  struct Match {
    Outcome outcome = Outcome::kNoPath;
    const Route* route = nullptr;
    Params params;
    std::vector<std::string> allowed;  // kWrongMethod: the methods the path has
  };
  // `path` without its query string.
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Splits "/a/b%20c" into {"a", "b c"}. InvalidArgument for a path that does
// not start with '/', a bad escape or a NUL.
Result<std::vector<std::string>> SplitPath(std::string_view path);
// Parses "a=1&b=x%20y" (with '+' as space). Duplicate keys are an error: a
// filter given twice is ambiguous.
Result<Params> ParseQuery(std::string_view query);
Result<std::string> PercentDecode(std::string_view s, bool plus_is_space, std::string_view what);

}  // namespace cloison::api
