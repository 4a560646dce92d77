// End to end over real HTTPS on 127.0.0.1 (ephemeral ports): the server in
// its own threads, bounded clients (every socket read and write times out).
#include "server/server.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "api/access.h"
#include "api/test_harness.h"
#include "crypto/x509.h"
#include "server/pki.h"
#include "server/test_client.h"
#include "server/test_server.h"
#include "server/wire.h"

namespace cloison::server {
namespace {
namespace json = boost::json;
using api::testing::Body;
using api::testing::ErrorCode;
using api::testing::GoodDraft;
using api::testing::Harness;
using service::Role;
using testing::Client;
using testing::ClientOptions;
using testing::Reply;

const std::vector<Role> kRoles = {Role::kServiceAgent, Role::kMinister, Role::kCnctr,
                                  Role::kPm,           Role::kGic,      Role::kCollector,
                                  Role::kRndAgent,     Role::kAdmin};

// A harness (instance, principals, tokens, Api) served over HTTPS.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartWith({}); }

  void StartWith(ServerOptions options) {
    server_.reset();
    if (options.idle_timeout == ServerOptions{}.idle_timeout)
      options.idle_timeout = std::chrono::milliseconds(2000);
    Status s = testing::StartOnLoopback(h_.api(), h_.dir(), options, pki_, server_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Client NewClient(ClientOptions o = {}) {
    if (o.ca_file.empty()) o.ca_file = pki_.ca_cert;
    return Client(server_->port(), o);
  }
  const std::string& Token(Role r) { return h_.user(r).token; }

  Harness h_;
  PkiPaths pki_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RequestOpinionDecisionAuthorisationOverHttps) {
  Client agent = NewClient(), cnctr = NewClient(), pm = NewClient();
  auto sub = agent.Send("POST", "/v1/requests", GoodDraft(), Token(Role::kServiceAgent));
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  ASSERT_EQ(sub->status, 201) << sub->body;
  EXPECT_TRUE(sub->keep_alive);
  EXPECT_EQ(sub->headers["cache-control"], "no-store");
  std::string id(Body(*sub).at("id").as_string());
  EXPECT_EQ(sub->headers["location"], "/v1/requests/" + id);

  auto op = cnctr.Send("POST", "/v1/requests/" + id + "/opinion",
                       R"({"verdict":"favourable","formation":"single","reasons":"ok"})",
                       Token(Role::kCnctr));
  ASSERT_TRUE(op.ok());
  ASSERT_EQ(op->status, 200) << op->body;
  auto dec = pm.Send("POST", "/v1/requests/" + id + "/decision", R"({"grant":true,"reasons":"r"})",
                     Token(Role::kPm));
  ASSERT_TRUE(dec.ok());
  ASSERT_EQ(dec->status, 201) << dec->body;
  std::string auth(Body(*dec).at("authorisation").at("id").as_string());
  // The same connections serve the next requests (keep-alive).
  auto got = agent.Send("GET", "/v1/authorisations/" + auth, "", Token(Role::kServiceAgent));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(Body(*got).at("state"), "approved");
  auto list = cnctr.Send("GET", "/v1/authorisations?state=approved", "", Token(Role::kCnctr));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Body(*list).at("items").as_array().size(), 1u);
  EXPECT_GE(h_.metrics().Get("cloison_http_connections_total"), 3);
  // 422 with the violations, over the wire.
  std::string too_long = GoodDraft();
  too_long.replace(too_long.find("\"duration_days\":30"), 18, "\"duration_days\":400");
  auto refused = agent.Send("POST", "/v1/requests", too_long, Token(Role::kServiceAgent));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(ErrorCode(*refused), "LEGAL_REFUSAL");
  EXPECT_FALSE(Body(*refused).at("error").at("violations").as_array().empty());
}

std::string BodyFor(const std::string& operation) {
  if (operation == "submitRequest") return GoodDraft();
  if (operation == "giveOpinion")
    return R"({"verdict":"favourable","formation":"single","reasons":"r"})";
  if (operation == "decideRequest") return R"({"grant":false,"reasons":"r"})";
  if (operation == "setQuota")
    return R"({"limit":2,"allocation":{"interior":1},"cnctr_opinion_ref":"C"})";
  if (operation == "justifyUrgency") return R"({"reasons":"r"})";
  if (operation == "recordConseilEtatRuling") return R"({"upheld":true,"case":"CE-1"})";
  if (operation == "setTestClock") return R"({"now":"2025-03-04T00:00:00Z"})";
  return "";
}

// Every role x every route over HTTPS: the roles of the access table get
// past it, every other role gets 403, no credentials get 401.
TEST_F(ServerTest, AuthorisationMatrixOverHttps) {
  std::map<Role, std::unique_ptr<Client>> clients;
  for (Role r : kRoles)
    clients[r] = std::make_unique<Client>(server_->port(), ClientOptions{pki_.ca_cert});
  Client anonymous = NewClient();
  int checked = 0;
  for (const api::Route& route : h_.api().router().routes()) {
    std::string path = route.pattern;
    for (auto [from, to] : {std::pair<std::string, std::string>{"{id}", "x_0000000000000001"},
                            {"{technique}", "L852-1-I"},
                            {"{index}", "0"},
                            {"{path...}", "0/000"}}) {
      if (auto p = path.find(from); p != std::string::npos) path.replace(p, from.size(), to);
    }
    std::string body = BodyFor(route.operation);
    auto anon = anonymous.Send(route.method, path, body);
    ASSERT_TRUE(anon.ok()) << route.operation << ": " << anon.status().ToString();
    if (api::IsAnonymous(route.operation)) {
      EXPECT_LT(anon->status, 400) << route.operation;
      continue;
    }
    EXPECT_EQ(anon->status, 401) << route.operation;
    EXPECT_EQ(anon->headers["www-authenticate"], "Bearer realm=\"cloison\"");
    for (Role role : kRoles) {
      auto r = clients.at(role)->Send(route.method, path, body, Token(role));
      ASSERT_TRUE(r.ok()) << route.operation << ": " << r.status().ToString();
      ++checked;
      if (api::MayCall(route.operation, role)) {
        EXPECT_NE(r->status, 401) << route.operation << " " << RoleName(role);
        if (r->status == 403) {
          EXPECT_EQ(r->body.find("role "), std::string::npos)
              << route.operation << " " << RoleName(role);
        }
      } else {
        EXPECT_EQ(r->status, 403) << route.operation << " " << RoleName(role) << " " << r->body;
      }
    }
  }
  EXPECT_GE(checked, 8 * 30);
}

TEST_F(ServerTest, ClientCertificatesAuthenticate) {
  SystemClock system;
  auto creds = IssueClientCertificate(h_.dir(), h_.user(Role::kCnctr).principal.id, system);
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  ClientOptions o;
  o.cert_file = creds->cert_path;
  o.key_file = creds->key_path;
  Client mtls = NewClient(o);
  auto r = mtls.Send("GET", "/v1/quotas");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200) << r->body;
  // A certificate and a token for someone else disagree: 401.
  auto mixed = mtls.Send("GET", "/v1/quotas", "", Token(Role::kPm));
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->status, 401);

