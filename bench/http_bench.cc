// The HTTPS API in-process (server::Server over api::Api on a fresh SQLite
// instance, 127.0.0.1, ephemeral port), driven by a bounded client: one
// thread running N keep-alive TLS 1.3 connections (Beast, asynchronous),
// each sending a fixed number of requests one after the other, so that N
// requests are in flight at once, as from a fleet of collectors. One client
// thread rather than one per connection: the client shares the server's 2
// cores, and 64 blocking threads cost it a context switch per request.
// Every figure is beside GET /healthz measured in the same run, the floor of
// any answer (TLS record, HTTP parse, routing, access log, metrics):
//  (a) GET /healthz, 64 connections: requests/s and p99 latency (the
//      reference itself);
//  (b) GET /v1/authorisations/{id} as the CNCTR (bearer token, one read
//      transaction, JSON), 64 connections: requests/s and p99, each with
//      its ratio to (a);
//  (c) POST /v1/items as a collector with 1 KiB bodies through the vault
//      (the gate, the item's keys, its envelope, the store's durable commit,
//      grouped with the items of the other requests in flight by
//      api/ingest_batcher.h; issue #5 target: >= 20,000 items/s on 2
//      cores): items/s and p99, each with its ratio to (a), with 64
//      connections (the rows without a count) and with 256 (`_c256`): a
//      group commit takes what arrived during the previous one, so items/s
//      is bounded by the requests in flight over a commit's time.
//  (d) when wrk is on PATH (scripts/setup installs it), (a), (b) and (c)
//      again from wrk in its own process (one thread; 64, 256 and 512
//      connections for ingest; 3 s each with --quick, 8 s otherwise), with
//      the server's CPU and wrk's per request reported apart (WrkBenchmarks).
// `--only http-ingest` runs the wrk rows of (c) at 256 connections alone,
// three rounds, beside wrk's /healthz (HttpIngestBenchmarks): for comparing
// two builds in interleaved runs.
// The client shares the 2 cores with the server, so absolute figures are
// lower than a remote client would see; the ratios are what compare. Each
// also reports the process's CPU time (client and server, user and system)
// per request, which other load on a shared machine disturbs less than
// rates do, and ingest prints its items per group commit on stderr.
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/metrics.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "bench.h"
#include "rules/parser.h"
#include "server/pki.h"
#include "server/server.h"
#include "service/tokens.h"
#include "service/vault.h"
#include "service/workflow.h"
#include "vault/file_key_provider.h"

namespace cloison::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using SteadyClock = std::chrono::steady_clock;

