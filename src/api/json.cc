#include "api/json.h"

namespace cloison::api {
namespace json = boost::json;

Result<json::value> ParseJsonBody(std::string_view body, bool empty_is_object) {
  if (body.empty()) {
    if (empty_is_object) return json::value(json::object());
    return Status::InvalidArgument("body: missing, want a JSON object");
  }
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  json::storage_ptr sp;
  json::value v = json::parse(body, ec, sp, opt);
  if (ec) return Status::InvalidArgument("body: not valid JSON: " + ec.message());
  return v;
}

std::string_view KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "?";
}

FieldReader::FieldReader(const json::value& v, std::string path) : path_(std::move(path)) {
  if (v.is_object()) {
    obj_ = &v.as_object();
  } else {
    status_ = Status::InvalidArgument((path_.empty() ? std::string("body") : path_) + ": got " +
                                      std::string(KindName(v)) + ", want an object");
  }
}

std::string FieldReader::Name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void FieldReader::Fail(std::string_view key, std::string what) {
  if (status_.ok()) status_ = Status::InvalidArgument(Name(key) + ": " + what);
}

const json::value* FieldReader::Find(std::string_view key, bool required) {
  seen_.emplace(key);
  if (!obj_) return nullptr;
  const json::value* v = obj_->if_contains(key);
  if (!v && required) Fail(key, "missing");
  return v;
}

std::string FieldReader::Str(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return {};
  if (!v->is_string()) {
    Fail(key, "got " + std::string(KindName(*v)) + ", want a string");
    return {};
  }
  return std::string(v->as_string());
}

std::optional<bool> FieldReader::Bool(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    Fail(key, "got " + std::string(KindName(*v)) + ", want true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<int64_t> FieldReader::Int(std::string_view key, int64_t lo, int64_t hi,
                                        bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  int64_t n = 0;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64()) {
    Fail(key, "got " + std::to_string(v->as_uint64()) + ", want " + std::to_string(lo) + ".." +
                  std::to_string(hi));
    return std::nullopt;
  } else {
    Fail(key, "got " + std::string(KindName(*v)) + ", want an integer");
    return std::nullopt;
  }
  if (n < lo || n > hi) {
    Fail(key,
         "got " + std::to_string(n) + ", want " + std::to_string(lo) + ".." + std::to_string(hi));
    return std::nullopt;
  }
  return n;
}

std::optional<Time> FieldReader::TimeField(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "got " + std::string(KindName(*v)) + ", want an RFC 3339 time");
    return std::nullopt;
  }
  auto t = ParseTime(std::string_view(v->as_string()), Name(key));
  if (!t.ok()) {
    if (status_.ok()) status_ = Status::InvalidArgument(t.status().message());
    return std::nullopt;
  }
  return *t;
}

const json::object* FieldReader::Object(std::string_view key, bool required) {
  const json::value* v = Find(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Fail(key, "got " + std::string(KindName(*v)) + ", want an object");
    return nullptr;
  }
  return &v->as_object();
}

Status FieldReader::Finish() {
  if (status_.ok() && obj_) {
    // Unknown fields are errors: a typo must not pass silently.
    for (const auto& kv : *obj_) {
      if (!seen_.count(std::string_view(kv.key()))) {
        Fail(kv.key(), "unknown field");
        break;
      }
    }
  }
  return status_;
}

HttpResponse JsonResponse(int status, const json::value& body) {
  HttpResponse r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

}  // namespace cloison::api
