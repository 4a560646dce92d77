#include "server/wire.h"

#include <utility>

namespace cloison::server {
namespace http = boost::beast::http;

api::HttpRequest ToApiRequest(BeastRequest req, const std::string& client_cert_cn,
                              const std::string& client_cert_serial) {
  api::HttpRequest in;
  in.method = std::string(req.method_string());
  in.target = std::string(req.target());
  in.authorization = std::string(req[http::field::authorization]);
  in.content_type = std::string(req[http::field::content_type]);
  in.body = std::move(req.body());
  in.client_cert_cn = client_cert_cn;
  in.client_cert_serial = client_cert_serial;
  return in;
}

BeastResponse ToBeastResponse(const api::HttpResponse& resp, unsigned version, bool keep_alive) {
  BeastResponse res{static_cast<http::status>(resp.status), version};
  res.set(http::field::content_type, resp.content_type);
  // Answers carry personal data and legal records: never cached.
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  for (const auto& [k, v] : resp.headers) res.set(k, v);
  res.keep_alive(keep_alive);
  res.body() = resp.body;
  res.prepare_payload();
  return res;
}

std::string SafePath(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.size() > 200) return "<long>";
  for (char c : path) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return "<unprintable>";
  }
  return std::string(path);
}

Result<api::HttpRequest> ParseRequest(std::string_view wire, const WireLimits& limits) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.body_limit(limits.body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (used < wire.size() && !parser.is_done()) {
    size_t n = parser.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) break;
    if (n == 0) break;
    used += n;
  }
  if (!ec && !parser.is_done()) {
    // put_eof requires some input (Beast asserts it): nothing is incomplete.
    if (parser.got_some()) parser.put_eof(ec);
    if (!ec && !parser.is_done()) ec = http::error::partial_message;
  }
  if (ec == http::error::need_more) ec = http::error::partial_message;
  if (ec == http::error::header_limit)
    return Status::InvalidArgument("headers: more than " + std::to_string(limits.header_limit) +
                                   " bytes");
  if (ec == http::error::body_limit)
    return Status::InvalidArgument("body: more than " + std::to_string(limits.body_limit) +
                                   " bytes");
  if (ec) return Status::InvalidArgument("HTTP: " + ec.message());
  return ToApiRequest(parser.release(), "");
}

}  // namespace cloison::server