constexpr int kConns = 64;
constexpr int kIngestConns = 256;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "http bench: %s\n", what.c_str());
  std::abort();
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Fail(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

// One instance served over HTTPS, with a CNCTR token, a collector token, one
// granted authorisation (request, favourable opinion, PM decision through
// service::Workflow) and the vault (root keys in DIR/keys/root).
class Instance {
 public:
  Instance() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "cloison-httpbench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) Fail("mkdtemp");
    dir_ = tmpl;
    book_ = Must(rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml"),
                 "rulebook");
    // Durable commits (synchronous=full), as served: ingest pays its fsync.
    store_ = Must(store::OpenSqlite(dir_ + "/cloison.db"), "store");
    workflow_ = std::make_unique<service::Workflow>(*store_, book_, clock_, ids_);
    tokens_ = std::make_unique<service::Tokens>(*store_, clock_);
    using service::Role;
    auto agent =
        Must(workflow_->AddPrincipal({"", "agent", Role::kServiceAgent, "dgsi", ""}), "agent");
    auto cnctr = Must(workflow_->AddPrincipal({"", "cnctr", Role::kCnctr, "", ""}), "cnctr");
    auto pm = Must(workflow_->AddPrincipal({"", "pm", Role::kPm, "", ""}), "pm");
    auto collector =
        Must(workflow_->AddPrincipal({"", "collector", Role::kCollector, "dgsi", ""}), "collector");
    token_ = Must(tokens_->Issue(cnctr), "token");
    collector_token_ = Must(tokens_->Issue(collector), "collector token");
    authz::RequestDraft d;
    d.service = "dgsi";
    d.minister = "interior";
    d.technique = "L851-4";
    d.purposes = {"4"};
    d.targets = {{"identifier", "X"}};
    d.grounds = "bench";
    d.duration_days = 30;
    auto req = Must(workflow_->SubmitRequest(agent, d), "submit");
    if (req.refused()) Fail("submit: refused by law");
    Must(workflow_->GiveOpinion(cnctr, req.value.id, authz::Verdict::kFavourable,
                                authz::Formation::kSingle, "bench"),
         "opinion");
    auto dec = Must(workflow_->Decide(pm, req.value.id, {true, "bench", false}), "decide");
    if (dec.refused() || !dec.value.authorisation) Fail("decide: not granted");
    authorisation_ = dec.value.authorisation->id;

    keys_ = Must(vault::FileKeyProvider::Open(std::filesystem::path(dir_) / "keys" / "root"),
                 "root keys");
    vault_ = std::make_unique<service::Vault>(*store_, book_, clock_, vault_ids_, *keys_, dir_);
    if (Status s = vault_->Open(); !s.ok()) Fail("vault: " + s.ToString());
    api::ApiOptions opts;
    opts.vault = vault_.get();
    api_ = std::make_unique<api::Api>(*workflow_, metrics_, opts);
    pki_ = Must(server::EnsurePki(dir_, clock_), "pki");
    server::ServerOptions o;
    o.listen = "127.0.0.1:0";
    server_ =
        Must(server::Server::Start(*api_, {pki_.server_cert, pki_.server_key, pki_.ca_cert}, o),
             "server");
  }
  ~Instance() {
    server_.reset();
    api_.reset();
    vault_.reset();
    keys_.reset();
    tokens_.reset();
    workflow_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  uint16_t port() const { return server_->port(); }
  const std::string& dir() const { return dir_; }
  const std::string& ca() const { return pki_.ca_cert; }
  const std::string& token() const { return token_; }
  const std::string& authorisation() const { return authorisation_; }
  const std::string& collector_token() const { return collector_token_; }
  const api::Metrics& metrics() const { return metrics_; }

 private:
  std::string dir_;
  rules::Rulebook book_;
  SystemClock clock_;
  RandomIdGenerator ids_;             // as serve: random ids for the workflow,
  TimeOrderedIdGenerator vault_ids_;  // time-ordered ones for the vault
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::Workflow> workflow_;
  std::unique_ptr<service::Tokens> tokens_;
  api::Metrics metrics_;
  std::unique_ptr<vault::FileKeyProvider> keys_;
  std::unique_ptr<service::Vault> vault_;
  std::unique_ptr<api::Api> api_;
  server::PkiPaths pki_;
  std::unique_ptr<server::Server> server_;
  std::string token_, collector_token_, authorisation_;
};

struct Load {
  double requests_per_s = 0;
  double p99_us = 0;
  // CPU time (user + system) of the whole process, client and server, per
  // request: what the work costs, whatever else runs on the machine.
  double cpu_us_per_request = 0;
};

double ProcessCpuSeconds() {
  struct rusage u;
  ::getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

using Stream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto kTimeout = std::chrono::seconds(10);

// `conns` keep-alive TLS connections on one io_context, run by the calling
// thread during Drive. Every socket operation times out, so a stuck server
// aborts the benchmark instead of hanging it.
class Client {
 public:
  Client(uint16_t port, const std::string& ca, int conns) : ctx_(ssl::context::tls_client) {
    boost::system::error_code ec;
    ctx_.load_verify_file(ca, ec);
    if (ec) Fail("ca: " + ec.message());
    ctx_.set_verify_mode(ssl::verify_peer);
    for (int c = 0; c < conns; ++c) {
      streams_.push_back(std::make_unique<Stream>(ioc_, ctx_));
      buffers_.emplace_back();
      asio::co_spawn(ioc_, Connect(*streams_.back(), port), Rethrow);
    }
    ioc_.run();
    ioc_.restart();
  }

  // Every connection sends `per_conn` copies of `req` back to back, each
  // answered `want`; the wall time of the whole and every latency.
  Load Drive(const http::request<http::string_body>& req, unsigned want, int per_conn) {
    std::ostringstream os;
    os << req;
    const std::string wire = os.str();
    std::vector<std::vector<double>> lat(streams_.size());
    for (size_t c = 0; c < streams_.size(); ++c) {
      lat[c].reserve(per_conn);
      asio::co_spawn(ioc_, Loop(c, wire, want, per_conn, lat[c]), Rethrow);
    }
    double cpu0 = ProcessCpuSeconds();
    auto t0 = SteadyClock::now();
    ioc_.run();
    auto t1 = SteadyClock::now();
    double cpu1 = ProcessCpuSeconds();
    ioc_.restart();
    std::vector<double> all;
    for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    Load out;
    out.requests_per_s = all.size() / std::chrono::duration<double>(t1 - t0).count();
    out.p99_us = all[all.size() * 99 / 100];
    out.cpu_us_per_request = (cpu1 - cpu0) * 1e6 / all.size();
    return out;
  }

 private:
  static void Rethrow(std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  }

  static asio::awaitable<void> Connect(Stream& stream, uint16_t port) {
    auto& tcp = beast::get_lowest_layer(stream);
    tcp.expires_after(kTimeout);
    auto [ec] = co_await tcp.async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
        asio::as_tuple(asio::use_awaitable));
    if (ec) Fail("connect: " + ec.message());
    tcp.socket().set_option(asio::ip::tcp::no_delay(true));
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::client,
                                                 asio::as_tuple(asio::use_awaitable));
    if (hec) Fail("handshake: " + hec.message());
  }

  asio::awaitable<void> Loop(size_t c, const std::string& wire, unsigned want, int n,
                             std::vector<double>& lat) {
    Stream& stream = *streams_[c];
    auto& tcp = beast::get_lowest_layer(stream);
    constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
    for (int i = 0; i < n; ++i) {
      auto a = SteadyClock::now();
      tcp.expires_after(kTimeout);
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(wire), kTuple);
      if (wec) Fail("write: " + wec.message());
      http::response<http::string_body> res;
      auto [rec, rn] = co_await http::async_read(stream, buffers_[c], res, kTuple);
      if (rec) Fail("read: " + rec.message());
      if (res.result_int() != want)
        Fail("HTTP " + std::to_string(res.result_int()) + ", want " + std::to_string(want) + ": " +
             res.body());
      lat.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - a).count());
    }
  }

  asio::io_context ioc_;
  ssl::context ctx_;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::deque<beast::flat_buffer> buffers_;
};

