// Test-only (header only, not in the library): a fresh instance in a
// temporary directory with one principal and one bearer token per role, and
// an Api over it with the manual clock enabled, the vault (root keys in
// DIR/keys/root, a centralising key pair, items up to `max_item_size`) and
// the R&D use cases. Used by api_test and by the server's end-to-end tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "api/api.h"
#include "cloison/seal.h"
#include "rules/parser.h"
#include "service/exploitation.h"
#include "service/recommendation.h"
#include "service/rnd.h"
#include "service/rnd_copy.h"
#include "service/tokens.h"
#include "service/vault.h"
#include "service/workflow.h"
#include "vault/file_key_provider.h"

namespace cloison::api::testing {

// The JSON body of an answer (HttpResponse in-process, or a client's reply
// over the wire): a test failure if it does not parse.
template <typename Reply>
boost::json::value Body(const Reply& r) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.body, ec);
  EXPECT_FALSE(ec) << r.body;
  return v;
}

// error.code of an error answer, or a marker with the body when there is none.
template <typename Reply>
std::string ErrorCode(const Reply& r) {
  boost::json::value v = Body(r);
  if (!v.is_object() || !v.as_object().contains("error")) return "<no error: " + r.body + ">";
  return std::string(v.at("error").at("code").as_string());
}

// A request body the law accepts: an agent of dgsi under interior, L851-4,
// purpose 4, 30 days.
inline std::string GoodDraft(std::string service = "dgsi", std::string minister = "interior") {
  return R"({"service":")" + service + R"(","minister":")" + minister +
         R"(","technique":"L851-4","purposes":["4"],"targets":[{"type":"identifier","value":"X"}],)"
         R"("grounds":"grounds","duration_days":30})";
}

struct User {
  service::Principal principal;
  std::string token;
};

