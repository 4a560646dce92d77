// The one translation unit that includes Beast and Asio's SSL support.
// OpenSSL headers appear here (through boost/asio/ssl.hpp, for the peer
// certificate's common name, and for TlsSocket, which runs TLS on the
// socket itself) because the server's TLS needs ssl.h; everything else of
// crypto lives in src/crypto (STYLE.md).
// Coroutine frames are allocated with plain new, not from Asio's per-thread
// recycling cache: clang (16 at least) may keep the cache's thread-local
// address across a co_await, and a session resumed on the other I/O thread
// then used the first thread's cache at the same time as it (a data race
// found by the server tests under TSan; llvm/llvm-project#47179). Only this
// file uses coroutines, so no other translation unit sees a different frame
// allocator.
#define BOOST_ASIO_DISABLE_AWAITABLE_FRAME_RECYCLING 1

#include "server/server.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "api/errors.h"
#include "base/log.h"
#include "crypto/x509.h"
#include "server/wire.h"

namespace cloison::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using SteadyClock = std::chrono::steady_clock;
constexpr SteadyClock::time_point kNever = SteadyClock::time_point::max();

// What Shutdown and the context's watchdog need to reach a connection;
// touched only on its context's thread.
struct SessionState {
  asio::any_io_executor executor;
  size_t context = 0;                         // index of its io_context
  tcp::socket* socket = nullptr;              // while the session runs
  SteadyClock::time_point deadline = kNever;  // its I/O in progress is cut off after
  bool busy = false;                          // between a request's headers and its answer
  bool alive = true;
};

// Timeouts without a timer per read and write: each I/O step of a session
// sets its deadline (a store), and one timer per context looks at the
// deadlines of its sessions every `tick`, cancelling the socket of any past
// its own (its I/O then fails with operation_aborted). Beast's tcp_stream
// armed, cancelled and completed a timer for every read and every write.
// A deadline is kept at most one tick late. Touched only on its context's
// thread.
struct Watchdog {
  explicit Watchdog(asio::io_context& ioc) : timer(ioc) {}
  asio::steady_timer timer;
  std::vector<SessionState*> sessions;
  bool armed = false;
};

Result<tcp::endpoint> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Status::InvalidArgument("listen: got \"" + listen + "\", want HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string_view port_s = std::string_view(listen).substr(colon + 1);
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_s.data(), port_s.data() + port_s.size(), port);
  if (ec != std::errc() || p != port_s.data() + port_s.size() || port > 65535 || port_s.empty())
    return Status::InvalidArgument("listen: port: got \"" + std::string(port_s) +
                                   "\", want 0..65535");
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code aec;
  auto addr = asio::ip::make_address(host, aec);
  if (aec) return Status::InvalidArgument("listen: host: got \"" + host + "\", want an IP address");
  return tcp::endpoint(addr, static_cast<uint16_t>(port));
}

// The CN and serial of a client certificate that verified against the
// client CA; both empty if there is none, or if either cannot be read (the
// API then sees no certificate, and asks for credentials). Revocation is
// not decided here but per request by the API (service/certificates.h):
// a TLS alert would tell the client nothing, and a connection opened before
// a revocation must not outlive it.
struct PeerCertificate {
  std::string cn;
  std::string serial;
};
PeerCertificate PeerCertificateOf(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return {};
  PeerCertificate p{crypto::SubjectCommonName(cert), crypto::SerialHex(cert)};
  if (p.cn.empty() || p.serial.empty()) return {};
  return p;
}

bool Quiet(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == ssl::error::stream_truncated || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}

// TLS straight on the socket: OpenSSL reads and writes the descriptor
// itself, which is non-blocking, and the coroutine waits for it to be
// readable or writable only when OpenSSL asks. Asio's ssl::stream goes
// through a pair of memory BIOs instead, copying every record in and out
// and running a composed operation for each step (a twelfth of the
// server's CPU under ingest; BENCHMARKS.md, "Session 8"). Errors come back
// as Asio's would: eof for a close_notify, stream_truncated for an end
// without one, the system's or OpenSSL's code otherwise.
using IoResult = std::tuple<boost::system::error_code, size_t>;

