#include "service/rnd_json.h"

namespace cloison::service {
namespace json = boost::json;

const json::value* JsonFields::Get(std::string_view key, bool required) {
  const json::value* v = o_->if_contains(key);
  if (v == nullptr && required) Fail(key, "present");
  return v;
}

void JsonFields::Fail(std::string_view key, std::string_view want) {
  if (status_.ok())
    status_ =
        Status::Corruption(what_ + ": field " + std::string(key) + ": want " + std::string(want));
}

std::string JsonFields::Str(std::string_view key) {
  const json::value* v = Get(key, true);
  if (v == nullptr) return {};
  if (!v->is_string()) return Fail(key, "a string"), "";
  return std::string(v->as_string());
}

bool JsonFields::Bool(std::string_view key) {
  const json::value* v = Get(key, true);
  if (v == nullptr) return false;
  if (!v->is_bool()) return Fail(key, "true or false"), false;
  return v->as_bool();
}

int64_t JsonFields::Int(std::string_view key) {
  const json::value* v = Get(key, true);
  if (v == nullptr) return 0;
  if (!v->is_int64()) return Fail(key, "an integer"), 0;
  return v->as_int64();
}

Time JsonFields::At(std::string_view key) {
  auto t = OptAt(key);
  if (!t && status_.ok()) Fail(key, "a time");
  return t.value_or(Time{});
}

std::optional<Time> JsonFields::OptAt(std::string_view key) {
  const json::value* v = Get(key, false);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) return Fail(key, "an RFC 3339 time"), std::nullopt;
  auto t = ParseTime(std::string_view(v->as_string()), key);
  if (!t.ok()) return Fail(key, "an RFC 3339 time"), std::nullopt;
  return *t;
}

std::vector<std::string> JsonFields::Strs(std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = Get(key, true);
  if (v == nullptr) return out;
  if (!v->is_array()) return Fail(key, "an array of strings"), out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return Fail(key, "an array of strings"), std::vector<std::string>{};
    out.emplace_back(e.as_string());
  }
  return out;
}

const json::object* JsonFields::Obj(std::string_view key) {
  const json::value* v = Get(key, false);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_object()) return Fail(key, "an object"), nullptr;
  return &v->as_object();
}

std::vector<rules::Violation> JsonFields::Violations(std::string_view key) {
  std::vector<rules::Violation> out;
  const json::value* v = Get(key, false);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return Fail(key, "an array of violations"), out;
  for (const auto& e : v->as_array()) {
    if (!e.is_object()) return Fail(key, "an array of violations"), std::vector<rules::Violation>{};
    JsonFields f(e.as_object(), what_ + " " + std::string(key));
    out.push_back({f.Str("rule"), f.Str("article"), f.Str("message")});
    if (!f.status().ok() && status_.ok()) status_ = f.status();
  }
  return out;
}

Result<json::object> ParseObject(const std::string& body, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object())
    return Status::Corruption(std::string(what) + ": stored body is not a JSON object");
  return std::move(v.as_object());
}

Status AllowRoles(const Principal& actor, std::initializer_list<Role> roles,
                  std::string_view what) {
  for (Role r : roles)
    if (actor.role == r) return Status::Ok();
  return Status::PermissionDenied("role " + std::string(RoleName(actor.role)) + " may not " +
                                  std::string(what));
}

json::value OptTimeJson(const std::optional<Time>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}

json::array StringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace cloison::service
