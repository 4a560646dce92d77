// The HTTPS server (Boost.Beast over Asio, OpenSSL): TLS 1.3 only, optional
// client certificates (mTLS) verified against the instance CA, HTTP/1.1 with
// keep-alive, bounded by the limits below, and a graceful shutdown: stop
// accepting, finish the requests in flight, close idle connections.
//
// Each connection is a coroutine on its own strand, served by `threads` I/O
// threads. The use cases are synchronous (a write waits for its fsync), so
// handlers never run there: the session hands the request to a pool of
// `handler_threads` threads and resumes on its strand with the answer. Many
// requests can thus wait in handlers at once (item ingest waits for a group
// commit, api/ingest_batcher.h) while the I/O threads keep reading and
// writing other connections.
//
// Thread-safety: Shutdown may be called from any thread (also from a signal
// handler set up by the server itself); Wait from one.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/api.h"
#include "base/status.h"

namespace cloison::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:8443";  // "HOST:PORT", PORT 0 for an ephemeral one
  size_t header_limit = 16 * 1024;        // request line and headers
  // The TLS handshake, then each request's headers (also the wait for the
  // next request on a kept-alive connection), then its body, must each
  // arrive within these; a slow client is cut off, not waited for.
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  int threads = 2;  // I/O threads: TLS, HTTP parsing, writing answers
  // Requests in api::Api::Handle at once, at most. An item ingest holds its
  // thread until its group commit is durable (api/ingest_batcher.h), and a
  // group commit takes what queued while the previous one ran (two fsyncs
  // whatever its size): with N threads, batches are at most about N/2
  // items. bench/http_bench.cc, 64 ingesting connections, interleaved runs
  // on a shared machine: 32 threads gave batches of 15 and 4,810 items/s
  // between runs of 64 threads at 26-30 per batch and 5,970-6,270 items/s;
  // 64 costs GET /v1/authorisations/{id} 8-12% more CPU per request (idle
  // threads are woken per request); 128 gave batches of 30 too and cost
  // reads 20-25%. Ingest that does not hold a thread while it waits would
  // remove the trade-off (not built).
  int handler_threads = 64;
  size_t max_connections = 1024;
  bool handle_signals = false;  // SIGTERM and SIGINT start a graceful shutdown
};

struct TlsFiles {
  std::string cert_chain;  // PEM: the server certificate, then its CA
  std::string key;         // PEM private key
  std::string client_ca;   // PEM CA that issues client certificates; "" for no mTLS
};

class Server {
 public:
  // Binds, listens and starts serving on `options.threads` threads.
  static Result<std::unique_ptr<Server>> Start(api::Api& api, const TlsFiles& tls,
                                               const ServerOptions& options);
  ~Server();  // Shutdown() then Wait()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  // Graceful: idempotent, returns at once; Wait() returns when done (the
  // requests in handlers answered, then the handler pool joined).
  void Shutdown();
  void Wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cloison::server
