// A TileSource over HTTP or HTTPS (`cloison verify --url`, `cloison witness
// --url`): a small synchronous GET client on Boost.Beast. TLS certificates
// and host names are always verified (the system's roots, or --cacert for a
// private CA). Every step has a timeout and every answer a size bound, so a
// slow or hostile server cannot hang or exhaust the verifier. 404 and 410
// are NotFound; redirects are not followed.
//
// Thread-safety: not thread-safe (one connection, kept alive between GETs).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ledger/verifier.h"

namespace cloison::cli {

struct HttpOptions {
  std::string cacert;                        // PEM file of trusted CAs; empty: the system's
  std::chrono::milliseconds timeout{15000};  // connect, TLS handshake, each request and response
  uint64_t max_body_bytes = ledger::kMaxResourceBytes;
};

class HttpSource final : public ledger::TileSource {
 public:
  // `url` is the log's prefix: "http(s)://host[:port][/path]". Resources are
  // fetched at prefix + "/" + path.
  static Result<std::unique_ptr<HttpSource>> Open(std::string_view url,
                                                  const HttpOptions& options = {});
  ~HttpSource() override;
  Result<std::string> Fetch(std::string_view path) override;

  struct Impl;

 private:
  explicit HttpSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cloison::cli