http::request<http::string_body> Post(const std::string& target, const std::string& token,
                                      std::string body) {
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, "Bearer " + token);
  req.set(http::field::content_type, "application/octet-stream");
  req.keep_alive(true);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

http::request<http::string_body> Get(const std::string& target, const std::string& token) {
  http::request<http::string_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  req.keep_alive(true);
  req.prepare_payload();
  return req;
}

// (c) POST /v1/items: 1 KiB of content per item, the L. 851-4 authorisation
// (real-time location: kind location) collected now, 201 expected. The
// requests in flight together share a write transaction and its fsyncs
// (group commit), each answered once its item is durable. Reports
// `name`_rps, _p99 and _cpu, and prints the items per group commit.
void ItemIngest(const Instance& inst, Client& client, int conns, int per_conn,
                const std::string& name, const Load& health) {
  SystemClock clock;
  auto req = Post("/v1/items?authorisation=" + inst.authorisation() +
                      "&kind=location&collected_at=" + FormatTime(clock.Now()),
                  inst.collector_token(), std::string(1024, 'x'));
  client.Drive(req, 201, 5);  // warm-up
  int64_t commits0 = inst.metrics().Get("cloison_ingest_commits_total");
  int64_t batched0 = inst.metrics().Get("cloison_ingest_batched_items_total");
  Load ingest = client.Drive(req, 201, per_conn);
  int64_t commits = inst.metrics().Get("cloison_ingest_commits_total") - commits0;
  int64_t batched = inst.metrics().Get("cloison_ingest_batched_items_total") - batched0;
  Report(name + "_rps", ingest.requests_per_s, "items/s", health.requests_per_s);
  Report(name + "_p99", ingest.p99_us, "us", health.p99_us);
  Report(name + "_cpu", ingest.cpu_us_per_request, "us/item", health.cpu_us_per_request);
  std::fprintf(stderr,
               "http bench: %d connections: %lld items in %lld group commits (%.1f per commit)\n",
               conns, static_cast<long long>(batched), static_cast<long long>(commits),
               commits ? static_cast<double>(batched) / commits : 0.0);
}

// The same requests from wrk (https://github.com/wg/wrk), a lean C client
// in its own process, when it is on PATH: the in-process Beast client costs
// about as much CPU per request as the server's own HTTP layer, on the same
// 2 cores. wrk runs one thread with `conns` connections for `seconds`
// (bounded by time), and the server's CPU and wrk's are reported apart.
// Any answer but `want` fails the benchmark (wrk counts them).
struct WrkLoad {
  double requests_per_s = 0;
  double p99_us = 0;
  double server_cpu_us = 0;  // this process's CPU per request
  double client_cpu_us = 0;  // wrk's
};

