// The vault end to end over real HTTPS on 127.0.0.1: a collector ingests,
// the GIC and the CNCTR read, the gate refuses with 422, an oversized body is
// 413 before it is read, the test clock moves past the 30 days of L. 822-2
// I 1° and the item is 410 with its destruction listed under its ledger
// index, and the annual report counts both. Then `Serve` itself over an
// initialised instance: it refuses to start without its root keys, and
// serves the vault with its sweep.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "api/test_harness.h"
#include "server/pki.h"
#include "server/serve.h"
#include "server/server.h"
#include "server/test_client.h"
#include "server/test_server.h"
#include "service/instance.h"
#include "service/tokens.h"
#include "service/workflow.h"

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

std::string Message(const Reply& r) {
  return std::string(Body(r).at("error").at("message").as_string());
}

// A harness (items up to 4 KiB) served over HTTPS, one client per role.
class VaultServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = testing::StartOnLoopback(h_.api(), h_.dir(), {}, pki_, server_);
    ASSERT_TRUE(started.ok()) << started.ToString();
  }
  Client& As(Role r) {
    auto& c = clients_[r];
    if (!c) c = std::make_unique<Client>(server_->port(), ClientOptions{pki_.ca_cert});
    return *c;
  }
  Reply Send(Role r, const std::string& method, const std::string& target,
             const std::string& body = {}, const std::map<std::string, std::string>& headers = {}) {
    auto reply = As(r).Send(method, target, body, h_.user(r).token, headers);
    EXPECT_TRUE(reply.ok()) << method << " " << target << ": " << reply.status().ToString();
    return reply.ok() ? *reply : Reply{};
  }

  Harness h_{true, true, 4096};
  PkiPaths pki_;
  std::unique_ptr<Server> server_;
  std::map<Role, std::unique_ptr<Client>> clients_;
};