class TlsSocket {
 public:
  TlsSocket(tcp::socket socket, SSL_CTX* ctx) : socket_(std::move(socket)), ssl_(SSL_new(ctx)) {}
  ~TlsSocket() { SSL_free(ssl_); }
  TlsSocket(const TlsSocket&) = delete;
  TlsSocket& operator=(const TlsSocket&) = delete;

  tcp::socket& socket() { return socket_; }
  SSL* native_handle() { return ssl_; }

  // Before any other call: makes the descriptor non-blocking, gives it to
  // OpenSSL, and runs the server side of the handshake.
  asio::awaitable<boost::system::error_code> Handshake() {
    if (ssl_ == nullptr) co_return asio::error::no_memory;
    boost::system::error_code ec;
    socket_.native_non_blocking(true, ec);
    if (ec) co_return ec;
    if (SSL_set_fd(ssl_, socket_.native_handle()) != 1) co_return asio::error::bad_descriptor;
    auto [hec, n] = co_await Drive([this](size_t&) { return SSL_accept(ssl_); });
    co_return hec;
  }

  asio::awaitable<IoResult> ReadSome(asio::mutable_buffer b) {
    co_return co_await Drive(
        [this, b](size_t& n) { return SSL_read_ex(ssl_, b.data(), b.size(), &n); });
  }

  // All of `b` (OpenSSL writes whole records and, without partial writes,
  // reports success once every byte is sent), or an error.
  asio::awaitable<IoResult> Write(asio::const_buffer b) {
    if (b.size() == 0) co_return IoResult(boost::system::error_code(), 0);
    co_return co_await Drive(
        [this, b](size_t& n) { return SSL_write_ex(ssl_, b.data(), b.size(), &n); });
  }

  // Whether OpenSSL holds bytes read from the socket and not returned yet
  // (the start of a pipelined request, read ahead).
  bool HasPending() const { return SSL_has_pending(ssl_) == 1; }

  // Until the socket has bytes to read, or the wait is cancelled. Asio
  // re-arms the descriptor for a wait (EPOLL_CTL_MOD), and epoll then
  // reports bytes that had already come as well.
  asio::awaitable<boost::system::error_code> WaitReadable() {
    auto [ec] = co_await socket_.async_wait(tcp::socket::wait_read, kTuple);
    co_return ec;
  }

  // Sends close_notify; does not wait for the peer's.
  asio::awaitable<void> Shutdown() {
    co_await Drive([this](size_t&) {
      int r = SSL_shutdown(ssl_);
      return r == 0 ? 1 : r;  // 0: ours is sent, the peer's not read, as wanted
    });
  }

 private:
  // Runs `op` (an SSL call: 1 for success) until it succeeds or fails,
  // waiting for the socket whenever OpenSSL wants to read or write.
  template <typename Op>
  asio::awaitable<IoResult> Drive(Op op) {
    for (;;) {
      // SSL_get_error needs the thread's queue empty; clearing an empty one
      // still frees its 32 slots' (null) strings, one free() each.
      if (ERR_peek_error() != 0) ERR_clear_error();
      size_t n = 0;
      int r = op(n);
      int sys = errno;
      if (r == 1) co_return IoResult(boost::system::error_code(), n);
      tcp::socket::wait_type wait;
      switch (SSL_get_error(ssl_, r)) {
        case SSL_ERROR_WANT_READ:
          wait = tcp::socket::wait_read;
          break;
        case SSL_ERROR_WANT_WRITE:
          wait = tcp::socket::wait_write;
          break;
        case SSL_ERROR_ZERO_RETURN:
          co_return IoResult(asio::error::eof, n);
        case SSL_ERROR_SYSCALL:
          co_return IoResult(sys != 0
                                 ? boost::system::error_code(sys, boost::system::system_category())
                                 : boost::system::error_code(ssl::error::stream_truncated),
                             n);
        default: {
          unsigned long e = ERR_peek_last_error();
          if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
              ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
            co_return IoResult(ssl::error::stream_truncated, n);
          co_return IoResult(
              boost::system::error_code(static_cast<int>(e), asio::error::get_ssl_category()), n);
        }
      }
      auto [ec] = co_await socket_.async_wait(wait, kTuple);
      if (ec) co_return IoResult(ec, 0);
    }
  }