std::optional<WrkLoad> Wrk(const Instance& inst, const std::string& method,
                           const std::string& target, const std::string& token,
                           const std::string& body, int conns, int seconds) {
  if (std::system("command -v wrk >/dev/null 2>&1") != 0) return std::nullopt;
  const std::string script = inst.dir() + "/wrk-" + std::to_string(conns) + ".lua";
  {
    std::FILE* f = std::fopen(script.c_str(), "w");
    if (!f) Fail("wrk: cannot write " + script);
    std::fprintf(f, "wrk.method = \"%s\"\n", method.c_str());
    if (!token.empty())
      std::fprintf(f, "wrk.headers[\"Authorization\"] = \"Bearer %s\"\n", token.c_str());
    if (!body.empty()) {
      std::fprintf(f, "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n");
      std::fprintf(f, "wrk.body = string.rep(\"x\", %zu)\n", body.size());
    }
    std::fclose(f);
  }
  const std::string cmd = "wrk -t1 -c" + std::to_string(conns) + " -d" + std::to_string(seconds) +
                          "s --timeout 10s --latency -s " + script +
                          " 'https://127.0.0.1:" + std::to_string(inst.port()) + target + "' 2>&1";
  auto children = [] {
    struct rusage u;
    ::getrusage(RUSAGE_CHILDREN, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
           u.ru_stime.tv_usec / 1e6;
  };
  double self0 = ProcessCpuSeconds(), child0 = children();
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) Fail("wrk: cannot run");
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (::pclose(p) != 0) Fail("wrk failed: " + out);
  double self1 = ProcessCpuSeconds(), child1 = children();
  if (out.find("Non-2xx") != std::string::npos || out.find("Socket errors") != std::string::npos)
    Fail("wrk: errors or unexpected answers:\n" + out);
  auto number_after = [&](const std::string& key) -> std::optional<double> {
    auto at = out.find(key);
    if (at == std::string::npos) return std::nullopt;
    return std::strtod(out.c_str() + at + key.size(), nullptr);
  };
  auto rps = number_after("Requests/sec:");
  // "  123456 requests in 8.00s, ..."
  size_t total_at = out.find(" requests in ");
  size_t line = out.rfind('\n', total_at);
  double requests = std::strtod(out.c_str() + (line == std::string::npos ? 0 : line + 1), nullptr);
  // "     99%    3.21ms"
  size_t p99_at = out.find(" 99%");
  if (!rps || p99_at == std::string::npos || requests <= 0) Fail("wrk: cannot read:\n" + out);
  char* unit = nullptr;
  double p99 = std::strtod(out.c_str() + p99_at + 4, &unit);
  std::string u(unit, 2);
  p99 *= u == "us" ? 1 : u == "ms" ? 1e3 : u[0] == 's' ? 1e6 : u == "m\n" ? 6e7 : 1;
  WrkLoad w;
  w.requests_per_s = *rps;
  w.p99_us = p99;
  w.server_cpu_us = (self1 - self0) * 1e6 / requests;
  w.client_cpu_us = (child1 - child0) * 1e6 / requests;
  return w;
}

// The four rows of one wrk load, each beside wrk's /healthz.
void ReportWrk(const std::string& name, const WrkLoad& w, const char* unit, const WrkLoad& health) {
  Report(name + "_rps", w.requests_per_s, unit, health.requests_per_s);
  Report(name + "_p99", w.p99_us, "us", health.p99_us);
  Report(name + "_server_cpu", w.server_cpu_us, "us/req", health.server_cpu_us);
  Report(name + "_wrk_cpu", w.client_cpu_us, "us/req", health.client_cpu_us);
}

// POST /v1/items with 1 KiB bodies from wrk at `conns` connections,
// reported as `name`; its items per group commit on stderr, after `label`.
void WrkIngest(const Instance& inst, int conns, int seconds, const std::string& name,
               const WrkLoad& health, const std::string& label) {
  SystemClock clock;
  const std::string target = "/v1/items?authorisation=" + inst.authorisation() +
                             "&kind=location&collected_at=" + FormatTime(clock.Now());
  int64_t commits0 = inst.metrics().Get("cloison_ingest_commits_total");
  int64_t batched0 = inst.metrics().Get("cloison_ingest_batched_items_total");
  auto ingest =
      Wrk(inst, "POST", target, inst.collector_token(), std::string(1024, 'x'), conns, seconds);
  int64_t commits = inst.metrics().Get("cloison_ingest_commits_total") - commits0;
  int64_t batched = inst.metrics().Get("cloison_ingest_batched_items_total") - batched0;
  ReportWrk(name, *ingest, "items/s", health);
  std::fprintf(stderr, "http bench: %s: %.1f items per group commit\n", label.c_str(),
               commits ? static_cast<double>(batched) / commits : 0.0);
}

