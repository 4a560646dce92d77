// Test-only (header only, not in the library): a fresh instance in a
// temporary directory with one principal and one bearer token per role, and
// an Api over it with the manual clock enabled. Used by api_test and by the
// server's end-to-end tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "api/api.h"
#include "rules/parser.h"
#include "service/tokens.h"
#include "service/workflow.h"

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

struct User {
  service::Principal principal;
  std::string token;
};

class Harness {
 public:
  explicit Harness(bool test_clock = true, bool with_ledger = false) {
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
    if (test_clock) opts.test_clock = &clock_;
    if (with_ledger) {
      auto l = service::Ledger::Open(*store_, signer_, clock_);
      EXPECT_TRUE(l.ok()) << l.status().ToString();
      ledger_ = std::move(l).value();
      opts.ledger = ledger_.get();
    }
    api_ = std::make_unique<Api>(*workflow_, *tokens_, metrics_, opts);
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

  const User& user(service::Role role) const { return users_.at(role); }
  const User& other(const std::string& name) const { return others_.at(name); }
  Api& api() { return *api_; }
  service::Workflow& workflow() { return *workflow_; }
  service::Tokens& tokens() { return *tokens_; }
  FakeClock& clock() { return clock_; }
  Metrics& metrics() { return metrics_; }
  store::Store& store() { return *store_; }
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
  std::unique_ptr<Api> api_;
  std::map<service::Role, User> users_;
  std::map<std::string, User> others_;
};

// A request body the law accepts: an agent of dgsi under interior, L851-4,
// purpose 4, 30 days.
inline std::string GoodDraft(std::string service = "dgsi", std::string minister = "interior") {
  return R"({"service":")" + service + R"(","minister":")" + minister +
         R"(","technique":"L851-4","purposes":["4"],"targets":[{"type":"identifier","value":"X"}],)"
         R"("grounds":"grounds","duration_days":30})";
}

}  // namespace cloison::api::testing