class Harness {
 public:
  explicit Harness(bool test_clock = true, bool with_ledger = false,
                   uint64_t max_item_size = uint64_t{1} << 20, IngestBatcherOptions ingest = {}) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-api-XXXXXX").string();
    EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto book = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    EXPECT_TRUE(book.ok()) << book.status().ToString();
    book_ = std::move(book).value();
    auto st = store::OpenSqlite(dir_ + "/cloison.db");
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(st).value();
    workflow_ = std::make_unique<service::Workflow>(*store_, book_, clock_, ids_);
    tokens_ = std::make_unique<service::Tokens>(*store_, clock_);
    ApiOptions opts;
    opts.ingest = std::move(ingest);
    if (test_clock) opts.test_clock = &clock_;
    if (with_ledger) {
      auto l = service::Ledger::Open(*store_, signer_, clock_);
      EXPECT_TRUE(l.ok()) << l.status().ToString();
      ledger_ = std::move(l).value();
      opts.ledger = ledger_.get();
    }
    auto keys = vault::FileKeyProvider::Open(std::filesystem::path(dir_) / "keys" / "root");
    EXPECT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(keys).value();
    centralising_ = seal::GenerateKeyPair();
    service::VaultOptions vo;
    vo.max_item_size = max_item_size;
    vo.centralising = &centralising_;
    vault_ = std::make_unique<service::Vault>(*store_, book_, clock_, ids_, *keys_, dir_, vo);
    Status opened = vault_->Open();
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    rnd_ = std::make_unique<service::Rnd>(*store_, book_, clock_, ids_);
    copies_ = std::make_unique<service::RndCopies>(*store_, book_, clock_, *vault_, *keys_);
    exploitation_ =
        std::make_unique<service::Exploitation>(*store_, book_, clock_, ids_, *vault_, dir_);
    recommendations_ = std::make_unique<service::Recommendations>(*store_, clock_, ids_, *vault_,
                                                                  *exploitation_, *rnd_);
    opts.exploitation = exploitation_.get();
    opts.recommendations = recommendations_.get();
    opts.vault = vault_.get();
    opts.rnd = rnd_.get();
    opts.rnd_copies = copies_.get();
    api_ = std::make_unique<Api>(*workflow_, metrics_, opts);
    using service::Role;
    Add("agent", Role::kServiceAgent, "dgsi");
    Add("minister", Role::kMinister, "", "interior");
    Add("cnctr", Role::kCnctr);
    Add("pm", Role::kPm);
    Add("gic", Role::kGic);
    Add("collector", Role::kCollector);
    Add("rnd", Role::kRndAgent, "dgsi");
    Add("admin", Role::kAdmin);
    // Second principals: another service, another ministry, another PM.
    others_["agent_dgse"] = AddUser("agent_dgse", Role::kServiceAgent, "dgse", "");
    others_["minister_defence"] = AddUser("minister_defence", Role::kMinister, "", "defence");
    others_["pm2"] = AddUser("pm2", Role::kPm, "", "");
  }
  ~Harness() {
    api_.reset();
    recommendations_.reset();
    exploitation_.reset();
    copies_.reset();
    rnd_.reset();
    vault_.reset();
    keys_.reset();
    ledger_.reset();
    tokens_.reset();
    workflow_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& token) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!body.empty()) r.content_type = "application/json";
    if (!token.empty()) r.authorization = "Bearer " + token;
    return api_->Handle(r);
  }
  HttpResponse As(service::Role role, const std::string& method, const std::string& target,
                  const std::string& body = {}) {
    return Call(method, target, body, users_.at(role).token);
  }
  // POST /v1/items as the collector, with `content_type` (octet-stream or
  // cloison-sealed).
  HttpResponse Ingest(const std::string& query, const std::string& bytes,
                      const std::string& content_type = "application/octet-stream") {
    HttpRequest r;
    r.method = "POST";
    r.target = "/v1/items?" + query;
    r.body = bytes;
    r.content_type = content_type;
    r.authorization = "Bearer " + users_.at(service::Role::kCollector).token;
    return api_->Handle(r);
  }
  // An authorisation of `technique` granted through the API (agent of
  // dgsi, the CNCTR's favourable opinion, the PM's grant); "" on failure.
  std::string Grant(const std::string& technique) {
    std::string draft = GoodDraft();
    draft.replace(draft.find("L851-4"), 6, technique);
    auto sub = As(service::Role::kServiceAgent, "POST", "/v1/requests", draft);
    EXPECT_EQ(sub.status, 201) << sub.body;
    if (sub.status != 201) return "";
    std::string id(Body(sub).at("id").as_string());
    auto op = As(service::Role::kCnctr, "POST", "/v1/requests/" + id + "/opinion",
                 R"({"verdict":"favourable","formation":"single","reasons":"ok"})");
    EXPECT_EQ(op.status, 200) << op.body;
    auto dec = As(service::Role::kPm, "POST", "/v1/requests/" + id + "/decision",
                  R"({"grant":true,"reasons":"necessary"})");
    EXPECT_EQ(dec.status, 201) << dec.body;
    if (dec.status != 201) return "";
    return std::string(Body(dec).at("authorisation").at("id").as_string());
  }

  const User& user(service::Role role) const { return users_.at(role); }
  const User& other(const std::string& name) const { return others_.at(name); }
  Api& api() { return *api_; }
  service::Workflow& workflow() { return *workflow_; }
  service::Tokens& tokens() { return *tokens_; }
  FakeClock& clock() { return clock_; }
  Metrics& metrics() { return metrics_; }
  store::Store& store() { return *store_; }
  service::Vault& vault() { return *vault_; }
  const seal::KeyPair& centralising() const { return centralising_; }
  const std::string& dir() const { return dir_; }

 private:
  void Add(std::string name, service::Role role, std::string service = {},
           std::string minister = {}) {
    users_[role] = AddUser(std::move(name), role, std::move(service), std::move(minister));
  }
  User AddUser(std::string name, service::Role role, std::string service, std::string minister) {
    auto p = workflow_->AddPrincipal(
        {"", std::move(name), role, std::move(service), std::move(minister)});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    auto t = tokens_->Issue(*p);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return {*p, *t};
  }

  std::string dir_;
  rules::Rulebook book_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{*ParseTime("2025-03-03T08:00:00Z")};
  SequentialIdGenerator ids_;
  std::unique_ptr<service::Workflow> workflow_;
  std::unique_ptr<service::Tokens> tokens_;
  Metrics metrics_;
  ledger::Signer signer_ = ledger::GenerateSigner("api.test/log");
  std::unique_ptr<service::Ledger> ledger_;
  std::unique_ptr<vault::FileKeyProvider> keys_;
  seal::KeyPair centralising_;
  std::unique_ptr<service::Vault> vault_;
  std::unique_ptr<service::Rnd> rnd_;
  std::unique_ptr<service::RndCopies> copies_;
  std::unique_ptr<service::Exploitation> exploitation_;
  std::unique_ptr<service::Recommendations> recommendations_;
  std::unique_ptr<Api> api_;
  std::map<service::Role, User> users_;
  std::map<std::string, User> others_;
};

}  // namespace cloison::api::testing