  // A certificate from another CA does not get through the handshake.
  auto other_ca = crypto::MakeCa("Elsewhere", system.Now() - std::chrono::hours(1),
                                 system.Now() + std::chrono::hours(24));
  ASSERT_TRUE(other_ca.ok());
  auto forged = crypto::IssueCertificate(*other_ca, {h_.user(Role::kCnctr).principal.id,
                                                     {},
                                                     {},
                                                     false,
                                                     true,
                                                     system.Now() - std::chrono::hours(1),
                                                     system.Now() + std::chrono::hours(24)});
  ASSERT_TRUE(forged.ok());
  std::ofstream(h_.dir() + "/forged.pem") << forged->cert_pem;
  std::ofstream(h_.dir() + "/forged.key") << forged->key_pem;
  ClientOptions fo;
  fo.cert_file = h_.dir() + "/forged.pem";
  fo.key_file = h_.dir() + "/forged.key";
  Client bad = NewClient(fo);
  auto refused = bad.Send("GET", "/v1/quotas");
  EXPECT_FALSE(refused.ok() && refused->status == 200);
  // And the server keeps serving.
  auto again = NewClient().Send("GET", "/healthz");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 200);
}

// Invalid credentials over the wire. Tokens: unknown, expired and revoked
// are each a 401 whose message says which. Client certificates are checked
// by TLS itself (server.cc: "a certificate that is sent must verify"): one
// from another CA or an expired one ends the handshake with the TLS alert
// that names the cause (unknown_ca, certificate_expired), before any HTTP.
// After each, the server keeps serving.
TEST_F(ServerTest, BadTokensAre401AndBadCertificatesFailTheHandshake) {
  Client c = NewClient();
  auto expect_401 = [&](const std::string& token, std::string_view why) {
    auto r = c.Send("GET", "/v1/quotas", "", token);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(ErrorCode(*r), "UNAUTHENTICATED");
    EXPECT_NE(r->body.find(why), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find(token), std::string::npos);
    EXPECT_TRUE(r->keep_alive);  // a refusal is an answer, not a hang-up
  };
  expect_401("cloison_" + std::string(64, '0'), "unknown");
  auto short_lived = h_.tokens().Issue(h_.user(Role::kCnctr).principal, std::chrono::minutes(5));
  ASSERT_TRUE(short_lived.ok());
  auto fine = c.Send("GET", "/v1/quotas", "", *short_lived);
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->status, 200);
  h_.clock().Advance(std::chrono::minutes(5));
  expect_401(*short_lived, "expired");
  ASSERT_EQ(*h_.tokens().RevokeAll(h_.user(Role::kGic).principal.id), 1);
  expect_401(Token(Role::kGic), "revoked");

  SystemClock system;
  const std::string cnctr = h_.user(Role::kCnctr).principal.id;
  // Issued by the instance CA two years ago, for one year.
  FakeClock past(system.Now() - std::chrono::hours(24 * 730));
  auto expired = IssueClientCertificate(h_.dir(), cnctr, past);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  // Valid dates, but from a CA the instance does not know.
  auto other_ca = crypto::MakeCa("Elsewhere", system.Now() - std::chrono::hours(1),
                                 system.Now() + std::chrono::hours(24));
  ASSERT_TRUE(other_ca.ok());
  auto foreign = crypto::IssueCertificate(*other_ca, {cnctr,
                                                      {},
                                                      {},
                                                      false,
                                                      true,
                                                      system.Now() - std::chrono::hours(1),
                                                      system.Now() + std::chrono::hours(24)});
  ASSERT_TRUE(foreign.ok());
  std::ofstream(h_.dir() + "/foreign.pem") << foreign->cert_pem;
  std::ofstream(h_.dir() + "/foreign.key") << foreign->key_pem;

  struct Case {
    std::string cert, key, alert;
  };
  for (const Case& k : {Case{expired->cert_path, expired->key_path, "certificate expired"},
                        Case{h_.dir() + "/foreign.pem", h_.dir() + "/foreign.key", "unknown ca"}}) {
    ClientOptions o;
    o.cert_file = k.cert;
    o.key_file = k.key;
    Client bad = NewClient(o);
    // With a valid token too: the certificate is refused before it is read.
    auto r = bad.Send("GET", "/v1/quotas", "", Token(Role::kCnctr));
    ASSERT_FALSE(r.ok()) << k.alert << ": got HTTP " << r->status;
    EXPECT_NE(r.status().message().find(k.alert), std::string::npos) << r.status().message();
    auto again = c.Send("GET", "/v1/quotas", "", Token(Role::kCnctr));
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->status, 200);
  }
  auto health = NewClient().Send("GET", "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
}

