// JSON bodies of the records the service keeps in the store (kind
// "request", "authorisation", "quota", "principal"). Field names are the
// API's (API.md); times are RFC 3339 UTC. Decoding a stored body that does
// not match is Corruption, naming the field.
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "authz/model.h"
#include "base/status.h"
#include "service/principal.h"

namespace cloison::service {

boost::json::object ToJson(const authz::RequestDraft& d);
boost::json::object ToJson(const authz::Request& r);
boost::json::object ToJson(const authz::Authorisation& a);
boost::json::object ToJson(const authz::Quota& q);
boost::json::object ToJson(const Principal& p);
boost::json::array ToJson(const std::vector<rules::Violation>& v);

Result<authz::Request> RequestFromJson(const std::string& body);
Result<authz::Authorisation> AuthorisationFromJson(const std::string& body);
Result<authz::Quota> QuotaFromJson(const std::string& body);
Result<Principal> PrincipalFromJson(const std::string& body);

// Parses a request draft as a client sends it (API.md POST /requests). Unknown
// fields and wrong types are InvalidArgument naming the field.
Result<authz::RequestDraft> DraftFromJson(const boost::json::value& v);

// Canonical JSON (doc/formats/event.md): object keys sorted by their UTF-8
// bytes, no insignificant whitespace, integers only, minimal string escapes.
std::string Canonical(const boost::json::value& v);
// Appends `s` as Canonical writes a string: quoted, minimal escapes.
void AppendCanonicalString(std::string& out, std::string_view s);

}  // namespace cloison::service