TEST_F(VaultServerTest, IngestReadRefuseAndDestroyOnTimeOverHttps) {
  // L852-2 collects correspondence, kept 30 days (L. 822-2 I 1°); granted
  // over the wire by the agent, the CNCTR and the PM.
  std::string draft = GoodDraft();
  draft.replace(draft.find("L851-4"), 6, "L852-2");
  auto sub = Send(Role::kServiceAgent, "POST", "/v1/requests", draft);
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string req(Body(sub).at("id").as_string());
  ASSERT_EQ(Send(Role::kCnctr, "POST", "/v1/requests/" + req + "/opinion",
                 R"({"verdict":"favourable","formation":"single","reasons":"ok"})")
                .status,
            200);
  auto dec = Send(Role::kPm, "POST", "/v1/requests/" + req + "/decision",
                  R"({"grant":true,"reasons":"necessary"})");
  ASSERT_EQ(dec.status, 201) << dec.body;
  std::string auth(Body(dec).at("authorisation").at("id").as_string());
  ASSERT_EQ(Send(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-03-03T09:00:00Z"})").status,
            200);

  const std::string query =
      "/v1/items?authorisation=" + auth + "&kind=correspondence&collected_at=2025-03-03T08:30:00Z";
  const std::map<std::string, std::string> octets = {{"Content-Type", "application/octet-stream"}};
  std::string content("\x00\x01 intercepted \xff", 16);
  auto in = Send(Role::kCollector, "POST", query, content, octets);
  ASSERT_EQ(in.status, 201) << in.body;
  std::string id(Body(in).at("id").as_string());
  EXPECT_EQ(Body(in).at("destroy_by"), "2025-04-02T08:30:00Z");
  EXPECT_EQ(in.headers["location"], "/v1/items/" + id);
  for (Role reader : {Role::kGic, Role::kCnctr}) {
    auto meta = Send(reader, "GET", "/v1/items/" + id);
    ASSERT_EQ(meta.status, 200) << meta.body;
    EXPECT_EQ(Body(meta).at("state"), "stored");
    auto bytes = Send(reader, "GET", "/v1/items/" + id + "/content");
    ASSERT_EQ(bytes.status, 200) << bytes.body;
    EXPECT_EQ(bytes.headers["content-type"], "application/octet-stream");
    EXPECT_EQ(bytes.headers["cache-control"], "no-store");
    EXPECT_EQ(bytes.body, content);
  }
  // A wrong role: 403 naming the role, and no content.
  for (Role other : {Role::kPm, Role::kCollector, Role::kRndAgent}) {
    auto denied = Send(other, "GET", "/v1/items/" + id + "/content");
    EXPECT_EQ(denied.status, 403) << RoleName(other);
    EXPECT_EQ(denied.body.find("intercepted"), std::string::npos);
  }
  // The gate: L852-2 does not collect locations.
  auto refused =
      Send(Role::kCollector, "POST",
           "/v1/items?authorisation=" + auth + "&kind=location&collected_at=2025-03-03T08:30:00Z",
           "x", octets);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(ErrorCode(refused), "LEGAL_REFUSAL");
  json::value violations = Body(refused).at("error").at("violations");
  ASSERT_FALSE(violations.as_array().empty());
  EXPECT_FALSE(violations.at(0).at("article").as_string().empty());
  // Over max_item_size (4096): refused from the declared length, body unread.
  Client big(server_->port(), ClientOptions{pki_.ca_cert});
  auto too_big = big.SendRaw("POST " + query +
                             " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                             "Authorization: Bearer " +
                             h_.user(Role::kCollector).token + "\r\nContent-Length: 4097\r\n\r\n");
  ASSERT_TRUE(too_big.ok()) << too_big.status().ToString();
  EXPECT_EQ(too_big->status, 413);
  EXPECT_EQ(ErrorCode(*too_big), "PAYLOAD_TOO_LARGE");
  EXPECT_NE(Message(*too_big).find("max_item_size"), std::string::npos) << too_big->body;
  EXPECT_NE(Message(*too_big).find("4096"), std::string::npos) << too_big->body;
  EXPECT_FALSE(too_big->keep_alive);

  // Past the deadline's day: the clock's move sweeps before it answers.
  auto moved = Send(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-04-02T00:01:00Z"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Body(moved).at("destroyed").as_int64(), 1);
  auto gone = Send(Role::kCnctr, "GET", "/v1/items/" + id + "/content");
  EXPECT_EQ(gone.status, 410) << gone.body;
  EXPECT_EQ(ErrorCode(gone), "GONE");
  EXPECT_EQ(gone.body.find("intercepted"), std::string::npos);
  auto list = Send(Role::kCnctr, "GET", "/v1/destructions?since=2025-04-01T00:00:00Z");
  ASSERT_EQ(list.status, 200) << list.body;
  json::value listed = Body(list);
  ASSERT_EQ(listed.at("items").as_array().size(), 1u) << list.body;
  const json::value& d = listed.at("items").at(0);
  EXPECT_EQ(d.at("item").as_string(), id);
  EXPECT_EQ(d.at("reason"), "retention");
  EXPECT_EQ(d.at("article"), "L. 822-2 I 1°");
  EXPECT_FALSE(d.at("late").as_bool());
  // Its ledger index is the items.destroyed event that lists it, which the
  // CNCTR can prove from the ledger's own API.
  int64_t index = d.at("ledger_index").as_int64();
  {
    auto tx = h_.store().BeginRead();
    ASSERT_TRUE(tx.ok());
    auto events = (*tx)->Events(index, 1);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].type, "items.destroyed");
    EXPECT_NE((*events)[0].body.find("\"item\":\"" + id + "\""), std::string::npos);
  }
  ASSERT_EQ(Send(Role::kCnctr, "GET", "/v1/ledger/checkpoint").status,
            200);  // the first: issued now
  auto proof = Send(Role::kCnctr, "GET", "/v1/ledger/proof/" + std::to_string(index));
  EXPECT_EQ(proof.status, 200) << proof.body;

  // The annual report counts them from the ledger's events.
  auto report = Send(Role::kPm, "GET", "/v1/reports/annual?year=2025");
  ASSERT_EQ(report.status, 200) << report.body;
  json::value r = Body(report);
  EXPECT_EQ(r.at("items_ingested").at("correspondence").as_int64(), 1) << report.body;
  EXPECT_EQ(r.at("items_refused").at("location").as_int64(), 1) << report.body;
  EXPECT_EQ(r.at("destructions").at("items").as_int64(), 1) << report.body;
  EXPECT_EQ(r.at("destructions_by_kind").at("correspondence").as_int64(), 1) << report.body;
  EXPECT_EQ(r.at("destructions_by_reason").at("retention").as_int64(), 1) << report.body;
}

