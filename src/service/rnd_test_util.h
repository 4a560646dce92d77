// Test fixture shared by the R&D, exploitation and recommendation tests: a
// SQLite store in a temporary directory, the shipped rulebook, one
// principal per role, and helpers to drive a programme to a state.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/id.h"
#include "crypto/aead.h"
#include "rules/parser.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/rnd.h"
#include "service/rnd_copy.h"
#include "service/vault.h"
#include "service/vault_internal.h"
#include "service/workflow.h"
#include "store/store.h"
#include "vault/envelope.h"
#include "vault/file_key_provider.h"
#include "vault/key_provider.h"
#include "vault/segment.h"

namespace cloison::service {

class RndFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    keydir_ = MakeTempDir();  // outside the instance, as in production
    auto keys = vault::FileKeyProvider::Open(std::filesystem::path(keydir_) / "root");
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(keys).value();
    auto st = store::OpenSqlite(dir_ + "/cloison.db");
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(st).value();
    UseRulebook("csi-2021.toml");
    dgsi_ = Add("agent-dgsi", Role::kServiceAgent, "dgsi");
    dgse_ = Add("agent-dgse", Role::kServiceAgent, "dgse");
    cnctr_ = Add("cnctr", Role::kCnctr);
    pm_ = Add("pm", Role::kPm);
    gic_ = Add("gic", Role::kGic);
    admin_ = Add("admin", Role::kAdmin);
    rnd_agent_ = Add("rnd-dgsi", Role::kRndAgent, "dgsi");
    collector_ = Add("collector", Role::kCollector);
    minister_ = Add("minister", Role::kMinister, "", "interior");
  }
  void TearDown() override {
    copies_.reset();
    vault_.reset();
    rnd_.reset();
    wf_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::remove_all(keydir_);
    for (const auto& c : copies_made_) std::filesystem::remove_all(c);
  }

  static std::string MakeTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-rnd-XXXXXX").string();
    EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
    return tmpl;
  }

  // An approved authorisation of dgsi for `technique` and `purposes` in
  // force over [starts, ends), put straight into the store.
  std::string PutAuthorisation(const std::string& technique, std::vector<std::string> purposes,
                               Time starts, Time ends, bool protected_profession = false) {
    authz::Request req;
    req.id = ids_.Next("req");
    req.draft.service = "dgsi";
    req.draft.minister = "interior";
    req.draft.technique = technique;
    req.draft.purposes = purposes;
    req.draft.protected_profession = protected_profession;
    req.draft.duration_days = 60;
    req.draft.grounds = "grounds";
    req.draft.targets = {{"identifier", "X"}};
    req.state = authz::RequestState::kGranted;
    req.created_at = starts;
    req.opinion_due = starts;
    authz::Authorisation a;
    a.id = ids_.Next("aut");
    a.request = req.id;
    req.authorisation = a.id;
    a.technique = technique;
    a.service = "dgsi";
    a.minister = "interior";
    a.purposes = std::move(purposes);
    a.state = authz::AuthorisationState::kApproved;
    a.granted_at = a.starts_at = starts;
    a.ends_at = ends;
    auto tx = store_->BeginWrite();
    EXPECT_TRUE(tx.ok());
    for (store::Record r :
         {store::Record{"request", req.id, "granted", technique, "interior", "dgsi", 0, 0, "",
                        boost::json::serialize(ToJson(req))},
          store::Record{"authorisation", a.id, "approved", technique, "interior", "dgsi",
                        ToMicros(starts), ToMicros(ends), "", boost::json::serialize(ToJson(a))}}) {
      EXPECT_TRUE((*tx)->Put(r).ok());
      EXPECT_TRUE(
          AppendEvent(**tx, clock_, clock_.Now(), {"test.put", "system", r.id}, r, {}).ok());
    }
    EXPECT_TRUE((*tx)->Commit().ok());
    return a.id;
  }

  // Ingests `content` under `auth` as the collector; returns the item id.
  std::string Ingest(const std::string& auth, std::string_view content,
                     std::string kind = "correspondence", std::string target = "",
                     std::optional<Time> collected = std::nullopt) {
    keep_.emplace_back(content.begin(), content.end());
    IngestInput in;
    in.authorisation = auth;
    in.kind = std::move(kind);
    in.collected_at = collected.value_or(clock_.Now() - std::chrono::hours(1));
    in.target = std::move(target);
    in.bytes = keep_.back();
    auto out = vault_->Ingest(collector_, in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return "";
    EXPECT_FALSE(out->refused()) << (out->violations.empty() ? "" : out->violations[0].message);
    return out->value.id;
  }

  static std::string Text(const crypto::SecretBytes& b) {
    return std::string(b.view().begin(), b.view().end());
  }

  // Loads a shipped rulebook and rebuilds the use cases on it.
  virtual void UseRulebook(const std::string& file) {
    auto book = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/" + file);
    ASSERT_TRUE(book.ok()) << book.status().ToString();
    book_ = std::make_unique<rules::Rulebook>(std::move(book).value());
    wf_ = std::make_unique<Workflow>(*store_, *book_, clock_, ids_);
    rnd_ = std::make_unique<Rnd>(*store_, *book_, clock_, ids_);
    copies_.reset();
    vault_ = std::make_unique<Vault>(*store_, *book_, clock_, ids_, *keys_, dir_);
    ASSERT_TRUE(vault_->Open().ok());
    copies_ = std::make_unique<RndCopies>(*store_, *book_, clock_, *vault_, *keys_);
  }

  Principal Add(std::string name, Role role, std::string service = {}, std::string minister = {}) {
    auto p =
        wf_->AddPrincipal({"", std::move(name), role, std::move(service), std::move(minister)});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Principal{};
  }

  std::string SecondCircleService() const {
    for (const auto& s : book_->services)
      if (s.circle == 2) return s.id;
    ADD_FAILURE() << "no second-circle service in the rulebook";
    return "";
  }

  static ProgrammeDraft Draft(std::string service, bool criteria = true) {
    ProgrammeDraft d;
    d.service = std::move(service);
    d.title = "speech recognition";
    d.purpose = "improve transcription of intercepted speech";
    d.technical_parameters = "correspondence only; 10,000 items";
    if (criteria) d.algorithm_criteria = "acoustic features only";
    return d;
  }

  std::string Submitted() {
    auto sub = rnd_->SubmitProgramme(dgsi_, Draft("dgsi"));
    EXPECT_TRUE(sub.ok() && !sub->refused());
    return sub.ok() ? sub->value.id : "";
  }
  std::string Granted() {
    std::string id = Submitted();
    EXPECT_TRUE(rnd_->GiveProgrammeOpinion(cnctr_, id, authz::Verdict::kFavourable, "ok").ok());
    auto dec = rnd_->DecideProgramme(pm_, id, true, "granted");
    EXPECT_TRUE(dec.ok() && !dec->refused());
    return id;
  }

  std::vector<store::Event> Events() {
    auto tx = store_->BeginRead();
    EXPECT_TRUE(tx.ok());
    auto n = (*tx)->EventCount();
    auto ev = (*tx)->Events(0, *n);
    EXPECT_TRUE(ev.ok());
    return *ev;
  }
  std::vector<std::string> EventTypes() {
    std::vector<std::string> out;
    for (const auto& e : Events()) out.push_back(e.type);
    return out;
  }
  int64_t EventCount() {
    auto tx = store_->BeginRead();
    if (!tx.ok()) return -1;
    auto n = (*tx)->EventCount();
    return n.ok() ? *n : -1;
  }

  // --- Irrecoverability (PRODUCT.md invariant 4), as vault_shred_test.cc
  // attacks it: a copy of the instance directory plus every key file. ---

  // Every regular file under `dir`, path and bytes.
  static std::vector<std::pair<std::string, std::string>> Files(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.emplace_back(e.path().string(), std::string(std::istreambuf_iterator<char>(in), {}));
    }
    return out;
  }
  // Every 32-byte file under the directories: candidate root keys.
  static std::vector<std::string> CandidateRoots(const std::vector<std::string>& dirs) {
    std::vector<std::string> out;
    for (const auto& d : dirs)
      for (auto& [path, bytes] : Files(d))
        if (bytes.size() == 32) out.push_back(std::move(bytes));
    return out;
  }
  // A copy of the instance directory (store and segments), as a backup.
  std::string CopyInstance() {
    std::string copy = MakeTempDir();
    std::filesystem::copy(dir_, copy, std::filesystem::copy_options::recursive);
    copies_made_.push_back(copy);
    return copy;
  }
  // From the store and segments under `copy`, opens vault item `id` with any
  // of `roots`: its record, its bucket's wrapped key, its envelope. Returns
  // the plaintext, or "" when nothing opens it.
  static std::string Attack(const std::string& copy, const std::string& id,
                            const std::vector<std::string>& roots) {
    auto st = store::OpenSqlite(copy + "/cloison.db");
    if (!st.ok()) return "";
    auto rtx = (*st)->BeginRead();
    if (!rtx.ok()) return "";
    auto item = (*rtx)->Get("item", id);
    if (!item.ok()) return "";
    // Read as the vault reads it. A destroyed item's record may keep its id
    // with a destruction body: nothing to open then.
    auto place = ItemFromRecord(*item);
    if (!place.ok()) return "";
    std::string bucket = place->bucket;
    uint64_t offset = place->offset, length = place->length;
    auto brec = (*rtx)->Get("bucket", bucket);
    if (!brec.ok()) return "";
    std::string hex(boost::json::parse(brec->body).as_object()["wrapped"].as_string());
    std::vector<uint8_t> wrapped;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
      wrapped.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    auto env = vault::ReadSegment(std::filesystem::path(copy) / "vault", bucket, {offset, length});
    if (!env.ok() || wrapped.empty()) return "";
    for (const auto& root : roots) {
      std::span<const uint8_t> r(reinterpret_cast<const uint8_t*>(root.data()), root.size());
      auto key = crypto::Aes256GcmOpenRandomNonce(r, vault::RootWrapAad(bucket),
                                                  std::span(wrapped).subspan(1));
      if (!key.ok()) continue;
      auto bk = vault::BucketKey::FromBytes(bucket, key->view());
      if (!bk.ok()) continue;
      auto content = vault::OpenEnvelope(*bk, id, *env);
      if (content.ok()) return std::string(content->begin(), content->end());
    }
    return "";
  }

  std::vector<std::string> copies_made_;
  std::string dir_, keydir_;
  std::unique_ptr<vault::FileKeyProvider> keys_;
  std::unique_ptr<Vault> vault_;
  std::unique_ptr<RndCopies> copies_;
  std::vector<std::vector<uint8_t>> keep_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<rules::Rulebook> book_;
  FakeClock clock_{FromMicros(1'767'225'600'000'000)};  // 2026-01-01T00:00:00Z
  SequentialIdGenerator ids_;
  std::unique_ptr<Workflow> wf_;
  std::unique_ptr<Rnd> rnd_;
  Principal dgsi_, dgse_, cnctr_, pm_, gic_, admin_, rnd_agent_, collector_, minister_;
};

}  // namespace cloison::service