TEST_F(ServerTest, OnlyTls13) {
  ClientOptions o;
  o.tls12_only = true;
  Client old = NewClient(o);
  EXPECT_FALSE(old.Connect().ok());
  EXPECT_GE(h_.metrics().Get("cloison_tls_handshake_failures_total"), 0);
  EXPECT_TRUE(NewClient().Connect().ok());
}

TEST_F(ServerTest, MalformedInputsGetClearErrorsAndTheServerKeepsServing) {
  Client c = NewClient();
  const std::string& token = Token(Role::kServiceAgent);
  auto bad_json = c.Send("POST", "/v1/requests", "{\"service\":", token);
  ASSERT_TRUE(bad_json.ok());
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_EQ(ErrorCode(*bad_json), "INVALID_ARGUMENT");
  auto wrong_type = c.Send("POST", "/v1/requests", R"({"service":1})", token);
  ASSERT_TRUE(wrong_type.ok());
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_NE(wrong_type->body.find("service: got an integer"), std::string::npos)
      << wrong_type->body;
  auto bad_token = c.Send("GET", "/v1/requests", "", "cloison_" + std::string(64, '0'));
  ASSERT_TRUE(bad_token.ok());
  EXPECT_EQ(bad_token->status, 401);

  // A declared body over 1 MiB: 413 before reading it, connection closed.
  Client big = NewClient();
  std::string huge(size_t{1} << 20 | 1, 'x');
  auto too_big = big.SendRaw(
      "POST /v1/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      token + "\r\nContent-Length: " + std::to_string(huge.size()) + "\r\n\r\n");
  ASSERT_TRUE(too_big.ok()) << too_big.status().ToString();
  EXPECT_EQ(too_big->status, 413);
  EXPECT_EQ(ErrorCode(*too_big), "PAYLOAD_TOO_LARGE");
  EXPECT_FALSE(too_big->keep_alive);
  // Chunked, so the size is only known while reading.
  Client chunked = NewClient();
  std::string chunk = std::string(64 * 1024, 'x');
  std::string wire =
      "POST /v1/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nAuthorization: Bearer " +
      token + "\r\n\r\n";
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 20; ++i) wire += size_line + chunk + "\r\n";
  wire += "0\r\n\r\n";
  auto chunked_reply = chunked.SendRaw(wire);
  ASSERT_TRUE(chunked_reply.ok()) << chunked_reply.status().ToString();
  EXPECT_EQ(chunked_reply->status, 413);
  // Headers over 16 KiB: 431.
  Client headers = NewClient();
  auto big_headers =
      headers.Send("GET", "/healthz", "", "", {{"X-Padding", std::string(20 * 1024, 'p')}});
  ASSERT_TRUE(big_headers.ok()) << big_headers.status().ToString();
  EXPECT_EQ(big_headers->status, 431);
  // Not HTTP at all: 400.
  Client garbage = NewClient();
  auto not_http = garbage.SendRaw("HELLO THERE\r\n\r\n");
  ASSERT_TRUE(not_http.ok()) << not_http.status().ToString();
  EXPECT_EQ(not_http->status, 400);
  EXPECT_EQ(ErrorCode(*not_http), "INVALID_ARGUMENT");

  auto still = c.Send("GET", "/healthz");
  ASSERT_TRUE(still.ok()) << still.status().ToString();
  EXPECT_EQ(still->status, 200);
  EXPECT_GE(h_.metrics().Get("cloison_http_rejected_total"), 4);
}

