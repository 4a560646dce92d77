// Fuzzes request parsing as the server does it: the HTTP request with the
// server's limits (server/wire.h), then the whole API (routing, query,
// credentials, access table, JSON bodies, handlers) over a scratch instance.
// Any bytes give an answer with the error format or a success, never a
// crash. "Bearer ROLE" (e.g. "Bearer pm") stands for that role's token, so
// the fuzzer reaches the handlers behind the access table, the vault's,
// R&D's, exploitation's and recommendations' included (items up to 64 KiB).
#include <unistd.h>

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "api/api.h"
#include "cli/embedded_rules.h"
#include "cloison/seal.h"
#include "rules/parser.h"
#include "server/wire.h"
#include "service/exploitation.h"
#include "service/recommendation.h"
#include "service/rnd.h"
#include "service/rnd_copy.h"
#include "service/tokens.h"
#include "service/vault.h"
#include "service/workflow.h"
#include "vault/file_key_provider.h"

namespace {
using namespace cloison;

struct World {
  std::string dir;
  rules::Rulebook book;
  std::unique_ptr<store::Store> store;
  FakeClock clock{*ParseTime("2025-03-03T08:00:00Z")};
  SequentialIdGenerator ids;
  std::unique_ptr<service::Workflow> workflow;
  std::unique_ptr<service::Tokens> tokens;
  std::unique_ptr<vault::FileKeyProvider> keys;
  seal::KeyPair centralising;
  std::unique_ptr<service::Vault> vault;
  std::unique_ptr<service::Rnd> rnd;
  std::unique_ptr<service::RndCopies> copies;
  std::unique_ptr<service::Exploitation> exploitation;
  std::unique_ptr<service::Recommendations> recommendations;
  api::Metrics metrics;
  std::unique_ptr<api::Api> api;
  std::map<std::string, std::string> tokens_by_role;
};

World* Make() {
  auto* w = new World;
  std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-httpfuzz-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) __builtin_trap();
  w->dir = tmpl;
  auto book = rules::ParseRulebook(cli::DefaultRulebook(), "csi-2021.toml");
  if (!book.ok()) __builtin_trap();
  w->book = std::move(book).value();
  store::SqliteOptions so;
  so.synchronous_full = false;
  auto st = store::OpenSqlite(w->dir + "/cloison.db", so);
  if (!st.ok()) __builtin_trap();
  w->store = std::move(st).value();
  w->workflow = std::make_unique<service::Workflow>(*w->store, w->book, w->clock, w->ids);
  w->tokens = std::make_unique<service::Tokens>(*w->store, w->clock);
  auto keys = vault::FileKeyProvider::Open(std::filesystem::path(w->dir) / "keys" / "root");
  if (!keys.ok()) __builtin_trap();
  w->keys = std::move(keys).value();
  w->centralising = seal::GenerateKeyPair();
  service::VaultOptions vo;
  vo.max_item_size = 64 << 10;
  vo.centralising = &w->centralising;
  w->vault =
      std::make_unique<service::Vault>(*w->store, w->book, w->clock, w->ids, *w->keys, w->dir, vo);
  if (!w->vault->Open().ok()) __builtin_trap();
  w->rnd = std::make_unique<service::Rnd>(*w->store, w->book, w->clock, w->ids);
  w->copies =
      std::make_unique<service::RndCopies>(*w->store, w->book, w->clock, *w->vault, *w->keys);
  w->exploitation = std::make_unique<service::Exploitation>(*w->store, w->book, w->clock, w->ids,
                                                            *w->vault, w->dir);
  w->recommendations = std::make_unique<service::Recommendations>(
      *w->store, w->clock, w->ids, *w->vault, *w->exploitation, *w->rnd);
  api::ApiOptions opts;
  opts.test_clock = &w->clock;
  opts.vault = w->vault.get();
  opts.rnd = w->rnd.get();
  opts.rnd_copies = w->copies.get();
  opts.exploitation = w->exploitation.get();
  opts.recommendations = w->recommendations.get();
  w->api = std::make_unique<api::Api>(*w->workflow, w->metrics, opts);
  using service::Role;
  for (auto [role, service, minister] : {std::tuple{Role::kServiceAgent, "dgsi", ""},
                                         {Role::kMinister, "", "interior"},
                                         {Role::kCnctr, "", ""},
                                         {Role::kPm, "", ""},
                                         {Role::kGic, "", ""},
                                         {Role::kCollector, "", ""},
                                         {Role::kRndAgent, "dgsi", ""},
                                         {Role::kAdmin, "", ""}}) {
    auto p = w->workflow->AddPrincipal({"", "p", role, service, minister});
    if (!p.ok()) __builtin_trap();
    auto t = w->tokens->Issue(*p);
    if (!t.ok()) __builtin_trap();
    w->tokens_by_role[std::string(service::RoleName(role))] = *t;
  }
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = Make();
  std::string_view wire(reinterpret_cast<const char*>(data), size);
  auto req = cloison::server::ParseRequest(wire, {});
  if (!req.ok()) {
    if (req.status().message().empty()) __builtin_trap();
    return 0;
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (req->authorization.rfind(kBearer, 0) == 0) {
    auto it = world->tokens_by_role.find(req->authorization.substr(kBearer.size()));
    if (it != world->tokens_by_role.end()) req->authorization = "Bearer " + it->second;
  }
  // The manual clock never runs far: tokens would expire and hide the rest.
  if (world->clock.Now() > *cloison::ParseTime("2025-06-01T00:00:00Z")) {
    req->target = "/healthz";
  }
  cloison::api::HttpResponse resp = world->api->Handle(*req);
  if (resp.status < 100 || resp.status > 599) __builtin_trap();
  if (resp.status >= 400) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(resp.body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("error")) __builtin_trap();
  }
  return 0;
}
