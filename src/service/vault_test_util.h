// Fixture for the vault's use-case tests: a real SQLite store in a
// temporary instance directory, the shipped rulebook, a fake clock, root
// keys in a directory OUTSIDE the instance (so that "a copy of the instance
// directory" does not include them), and authorisations put straight into
// the store.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/sha256.h"
#include "rules/parser.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/vault.h"
#include "store/testing/temp_dir.h"
#include "vault/file_key_provider.h"

namespace cloison::service {

inline Time T(std::string_view s) {
  return *ParseTime(s);
}
inline std::vector<uint8_t> Bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

class VaultFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(instance_.ok() && keydir_.ok());
    auto book = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    ASSERT_TRUE(book.ok()) << book.status().ToString();
    book_ = std::move(book).value();
    auto st = store::OpenSqlite(instance_.File("cloison.db"));
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(st).value();
    auto keys = vault::FileKeyProvider::Open(std::filesystem::path(keydir_.path()) / "root");
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(keys).value();
    central_ = seal::GenerateKeyPair();
    VaultOptions o;
    o.max_item_size = 1 << 20;
    o.centralising = &central_;
    o.sweep_batch = 3;  // several transactions per bucket in the tests
    vault_ = std::make_unique<Vault>(*store_, book_, clock_, ids_, *keys_, instance_.path(), o);
    ASSERT_TRUE(vault_->Open().ok());
    auth_ = PutAuthorisation("L852-1-I", T("2025-03-01T00:00:00Z"), T("2025-07-01T00:00:00Z"));
  }

  // An approved authorisation of `technique` in force over [starts, ends).
  std::string PutAuthorisation(const std::string& technique, Time starts, Time ends) {
    authz::Authorisation a;
    a.id = ids_.Next("aut");
    a.request = "req_x";
    a.technique = technique;
    a.service = "dgsi";
    a.minister = "interior";
    a.purposes = {"4"};
    a.state = authz::AuthorisationState::kApproved;
    a.granted_at = starts;
    a.starts_at = starts;
    a.ends_at = ends;
    store::Record r;
    r.kind = "authorisation";
    r.id = a.id;
    r.state = "approved";
    r.technique = technique;
    r.body = boost::json::serialize(ToJson(a));
    auto tx = store_->BeginWrite();
    EXPECT_TRUE(tx.ok());
    EXPECT_TRUE((*tx)->Put(r).ok());
    EXPECT_TRUE(
        AppendEvent(**tx, clock_, clock_.Now(), {"authorisation.issued", "system", a.id}, r, {})
            .ok());
    EXPECT_TRUE((*tx)->Commit().ok());
    return a.id;
  }

  IngestInput Item(std::string_view content, std::string kind = "correspondence",
                   Time collected = T("2025-03-10T12:00:00Z")) {
    keep_.push_back(Bytes(content));
    IngestInput in;
    in.authorisation = auth_;
    in.kind = std::move(kind);
    in.collected_at = collected;
    in.bytes = keep_.back();
    return in;
  }

  std::string IngestOk(std::string_view content, Time collected = T("2025-03-10T12:00:00Z"),
                       std::string kind = "correspondence") {
    auto out = vault_->Ingest(collector_, Item(content, kind, collected));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return "";
    EXPECT_FALSE(out->refused()) << (out->violations.empty() ? "" : out->violations[0].message);
    return out->value.id;
  }

  int64_t Events() { return *(*store_->BeginRead())->EventCount(); }
  int64_t CountKind(const std::string& kind) {
    store::Filter f;
    f.kind = kind;
    return *(*store_->BeginRead())->Count(f);
  }
  std::vector<store::Event> LastEvents(int n) {
    auto tx = std::move(store_->BeginRead()).value();
    int64_t c = *tx->EventCount();
    return *tx->Events(std::max<int64_t>(0, c - n), n);
  }

  // Every regular file under `dir`, with its bytes.
  static std::vector<std::pair<std::string, std::string>> Files(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.emplace_back(e.path().string(), std::string(std::istreambuf_iterator<char>(in), {}));
    }
    return out;
  }

  store::testing::TempDir instance_;
  store::testing::TempDir keydir_;  // outside the instance directory
  rules::Rulebook book_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<vault::FileKeyProvider> keys_;
  seal::KeyPair central_;
  FakeClock clock_{T("2025-03-10T12:30:00Z")};
  SequentialIdGenerator ids_;
  std::unique_ptr<Vault> vault_;
  std::string auth_;
  std::vector<std::vector<uint8_t>> keep_;
  Principal collector_{"prn_c", "collector", Role::kCollector, "", ""};
  Principal gic_{"prn_g", "gic", Role::kGic, "", ""};
  Principal cnctr_{"prn_n", "cnctr", Role::kCnctr, "", ""};
  Principal pm_{"prn_p", "pm", Role::kPm, "", ""};
  Principal admin_{"prn_a", "admin", Role::kAdmin, "", ""};
};

}  // namespace cloison::service