  tcp::socket socket_;
  SSL* ssl_;
};

}  // namespace

struct Server::Impl {
  Impl(api::Api& a, const ServerOptions& o)
      : api(a),
        options(o),
        iocs(MakeContexts(o.threads)),
        tick(TickFor(o)),
        ctx(ssl::context::tls_server),
        acceptor(*iocs.front()),
        signals(*iocs.front()),
        handlers(static_cast<size_t>(o.handler_threads)) {
    for (auto& c : iocs) {
      keep.emplace_back(asio::make_work_guard(*c));
      watchdogs.push_back(std::make_unique<Watchdog>(*c));
    }
  }

  // A quarter of the shortest timeout, within 5 ms..250 ms.
  static SteadyClock::duration TickFor(const ServerOptions& o) {
    auto shortest = std::min({o.handshake_timeout, o.idle_timeout, o.read_timeout, o.write_timeout,
                              std::chrono::milliseconds(1000)});
    return std::clamp<SteadyClock::duration>(shortest / 4, std::chrono::milliseconds(5),
                                             std::chrono::milliseconds(250));
  }

  // One io_context per I/O thread, each run by that thread alone: a
  // connection lives on one of them, so its steps need no strand, and the
  // threads share no scheduler (its mutex, and a wake-up of the other
  // thread for each completion, cost more than the work on this machine;
  // BENCHMARKS.md, "Session 5").
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < std::max(n, 1); ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  Status Configure(const TlsFiles& tls);
  asio::awaitable<void> Accept();
  asio::awaitable<void> Session(tcp::socket socket, std::shared_ptr<SessionState> state);
  void Shutdown();
  // On the session's context: watched from now on, until Unwatch.
  void Watch(SessionState* s);
  void Unwatch(SessionState* s);
  void Arm(Watchdog& w);
  // api.HandleAsync(in), started here or on the handler pool
  // (options.ingest_checks_on_io_threads); completes on the calling
  // coroutine's context with the answer to build.
  asio::awaitable<api::Api::Answer> HandleAsync(api::HttpRequest in);
  void Count(std::string_view name, std::string_view help) { api.metrics().Add(name, help, 1); }

  api::Api& api;
  ServerOptions options;
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  // Keeps every io_context running while there is no connection on it;
  // reset by Shutdown, after which each returns once its connections end.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep;
  std::vector<std::unique_ptr<Watchdog>> watchdogs;  // one per io_context, same order
  SteadyClock::duration tick;
  size_t next_context = 0;  // round robin of new connections; Accept's only
  ssl::context ctx;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  uint16_t port = 0;
  std::vector<std::thread> threads;
  // Runs api.Handle off the I/O threads. Joined by Wait, after the I/O
  // threads: a session waiting for its handler keeps its context's work
  // alive.
  asio::thread_pool handlers;

  std::mutex mu;
  bool stopping = false;                                       // guarded by mu
  uint64_t next_session = 0;                                   // guarded by mu
  std::map<uint64_t, std::shared_ptr<SessionState>> sessions;  // guarded by mu
  std::atomic<bool> stopping_flag{false};                      // stopping, for lock-free reads
};