TEST_F(ServerTest, SlowClientsAreCutOff) {
  ServerOptions o;
  o.idle_timeout = std::chrono::milliseconds(300);
  o.read_timeout = std::chrono::milliseconds(300);
  o.handshake_timeout = std::chrono::milliseconds(300);
  StartWith(o);
  // Half a request line, then nothing: closed after the timeout.
  Client slow = NewClient();
  ASSERT_TRUE(slow.Connect().ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(slow.SendRaw("GET /hea").ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // Headers then half a body.
  Client slow_body = NewClient();
  EXPECT_FALSE(slow_body
                   .SendRaw("POST /v1/requests HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                            "Content-Type: application/json\r\n\r\n{")
                   .ok());
  // A bare TCP connection that never says hello.
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), server_->port()});
    char c;
    boost::system::error_code ec;
    start = std::chrono::steady_clock::now();
    s.read_some(boost::asio::buffer(&c, 1), ec);  // returns when the server closes
    EXPECT_TRUE(ec);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  }
  auto ok = NewClient().Send("GET", "/healthz");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
}

// TLS runs on the socket itself (server.cc, TlsSocket): requests sent
// together are answered (also from separate records that OpenSSL read
// ahead), answers larger than a slow reader's window wait for the socket
// to drain, and a peer that goes away in the middle of an answer costs its
// connection only (the write fails; no SIGPIPE, which this test restores
// to its default first so that a server that raised it would end the test
// process).
TEST_F(ServerTest, TlsOnTheSocketPipelinesWaitsForSlowReadersAndSurvivesVanishingPeers) {
  std::signal(SIGPIPE, SIG_DFL);
  StartWith({});
  const std::string& token = Token(Role::kServiceAgent);
  auto reference = NewClient().Send("GET", "/v1/openapi.json", "", token);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  ASSERT_EQ(reference->status, 200);
  ASSERT_GT(reference->body.size(), size_t{64} << 10);

  Client pipelined = NewClient();
  const std::string get =
      "GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  const std::string health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(pipelined.WriteRaw(health + get + health).ok());
  for (int i = 0; i < 3; ++i) {
    auto r = pipelined.Read();
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 200) << i;
    if (i == 1) {
      EXPECT_EQ(r->body, reference->body);
    }
  }

  // The same in separate TLS records that come in one read: OpenSSL holds
  // the later ones, and the server must not wait for the socket meanwhile.
  Client records = NewClient();
  ASSERT_TRUE(records.WriteRecords({health, health, health}).ok());
  for (int i = 0; i < 3; ++i) {
    auto r = records.Read();
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 200) << i;
  }

  ClientOptions small;
  small.receive_buffer = 4096;
  // 32 answers (3 MB) asked at once by a reader with a 4 KiB window: the
  // server's socket buffer fills, and its writes must wait for the reader
  // (without that wait, this part fails).
  Client slow = NewClient(small);
  std::string many;
  for (int i = 0; i < 32; ++i) many += get;
  ASSERT_TRUE(slow.WriteRaw(many).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 32; ++i) {
    auto late = slow.Read();
    ASSERT_TRUE(late.ok()) << i << ": " << late.status().ToString();
    EXPECT_EQ(late->status, 200);
    EXPECT_EQ(late->body, reference->body);
  }

  for (int i = 0; i < 20; ++i) {
    Client gone = NewClient(small);
    ASSERT_TRUE(gone.WriteRaw(get).ok());
    gone.Close();  // no close_notify, the answer unread
  }
  auto still = NewClient().Send("GET", "/healthz");
  ASSERT_TRUE(still.ok()) << still.status().ToString();
  EXPECT_EQ(still->status, 200);
}