TEST_F(VaultServerTest, SealedItemsAndHoldsOverHttps) {
  std::string auth = h_.Grant("L852-2");
  h_.clock().Set(*ParseTime("2025-03-03T09:00:00Z"));
  auto sealed = seal::Seal(h_.centralising().public_key, std::vector<uint8_t>{'o', 'k'});
  ASSERT_TRUE(sealed.ok());
  auto in = Send(
      Role::kCollector, "POST",
      "/v1/items?authorisation=" + auth + "&kind=correspondence&collected_at=2025-03-03T08:30:00Z",
      std::string(sealed->begin(), sealed->end()),
      {{"Content-Type", "application/cloison-sealed"}});
  ASSERT_EQ(in.status, 201) << in.body;
  EXPECT_EQ(Body(in).at("state"), "sealed");
  std::string id(Body(in).at("id").as_string());
  EXPECT_EQ(Send(Role::kGic, "GET", "/v1/items/" + id + "/content").status, 409);
  ASSERT_EQ(Send(Role::kGic, "POST", "/v1/items/" + id + "/open").status, 200);
  EXPECT_EQ(Send(Role::kGic, "GET", "/v1/items/" + id + "/content").body, "ok");
  auto hold = Send(Role::kPm, "POST", "/v1/holds", R"({"case":"CE-7","items":[")" + id + R"("]})");
  ASSERT_EQ(hold.status, 201) << hold.body;
  EXPECT_EQ(hold.headers["location"], "/v1/holds/" + std::string(Body(hold).at("id").as_string()));
  auto moved = Send(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-06-01T00:00:00Z"})");
  EXPECT_EQ(Body(moved).at("destroyed").as_int64(), 0);
  EXPECT_EQ(Send(Role::kCnctr, "GET", "/v1/items/" + id).status, 200);
  ASSERT_EQ(
      Send(Role::kPm, "DELETE", "/v1/holds/" + std::string(Body(hold).at("id").as_string())).status,
      200);
  auto swept = Send(Role::kGic, "POST", "/v1/retention/sweep");
  ASSERT_EQ(swept.status, 200) << swept.body;
  EXPECT_EQ(Body(swept).at("destroyed").as_int64(), 1);
  EXPECT_EQ(Send(Role::kCnctr, "GET", "/v1/items/" + id).status, 410);
  EXPECT_EQ(Send(Role::kCollector, "POST", "/v1/retention/sweep").status, 403);
}

// Serve over an initialised instance (what `cloison serve` runs).
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-serve-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl + "/instance";
    std::ifstream in(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    std::stringstream text;
    text << in.rdbuf();
    ASSERT_TRUE(service::InitInstance(dir_, text.str()).ok());
  }
  void TearDown() override {
    std::filesystem::remove_all(std::filesystem::path(dir_).parent_path());
  }

  static uint16_t FreePort() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
  }

  std::string dir_;
};

TEST_F(ServeTest, RefusesToStartWithoutItsRootKeys) {
  {
    // First use: the vault makes root epoch 1 and records it in the store.
    auto inst = service::OpenInstance(dir_);
    ASSERT_TRUE(inst.ok()) << inst.status().ToString();
    SystemClock clock;
    TimeOrderedIdGenerator ids;
    service::Vault vault(*inst->store, inst->rulebook, clock, ids, *inst->root_keys, inst->dir);
    ASSERT_TRUE(vault.Open().ok());
  }
  // The key directory is lost (or not mounted): serving would fail every
  // read and destruction, so it does not start.
  std::filesystem::remove_all(dir_ + "/keys/root");
  auto inst = service::OpenInstance(dir_);
  ASSERT_TRUE(inst.ok()) << inst.status().ToString();
  SystemClock clock;
  ServeOptions o;
  o.listen = "127.0.0.1:" + std::to_string(FreePort());
  std::ostringstream out;
  Status s = Serve(*inst, clock, o, out);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("root key"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(dir_ + "/keys/root"), std::string::npos) << s.message();
  EXPECT_EQ(out.str().find("serving"), std::string::npos);
}