void WrkBenchmarks(const Instance& inst, bool quick) {
  const int seconds = quick ? 3 : 8;
  auto health = Wrk(inst, "GET", "/healthz", "", "", kConns, seconds);
  if (!health) {
    std::fprintf(stderr, "http bench: wrk is not on PATH; the wrk rows are skipped\n");
    return;
  }
  ReportWrk("http_wrk_healthz", *health, "req/s", *health);
  auto auth = Wrk(inst, "GET", "/v1/authorisations/" + inst.authorisation(), inst.token(), "",
                  kConns, seconds);
  ReportWrk("http_wrk_get_authorisation", *auth, "req/s", *health);
  // 512 connections too: with wrk the server is less often idle waiting
  // for a group commit to fill (wrk's per-connection cost is low).
  for (int conns : {kConns, kIngestConns, 2 * kIngestConns}) {
    WrkIngest(inst, conns, seconds,
              conns == kConns ? "http_wrk_post_item_1k"
                              : "http_wrk_post_item_1k_c" + std::to_string(conns),
              *health, "wrk, " + std::to_string(conns) + " connections");
  }
}

}  // namespace

void HttpIngestBenchmarks(const Options& options) {
  SetLogLevel(LogLevel::kWarning);
  Instance inst;
  const int seconds = options.quick ? 3 : 8;
  auto health = Wrk(inst, "GET", "/healthz", "", "", kConns, seconds);
  if (!health) {
    std::fprintf(stderr, "http bench: wrk is not on PATH; nothing to run\n");
    return;
  }
  ReportWrk("http_wrk_healthz", *health, "req/s", *health);
  // Three rounds on one store: what varies from one to the next is the
  // machine (wrk's own CPU per request shows how much).
  for (int round = 1; round <= 3; ++round)
    WrkIngest(inst, kIngestConns, seconds, "http_wrk_post_item_1k_c256", *health,
              "wrk round " + std::to_string(round));
}

void HttpBenchmarks(const Options& options) {
  // The access log goes to stderr per request; a benchmark measures the
  // server, not the terminal.
  SetLogLevel(LogLevel::kWarning);
  Instance inst;
  Load best_health, best_auth;
  {
    Client client(inst.port(), inst.ca(), kConns);
    // Per connection: the totals are 6,400 (quick) or 40,000 reads per round.
    const int per_conn = options.quick ? 100 : 625;
    const auto health = Get("/healthz", "");
    const auto auth = Get("/v1/authorisations/" + inst.authorisation(), inst.token());
    client.Drive(health, 200, 5);
    client.Drive(auth, 200, 5);
    // Interleaved, the fastest of three rounds each: the machine is shared.
    for (int round = 0; round < 3; ++round) {
      Load h = client.Drive(health, 200, per_conn);
      Load a = client.Drive(auth, 200, per_conn);
      if (h.requests_per_s > best_health.requests_per_s) best_health = h;
      if (a.requests_per_s > best_auth.requests_per_s) best_auth = a;
    }
    Report("http_healthz_rps", best_health.requests_per_s, "req/s", best_health.requests_per_s);
    Report("http_healthz_p99", best_health.p99_us, "us", best_health.p99_us);
    Report("http_get_authorisation_rps", best_auth.requests_per_s, "req/s",
           best_health.requests_per_s);
    Report("http_get_authorisation_p99", best_auth.p99_us, "us", best_health.p99_us);
    Report("http_healthz_cpu", best_health.cpu_us_per_request, "us/req",
           best_health.cpu_us_per_request);
    Report("http_get_authorisation_cpu", best_auth.cpu_us_per_request, "us/req",
           best_health.cpu_us_per_request);
    // Ingest writes (fsyncs and a commit per group): fewer requests, 6,400
    // (quick) or 25,600 in all, one round after a warm-up.
    ItemIngest(inst, client, kConns, options.quick ? 100 : 400, "http_post_item_1k", best_health);
  }
  {
    // As many items again from 256 connections.
    Client many(inst.port(), inst.ca(), kIngestConns);
    ItemIngest(inst, many, kIngestConns, options.quick ? 25 : 100, "http_post_item_1k_c256",
               best_health);
  }
  WrkBenchmarks(inst, options.quick);
}

}  // namespace cloison::bench