Status Server::Impl::Configure(const TlsFiles& tls) {
  SSL_CTX* native = ctx.native_handle();
  // TLS 1.3 only: no downgrade, no renegotiation, forward secrecy always.
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1)
    return Status::Internal("tls: cannot restrict to TLS 1.3");
  // OpenSSL reads the socket itself (TlsSocket): as much as has arrived in
  // one read, not a record's header and then its body in two.
  SSL_CTX_set_read_ahead(native, 1);
  boost::system::error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_compression,
                  ec);
  ctx.use_certificate_chain_file(tls.cert_chain, ec);
  if (ec)
    return Status::InvalidArgument("tls: certificate " + tls.cert_chain + ": " + ec.message());
  ctx.use_private_key_file(tls.key, ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument("tls: key " + tls.key + ": " + ec.message());
  if (!tls.client_ca.empty()) {
    ctx.load_verify_file(tls.client_ca, ec);
    if (ec) return Status::InvalidArgument("tls: client CA " + tls.client_ca + ": " + ec.message());
    // Ask for a client certificate but do not require one: bearer tokens
    // are the other way in. A certificate that is sent must verify.
    ctx.set_verify_mode(ssl::verify_peer, ec);
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca.c_str()))
      SSL_CTX_set_client_CA_list(native, names);
  } else {
    ctx.set_verify_mode(ssl::verify_none, ec);
  }
  return Status::Ok();
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    size_t context = next_context++ % iocs.size();
    asio::io_context& home = *iocs[context];
    auto [ec, socket] = co_await acceptor.async_accept(home, kTuple);
    if (ec) {
      if (stopping_flag.load() || ec == asio::error::operation_aborted) co_return;
      Log(LogLevel::kWarning, "http.accept_failed", "error=\"" + ec.message() + "\"");
      // Out of descriptors, most likely: give the others a moment.
      asio::steady_timer t(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(kTuple);
      continue;
    }
    auto state = std::make_shared<SessionState>();
    state->executor = socket.get_executor();
    state->context = context;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (stopping) co_return;
      if (sessions.size() >= options.max_connections) {
        Count("cloison_http_connections_refused_total",
              "Connections closed at once: too many open.");
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      sessions.emplace(next_session++, state);
      api.metrics().SetGauge("cloison_http_connections_open", "Connections open now.",
                             static_cast<int64_t>(sessions.size()));
    }
    Count("cloison_http_connections_total", "Connections accepted.");
    auto executor = state->executor;
    asio::co_spawn(executor, Session(std::move(socket), state), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        Log(LogLevel::kError, "http.session_exception", "what=\"" + std::string(ex.what()) + "\"");
      }
    });
  }
}

void Server::Impl::Watch(SessionState* s) {
  Watchdog& w = *watchdogs[s->context];
  w.sessions.push_back(s);
  if (!w.armed) Arm(w);
}

void Server::Impl::Unwatch(SessionState* s) {
  Watchdog& w = *watchdogs[s->context];
  auto it = std::find(w.sessions.begin(), w.sessions.end(), s);
  if (it != w.sessions.end()) {
    *it = w.sessions.back();
    w.sessions.pop_back();
  }
  // Its pending wait would keep the context running (and Wait waiting) for
  // up to a tick after its last connection.
  if (w.sessions.empty()) w.timer.cancel();
}

void Server::Impl::Arm(Watchdog& w) {
  w.armed = true;
  w.timer.expires_after(tick);
  w.timer.async_wait([this, &w](const boost::system::error_code&) {
    w.armed = false;
    auto now = SteadyClock::now();
    for (SessionState* s : w.sessions) {
      if (s->socket && now >= s->deadline) {
        s->deadline = kNever;
        boost::system::error_code ignored;
        s->socket->cancel(ignored);
      }
    }
    if (!w.sessions.empty()) Arm(w);
  });
}

