// The API's view of one HTTP exchange, without sockets: the server (or a
// test) fills an HttpRequest and sends back the HttpResponse. Only what the
// handlers need is here; the transport keeps everything else.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cloison::api {

struct HttpRequest {
  std::string method;         // "GET", "POST", ...
  std::string target;         // "/v1/requests?state=granted", as sent
  std::string authorization;  // the Authorization header, "" if none
  std::string content_type;   // the Content-Type header, "" if none
  std::string body;
  // The common name of a client certificate the TLS layer verified against
  // the instance CA ("" if none): a principal id (mTLS).
  std::string client_cert_cn;
  // Its serial number (crypto::SerialHex), checked against the instance's
  // certificate register on every request (service/certificates.h). The
  // server always sets it with the CN; "" only from in-process callers.
  std::string client_cert_serial;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // For the access log and metrics, never sent: the operation id (or "" if
  // no route matched) and the authenticated principal id (or "").
  std::string operation;
  std::string principal;
};

}  // namespace cloison::api
