// A small reader for the JSON bodies of the records written by the R&D,
// exploitation and recommendation use cases (doc/formats/rnd.md,
// doc/exploitation.md). Stored bodies are ours: a field that is missing or
// of the wrong type is Corruption naming the record and the field.
//
// Thread-safety: a JsonFields is used by one thread.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "rules/rulebook.h"
#include "service/principal.h"

namespace cloison::service {

class JsonFields {
 public:
  // `what` names the record in messages: "rnd_programme rnp_...".
  JsonFields(const boost::json::object& o, std::string what) : o_(&o), what_(std::move(what)) {}

  std::string Str(std::string_view key);
  bool Bool(std::string_view key);
  int64_t Int(std::string_view key);
  Time At(std::string_view key);
  std::optional<Time> OptAt(std::string_view key);  // absent or null: nullopt
  std::vector<std::string> Strs(std::string_view key);
  // A nested object, or nullptr when absent or null.
  const boost::json::object* Obj(std::string_view key);
  std::vector<rules::Violation> Violations(std::string_view key);

  // The first problem met, or OK.
  Status status() const { return status_; }

 private:
  const boost::json::value* Get(std::string_view key, bool required);
  void Fail(std::string_view key, std::string_view want);

  const boost::json::object* o_;
  std::string what_;
  Status status_ = Status::Ok();
};

// Parses a stored body into an object; Corruption naming `what` otherwise.
Result<boost::json::object> ParseObject(const std::string& body, std::string_view what);

// Deny by default: OK only when the actor has one of `roles`;
// PermissionDenied "role X may not <what>" otherwise.
Status AllowRoles(const Principal& actor, std::initializer_list<Role> roles, std::string_view what);

boost::json::value OptTimeJson(const std::optional<Time>& t);
boost::json::array StringsJson(const std::vector<std::string>& v);

}  // namespace cloison::service
