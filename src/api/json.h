// JSON in and out of handlers. Client bodies are strict: one object, known
// fields only, the right types; every error names the field and says what
// was wanted ("verdict: got \"yes\", want favourable or unfavourable").
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "api/http.h"
#include "base/status.h"
#include "base/time.h"

namespace cloison::api {

// Parses a JSON body (depth <= 32). An empty body is "body: missing" unless
// `empty_is_object`, then it reads as {}.
Result<boost::json::value> ParseJsonBody(std::string_view body, bool empty_is_object = false);

// "a string", "an integer", ... for messages.
std::string_view KindName(const boost::json::value& v);

// Reads the fields of one JSON object, remembering the first problem.
// Finish() rejects unknown fields and returns that problem, if any.
class FieldReader {
 public:
  // `path` prefixes field names in messages ("allocation.interior").
  explicit FieldReader(const boost::json::value& v, std::string path = {});

  std::string Str(std::string_view key, bool required = true);
  std::optional<bool> Bool(std::string_view key, bool required = true);
  std::optional<int64_t> Int(std::string_view key, int64_t lo, int64_t hi, bool required = true);
  std::optional<Time> TimeField(std::string_view key, bool required = true);
  const boost::json::object* Object(std::string_view key, bool required = true);
  // Records a problem with a field that the caller checks itself.
  void Fail(std::string_view key, std::string what);

  Status Finish();

 private:
  const boost::json::value* Find(std::string_view key, bool required);
  std::string Name(std::string_view key) const;

  const boost::json::object* obj_ = nullptr;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
  Status status_;
};

// A JSON answer.
HttpResponse JsonResponse(int status, const boost::json::value& body);

}  // namespace cloison::api