asio::awaitable<void> Server::Impl::Session(tcp::socket socket,
                                            std::shared_ptr<SessionState> state) {
  std::string peer;
  {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) peer = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  TlsSocket stream(std::move(socket), ctx.native_handle());
  state->socket = &stream.socket();
  Watch(state.get());
  auto expires_after = [&](SteadyClock::duration d) { state->deadline = SteadyClock::now() + d; };
  auto finish = [&] {
    state->alive = false;
    state->socket = nullptr;
    Unwatch(state.get());
    std::lock_guard<std::mutex> lock(mu);
    for (auto it = sessions.begin(); it != sessions.end(); ++it) {
      if (it->second == state) {
        sessions.erase(it);
        break;
      }
    }
    api.metrics().SetGauge("cloison_http_connections_open", "Connections open now.",
                           static_cast<int64_t>(sessions.size()));
  };

  expires_after(options.handshake_timeout);
  boost::system::error_code hec = co_await stream.Handshake();
  if (hec) {
    Count("cloison_tls_handshake_failures_total", "TLS handshakes that failed or timed out.");
    Log(LogLevel::kDebug, "tls.handshake_failed",
        "peer=" + peer + " error=\"" + hec.message() + "\"");
    boost::system::error_code ignored;
    stream.socket().close(ignored);
    finish();
    co_return;
  }
  PeerCertificate peer_cert = PeerCertificateOf(stream.native_handle());
  const std::string& cn = peer_cert.cn;

  // Bytes read and not parsed yet: the rest of a read, or the next request
  // of a client that pipelines.
  beast::flat_buffer buffer;
  // Feeds `parser` from `buffer`, reading more as needed, until `enough`:
  // Beast's http::read_some, without its composed operations (one step of
  // the coroutine per read of the socket, none when the bytes are there).
  auto fill = [&](http::request_parser<http::string_body>& parser,
                  auto enough) -> asio::awaitable<boost::system::error_code> {
    boost::system::error_code ec;
    while (!enough()) {
      if (buffer.size() > 0) {
        size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (!ec && used > 0) continue;
        if (ec && ec != http::error::need_more) co_return ec;
        ec = {};
      }
      if (buffer.size() == 0 && !parser.got_some() && !stream.HasPending()) {
        // Between requests the next one is seldom there yet (a client
        // waits for its answer): wait for it rather than try a read that
        // fails first (a system call, and OpenSSL's path for it).
        if (auto wec = co_await stream.WaitReadable()) co_return wec;
      }
      auto [rec, n] = co_await stream.ReadSome(buffer.prepare(16 * 1024));
      if (rec == asio::error::eof) {
        // As Beast: a clean end between requests, else what is missing.
        if (!parser.got_some()) co_return http::error::end_of_stream;
        parser.put_eof(ec);
        if (!ec && !enough()) ec = http::error::partial_message;
        co_return ec;
      }
      if (rec) co_return rec;
      buffer.commit(n);
    }
    co_return ec;
  };

  bool open = true;
  bool clean = true;  // the loop ended after an answer, not on an error
  while (open && !stopping_flag.load()) {
    state->busy = false;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // No limit while reading the headers (Beast would check a declared
    // length against it there): the route's limit is known only after.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    expires_after(options.idle_timeout);
    auto rec = co_await fill(parser, [&] { return parser.is_header_done(); });
    auto start = SteadyClock::now();
    state->busy = true;
    api::HttpResponse resp;
    bool have_request = false;
    if (rec) {
      if (Quiet(rec)) {
        clean = false;
        break;
      }
      if (rec == http::error::header_limit) {
        resp = api::ErrorResponse(
            api::HttpError::kHeadersTooLarge,
            "headers: more than " + std::to_string(options.header_limit) + " bytes");
      } else {
        resp = api::ErrorResponse(Status::InvalidArgument("HTTP: " + rec.message()));
      }
      Count("cloison_http_rejected_total",
            "Requests refused before routing (limits, malformed HTTP).");
      open = false;
    } else {
      auto& req = parser.get();
      size_t limit = api.BodyLimit(std::string(req.method_string()), std::string(req.target()));
      auto length = parser.content_length();
      if (length && *length > limit) {
        resp =
            api.BodyTooLarge(std::string(req.method_string()), std::string(req.target()), *length);
        Count("cloison_http_rejected_total",
              "Requests refused before routing (limits, malformed HTTP).");
        open = false;
      } else {
        parser.body_limit(limit);
        if (req[http::field::expect] == "100-continue" && !parser.is_done()) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          expires_after(options.write_timeout);
          auto [cec, cn2] = co_await stream.Write(asio::buffer(kContinue.data(), kContinue.size()));
          if (cec) {
            clean = false;
            break;
          }
        }
        expires_after(options.read_timeout);
        // The body in as few steps as the bytes allow (usually in the read
        // that brought the headers).
        parser.eager(true);
        auto bec = co_await fill(parser, [&] { return parser.is_done(); });
        if (bec == http::error::body_limit) {
          resp = api.BodyTooLarge(std::string(req.method_string()), std::string(req.target()),
                                  std::nullopt);
          Count("cloison_http_rejected_total",
                "Requests refused before routing (limits, malformed HTTP).");
          open = false;
        } else if (bec) {
          if (Quiet(bec)) {
            clean = false;
            break;
          }
          resp = api::ErrorResponse(Status::InvalidArgument("HTTP: " + bec.message()));
          Count("cloison_http_rejected_total",
                "Requests refused before routing (limits, malformed HTTP).");
          open = false;
        } else {
          have_request = true;
        }
      }
    }
    // Not reading nor writing until the answer is written: the time a
    // request takes is not the client's.
    state->deadline = kNever;
    unsigned version = 11;
    std::string method = "-", path = "-";
    if (parser.is_header_done()) {
      const auto& req = parser.get();
      version = req.version();
      method = std::string(req.method_string());
      path = SafePath(req.target());
    }
    if (have_request) {
      auto req = parser.release();
      open = req.keep_alive();
      api::HttpRequest in = ToApiRequest(std::move(req), cn, peer_cert.serial);
      if (api.IsAsync(in.method, in.target)) {
        // Item ingest: its checks run (they read the store), then it waits
        // for its group commit holding no thread; the batcher's syncer hands
        // the outcome back to this context, and the answer is built here.
        api::Api::Answer answer = co_await HandleAsync(std::move(in));
        resp = answer();
      } else if (api.IsTrivial(in.method, in.target) || api.IsQuickRead(in.method, in.target)) {
        // GET /healthz reads a flag, and a quick read one read transaction
        // (Api::IsQuickRead): the hand-off would cost more than the work.
        resp = api.Handle(in);
      } else {
        // On the handler pool, not here: a handler may block (a write waits
        // for its commit) and would hold an I/O thread. The answer comes
        // back through this session's context. `in` lives in this frame,
        // which stays suspended until the handler is done.
        resp = co_await asio::co_spawn(
            handlers.get_executor(),
            [this, &in]() -> asio::awaitable<api::HttpResponse> { co_return api.Handle(in); },
            asio::use_awaitable);
      }
    }
    if (stopping_flag.load()) open = false;
    std::string wire = SerializeResponse(resp, version, open);
    expires_after(options.write_timeout);
    auto [wec, wn] = co_await stream.Write(asio::buffer(wire));
    state->deadline = kNever;
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
    // Access log: what was asked and answered, never content nor credentials.
    if (LogEnabled(LogLevel::kInfo))
      Log(LogLevel::kInfo, "http.access",
          "peer=" + peer + " method=" + method + " path=" + path +
              " status=" + std::to_string(resp.status) +
              " operation=" + (resp.operation.empty() ? "-" : resp.operation) +
              " principal=" + (resp.principal.empty() ? "-" : resp.principal) + " auth=" +
              (!cn.empty()              ? "mtls"
               : resp.principal.empty() ? "-"
                                        : "token") +
              " bytes_out=" + std::to_string(wn) + " us=" + std::to_string(took.count()));
    if (wec) {
      clean = false;
      break;
    }
  }
  state->busy = true;
  if (clean) {
    // Close the TLS session politely, but never wait long for the peer.
    expires_after(std::chrono::milliseconds(500));
    co_await stream.Shutdown();
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
  finish();
}

