// Between Beast's HTTP messages and the API's transport-free structs, and
// the synchronous request parser the fuzz target drives with the server's
// limits.
#pragma once

#include <boost/beast/http.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "api/http.h"
#include "base/status.h"

namespace cloison::server {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// `client_cert_cn`, `client_cert_serial`: the CN and serial of a verified
// client certificate, or "".
api::HttpRequest ToApiRequest(BeastRequest req, const std::string& client_cert_cn,
                              const std::string& client_cert_serial = {});
// The answer as it goes on the wire: status line, headers (Content-Type,
// Cache-Control: no-store, X-Content-Type-Options: nosniff, the extra ones,
// Connection as HTTP/1.`version % 10` needs for `keep_alive`,
// Content-Length), then the body; one buffer, written in one call.
std::string SerializeResponse(const api::HttpResponse& resp, unsigned version, bool keep_alive);

// The request's path (no query) for the access log: at most 200 bytes of
// printable ASCII without spaces or quotes, "<unprintable>" otherwise.
std::string SafePath(std::string_view target);

struct WireLimits {
  size_t header_limit = 16 * 1024;
  size_t body_limit = size_t{1} << 20;
};

// Parses one complete request from `wire` with the server's limits:
// InvalidArgument naming what is wrong (malformed, headers or body too
// large, incomplete).
Result<api::HttpRequest> ParseRequest(std::string_view wire, const WireLimits& limits);

}  // namespace cloison::server
