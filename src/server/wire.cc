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

std::string SerializeResponse(const api::HttpResponse& resp, unsigned version, bool keep_alive) {
  std::string_view reason = http::obsolete_reason(static_cast<http::status>(resp.status));
  std::string length = std::to_string(resp.body.size());
  size_t headers = 0;
  for (const auto& [k, v] : resp.headers) headers += k.size() + v.size() + 4;
  std::string out;
  out.reserve(160 + reason.size() + resp.content_type.size() + headers + resp.body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(resp.status);
  out += ' ';
  out += reason;
  out += "\r\nContent-Type: ";
  out += resp.content_type;
  // Answers carry personal data and legal records: never cached.
  out += "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n";
  for (const auto& [k, v] : resp.headers) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  // HTTP/1.1 keeps the connection unless told; 1.0 closes it unless told.
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  out += "Content-Length: ";
  out += length;
  out += "\r\n\r\n";
  out += resp.body;
  return out;
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