TEST_F(ServerTest, GracefulShutdownClosesIdleConnectionsAndFinishes) {
  Client idle = NewClient();
  auto r = idle.Send("GET", "/healthz");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->keep_alive);
  auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(idle.ClosedByServer());
  EXPECT_FALSE(NewClient().Connect().ok());
}

TEST_F(ServerTest, SigtermStopsTheServer) {
  ServerOptions o;
  o.handle_signals = true;
  StartWith(o);
  auto done = std::async(std::launch::async, [&] { server_->Wait(); });
  std::raise(SIGTERM);
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST(ServerStartTest, BadListenAddressesAreNamed) {
  Harness h;
  SystemClock system;
  auto pki = EnsurePki(h.dir(), system);
  ASSERT_TRUE(pki.ok());
  TlsFiles tls{pki->server_cert, pki->server_key, pki->ca_cert};
  for (std::string bad : {"127.0.0.1", "127.0.0.1:99999", "nowhere:80", "127.0.0.1:x"}) {
    ServerOptions o;
    o.listen = bad;
    auto s = Server::Start(h.api(), tls, o);
    EXPECT_EQ(s.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(s.status().message().find("listen"), std::string::npos) << bad;
  }
  TlsFiles missing{h.dir() + "/none.pem", pki->server_key, pki->ca_cert};
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  EXPECT_EQ(Server::Start(h.api(), missing, o).status().code(), Code::kInvalidArgument);
}

TEST(PkiTest, EnsurePkiIsIdempotentAndKeysArePrivate) {
  Harness h;
  SystemClock system;
  auto a = EnsurePki(h.dir(), system);
  ASSERT_TRUE(a.ok());
  std::ifstream in(a->ca_cert);
  std::stringstream first;
  first << in.rdbuf();
  auto b = EnsurePki(h.dir(), system);
  ASSERT_TRUE(b.ok());
  std::ifstream in2(b->ca_cert);
  std::stringstream second;
  second << in2.rdbuf();
  EXPECT_EQ(first.str(), second.str());
  auto perms = std::filesystem::status(a->ca_key).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  EXPECT_FALSE(IssueClientCertificate(h.dir(), "../etc/passwd", system).ok());
}

TEST(WireTest, ParsesRequestsWithinTheLimits) {
  auto r = ParseRequest(
      "POST /v1/requests?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
      {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->target, "/v1/requests?x=1");
  EXPECT_EQ(r->authorization, "Bearer t");
  EXPECT_EQ(r->body, "{}");
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.1\r\nHost: a\r\n", {}).ok());
  EXPECT_FALSE(ParseRequest("NOT HTTP\r\n\r\n", {}).ok());
  EXPECT_FALSE(ParseRequest("", {}).ok());  // found by http_fuzz: Beast asserted
  WireLimits small{64, 4};
  auto big_h = ParseRequest("GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", small);
  EXPECT_NE(big_h.status().message().find("headers"), std::string::npos);
  auto big_b = ParseRequest("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n12345", small);
  EXPECT_NE(big_b.status().message().find("body"), std::string::npos);
  EXPECT_EQ(SafePath("/v1/requests/req_1?token=secret"), "/v1/requests/req_1");
  EXPECT_EQ(SafePath("/a b"), "<unprintable>");
}

// What SerializeResponse writes, read back by Beast's own response parser.
boost::beast::http::response<boost::beast::http::string_body> ReadBack(const std::string& wire) {
  namespace http = boost::beast::http;
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = parser.put(boost::asio::buffer(wire), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(used, wire.size());
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

TEST(WireTest, SerializesAnswersThatBeastReadsBack) {
  namespace http = boost::beast::http;
  api::HttpResponse resp;
  resp.status = 422;
  resp.body = R"({"error":{"code":"LEGAL_REFUSAL"}})";
  resp.headers = {{"Location", "/v1/requests/req_1"}};
  auto r = ReadBack(SerializeResponse(resp, 11, true));
  EXPECT_EQ(r.result_int(), 422);
  EXPECT_EQ(r.reason(), "Unprocessable Entity");
  EXPECT_EQ(r.version(), 11);
  EXPECT_EQ(r[http::field::content_type], "application/json");
  EXPECT_EQ(r[http::field::cache_control], "no-store");
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r[http::field::location], "/v1/requests/req_1");
  EXPECT_EQ(r[http::field::content_length], std::to_string(resp.body.size()));
  EXPECT_EQ(r.body(), resp.body);
  EXPECT_TRUE(r.keep_alive());
  EXPECT_FALSE(ReadBack(SerializeResponse(resp, 11, false)).keep_alive());
  // HTTP/1.0 closes unless told otherwise.
  auto old = ReadBack(SerializeResponse(resp, 10, true));
  EXPECT_EQ(old.version(), 10);
  EXPECT_TRUE(old.keep_alive());
  EXPECT_FALSE(ReadBack(SerializeResponse(resp, 10, false)).keep_alive());
  // An empty body is still delimited.
  api::HttpResponse empty;
  empty.content_type = "text/plain";
  auto e = ReadBack(SerializeResponse(empty, 11, true));
  EXPECT_EQ(e.result_int(), 200);
  EXPECT_EQ(e[http::field::content_length], "0");
  EXPECT_EQ(e.body(), "");
}

}  // namespace
}  // namespace cloison::server