// A collector's item through `Serve`, destroyed by the sweep that moving the
// test clock runs; SIGTERM then stops the server, the schedule and the store.
TEST_F(ServeTest, ServesTheVaultAndSweepsWhenTheTestClockMoves) {
  auto inst = service::OpenInstance(dir_);
  ASSERT_TRUE(inst.ok()) << inst.status().ToString();
  FakeClock fake(*ParseTime("2025-03-03T08:00:00Z"));
  std::map<Role, std::string> tokens;
  {
    SequentialIdGenerator ids;
    service::Workflow wf(*inst->store, inst->rulebook, fake, ids);
    service::Tokens tk(*inst->store, fake);
    for (auto [role, service] : {std::pair{Role::kServiceAgent, "dgsi"},
                                 {Role::kCnctr, ""},
                                 {Role::kPm, ""},
                                 {Role::kGic, ""},
                                 {Role::kCollector, ""}}) {
      auto p = wf.AddPrincipal({"", std::string(RoleName(role)), role, service, ""});
      ASSERT_TRUE(p.ok());
      tokens[role] = *tk.Issue(*p);
    }
  }
  ServeOptions o;
  uint16_t port = FreePort();
  o.listen = "127.0.0.1:" + std::to_string(port);
  o.test_clock = &fake;
  std::ostringstream out;
  SystemClock system;
  auto served = std::async(std::launch::async, [&] { return Serve(*inst, system, o, out); });
  ClientOptions co{dir_ + "/pki/ca.pem"};
  // Wait for the listener (the PKI is made first).
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    if (served.wait_for(std::chrono::milliseconds(50)) == std::future_status::ready) break;
    up = std::filesystem::exists(co.ca_file) && Client(port, co).Connect().ok();
  }
  ASSERT_TRUE(up) << "server did not come up";
  Client c(port, co);
  auto send = [&](Role r, const std::string& method, const std::string& target,
                  const std::string& body = {}, std::map<std::string, std::string> headers = {}) {
    auto reply = c.Send(method, target, body, tokens[r], headers);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : Reply{};
  };
  std::string draft = GoodDraft();
  draft.replace(draft.find("L851-4"), 6, "L852-2");
  auto sub = send(Role::kServiceAgent, "POST", "/v1/requests", draft);
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string req(Body(sub).at("id").as_string());
  send(Role::kCnctr, "POST", "/v1/requests/" + req + "/opinion",
       R"({"verdict":"favourable","formation":"single","reasons":"ok"})");
  auto dec = send(Role::kPm, "POST", "/v1/requests/" + req + "/decision",
                  R"({"grant":true,"reasons":"r"})");
  ASSERT_EQ(dec.status, 201) << dec.body;
  std::string auth(Body(dec).at("authorisation").at("id").as_string());
  fake.Set(*ParseTime("2025-03-03T09:00:00Z"));
  auto in = send(
      Role::kCollector, "POST",
      "/v1/items?authorisation=" + auth + "&kind=correspondence&collected_at=2025-03-03T08:30:00Z",
      "served", {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(in.status, 201) << in.body;
  std::string id(Body(in).at("id").as_string());
  EXPECT_EQ(send(Role::kGic, "GET", "/v1/items/" + id + "/content").body, "served");
  auto moved = send(Role::kGic, "PUT", "/v1/test/clock", R"({"now":"2025-04-02T00:01:00Z"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Body(moved).at("destroyed").as_int64(), 1);
  EXPECT_EQ(send(Role::kGic, "GET", "/v1/items/" + id + "/content").status, 410);
  c.Close();
  std::raise(SIGTERM);
  ASSERT_EQ(served.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  Status s = served.get();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(out.str().find("stopped"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace cloison::server