asio::awaitable<api::Api::Answer> Server::Impl::HandleAsync(api::HttpRequest in) {
  auto init = [this](auto handler, api::HttpRequest in) {
    // The session's context, kept busy: its I/O thread must not run out of
    // work (and return) while an ingest waits for its commit, as during a
    // graceful shutdown.
    auto home = asio::prefer(asio::get_associated_executor(handler),
                             asio::execution::outstanding_work.tracked);
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    auto start = [this, h, home, in = std::move(in)]() mutable {
      api.HandleAsync(std::move(in), [h, home](api::Api::Answer answer) {
        // Posted even when called at once: the coroutine resumes on its
        // context, never inside HandleAsync.
        asio::post(home, [h, answer = std::move(answer)]() mutable { (*h)(std::move(answer)); });
      });
    };
    if (options.ingest_checks_on_io_threads)
      start();
    else
      asio::post(handlers, std::move(start));
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(api::Api::Answer)>(
      init, asio::use_awaitable, std::move(in));
}

void Server::Impl::Shutdown() {
  std::vector<std::shared_ptr<SessionState>> open;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return;
    stopping = true;
    stopping_flag.store(true);
    for (const auto& [id, s] : sessions) open.push_back(s);
  }
  api.set_ready(false);
  Log(LogLevel::kInfo, "http.shutdown", "open_connections=" + std::to_string(open.size()));
  asio::post(acceptor.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    // Each context now runs only while it has connections (or an ingest
    // waiting for its commit) left. On the acceptor's thread: Accept and
    // Shutdown never touch `keep` at once.
    for (auto& k : keep) k.reset();
  });
  // Idle connections (handshaking, or waiting for a next request) are closed
  // now; the others finish their request and close.
  for (auto& s : open) {
    asio::post(s->executor, [s] {
      boost::system::error_code ignored;
      if (s->alive && !s->busy && s->socket) s->socket->cancel(ignored);
    });
  }
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Shutdown();
  Wait();
}

