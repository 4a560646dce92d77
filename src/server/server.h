// The HTTPS server (Boost.Beast over Asio, OpenSSL): TLS 1.3 only, optional
// client certificates (mTLS) verified against the instance CA, HTTP/1.1 with
// keep-alive, bounded by the limits below, and a graceful shutdown: stop
// accepting, finish the requests in flight, close idle connections.
//
// Each connection is a coroutine on one of `threads` io_contexts, each run
// by one I/O thread (new connections go round robin). The use cases are
// synchronous (a write waits for its fsync), so handlers do not run there:
// the session hands the request to a pool of `handler_threads` threads and
// resumes on its context with the answer, while the I/O threads keep
// reading and writing other connections. Three exceptions: GET /healthz
// and the quick reads (api::Api::IsQuickRead: one read transaction, no
// write) are answered on the I/O thread, and item ingest
// (api::Api::HandleAsync) waits for its group commit (api/ingest_batcher.h)
// holding no thread: the batcher's syncer hands the outcome back to the
// session's context, where the answer is built.
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
  // arrive within these; a slow client is cut off, not waited for. Checked
  // every quarter of the shortest (5 ms to 250 ms): a client may have up
  // to that much more.
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  int threads = 2;  // I/O threads: TLS, HTTP parsing, writing answers
  // Requests in api::Api::Handle at once, at most (item ingest does not
  // hold one while it waits for its commit). Writes hold theirs through
  // their commit, so more than the cores let reads go on meanwhile; every
  // idle thread more costs each request wake-ups. bench/http_bench.cc,
  // 64 connections, consecutive runs on a shared machine: GET
  // /v1/authorisations/{id} cost 107-115 us of CPU with 16 threads against
  // 131 with 64 (the default while ingest held a thread per request).
  int handler_threads = 16;
  // Item ingest's checks (credentials, access, parameters: reads of the
  // store on pooled WAL read connections, which never wait for the writer)
  // on the I/O thread that read the request, rather than a hand-off to the
  // handler pool and back: about 20% less CPU per item in
  // bench/http_bench.cc (143-177 us against 188-217). A read that must go
  // to the disk holds that I/O thread meanwhile; false sends the checks to
  // the handler pool.
  bool ingest_checks_on_io_threads = true;
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
  // Binds, listens and starts serving on `options.threads` threads. Sets
  // SIGPIPE to be ignored in the whole process: OpenSSL writes to the
  // sockets itself, and a peer gone mid-answer must cost only its
  // connection.
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