Result<std::unique_ptr<Server>> Server::Start(api::Api& api, const TlsFiles& tls,
                                              const ServerOptions& options) {
  if (options.threads < 1) return Status::InvalidArgument("threads: want >= 1");
  if (options.handler_threads < 1)
    return Status::InvalidArgument("handler_threads: got " +
                                   std::to_string(options.handler_threads) + ", want >= 1");
  ASSIGN_OR_RETURN(tcp::endpoint ep, ParseListen(options.listen));
  // OpenSSL writes to the socket with write(2) (TlsSocket), which raises
  // SIGPIPE on a connection the peer has closed; the error is enough.
  std::signal(SIGPIPE, SIG_IGN);
  auto impl = std::make_unique<Impl>(api, options);
  RETURN_IF_ERROR(impl->Configure(tls));
  boost::system::error_code ec;
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::IoError("listen: " + options.listen + ": " + ec.message());
  impl->port = impl->acceptor.local_endpoint().port();
  Impl* raw = impl.get();
  if (options.handle_signals) {
    impl->signals.add(SIGTERM);
    impl->signals.add(SIGINT);
    impl->signals.async_wait([raw](const boost::system::error_code& e, int sig) {
      if (e) return;
      Log(LogLevel::kInfo, "http.signal", "signal=" + std::to_string(sig));
      raw->Shutdown();
    });
  }
  asio::co_spawn(impl->acceptor.get_executor(), impl->Accept(), asio::detached);
  for (auto& c : impl->iocs) {
    asio::io_context* ioc = c.get();
    impl->threads.emplace_back([ioc] { ioc->run(); });
  }
  Log(LogLevel::kInfo, "http.listening",
      "address=" + ep.address().to_string() + ":" + std::to_string(impl->port));
  api.set_ready(true);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

uint16_t Server::port() const {
  return impl_->port;
}

void Server::Shutdown() {
  impl_->Shutdown();
}

void Server::Wait() {
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
  // Every session has ended, so no handler is queued or running.
  impl_->handlers.join();
}

}  // namespace cloison::server
