// The instance ledger: store events -> tree -> signed checkpoints -> tiles,
// checked by the independent verifier and proof checker.
#include "service/ledger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "ledger/proof.h"
#include "ledger/verifier.h"
#include "service/files.h"
#include "service/instance.h"
#include "service/workflow.h"
#include "store/testing/temp_dir.h"

namespace cloison::service {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Rulebook() {
  auto text = ReadWholeFile(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
  EXPECT_TRUE(text.ok());
  return text.ok() ? *text : "";
}

ledger::Hash Leaf(const std::string& e) {
  return ledger::LeafHash(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(e.data()), e.size()));
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.ok());
    dir_ = tmp_.File("inst");
    ASSERT_TRUE(InitInstance(dir_, Rulebook()).ok());
    auto inst = OpenInstance(dir_);
    ASSERT_TRUE(inst.ok()) << inst.status().ToString();
    inst_ = std::make_unique<Instance>(std::move(inst).value());
    wf_ = std::make_unique<Workflow>(*inst_->store, inst_->rulebook, clock_, ids_);
  }

  void AddPrincipals(int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(wf_->AddPrincipal({"", "agent " + std::to_string(i), Role::kCnctr, "", ""}).ok());
  }
  // Raw events in one transaction: the ledger does not interpret them.
  static void AppendRaw(store::Store& st, int n, const std::string& tag = "raw") {
    auto tx = st.BeginWrite();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(
          (*tx)->Append({-1, "test.raw", "{\"" + tag + "\":" + std::to_string(i) + "}"}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  std::vector<store::Event> Events() {
    auto tx = inst_->store->BeginRead();
    auto n = (*tx)->EventCount();
    return *(*tx)->Events(0, *n);
  }
  std::unique_ptr<Ledger> Open(store::Store& st) {
    auto l = Ledger::Open(st, inst_->ledger_key, clock_);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return l.ok() ? std::move(l).value() : nullptr;
  }
  ledger::Checkpoint Opened(const std::string& note) {
    auto cp = ledger::OpenCheckpoint(note, ledger::VerifierOf(inst_->ledger_key), inst_->origin);
    EXPECT_TRUE(cp.ok()) << cp.status().ToString();
    return cp.ok() ? *cp : ledger::Checkpoint{};
  }

  store::testing::TempDir tmp_;
  std::string dir_;
  FakeClock clock_{FromMicros(1'750'000'000'000'000)};
  SequentialIdGenerator ids_;
  std::unique_ptr<Instance> inst_;
  std::unique_ptr<Workflow> wf_;
};

TEST_F(LedgerTest, InitMakesTheKeyFiles) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/keys/ledger.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ + "/keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto pub = ReadWholeFile(dir_ + "/ledger.pub");
  ASSERT_TRUE(pub.ok());
  ASSERT_EQ(pub->back(), '\n');
  auto v = ledger::ParseVerifierKey(pub->substr(0, pub->size() - 1));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->name, inst_->origin);
  EXPECT_EQ(v->key, ledger::VerifierOf(inst_->ledger_key).key);
  // The first event binds the key into the ledger.
  EXPECT_THAT(Events().at(0).body,
              HasSubstr("\"ledger_key\":\"" + pub->substr(0, pub->size() - 1) + "\""));
}

TEST_F(LedgerTest, OpenInstanceRefusesAnExposedOrMissingKey) {
  inst_.reset();
  wf_.reset();
  ASSERT_EQ(::chmod((dir_ + "/keys/ledger.key").c_str(), 0644), 0);
  auto r = OpenInstance(dir_);
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("0600"));
  fs::remove(dir_ + "/keys/ledger.key");
  EXPECT_EQ(OpenInstance(dir_).status().code(), Code::kNotFound);
}

TEST_F(LedgerTest, EventsToCheckpointToExportVerify) {
  AddPrincipals(5);
  AppendRaw(*inst_->store, 300);
  auto l = Open(*inst_->store);
  const auto events = Events();
  ASSERT_EQ(l->size(), events.size());
  auto note = l->IssueCheckpoint();
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  ledger::Checkpoint cp = Opened(*note);
  EXPECT_EQ(cp.size, events.size());
  std::vector<ledger::Hash> leaves;
  for (const auto& e : events) leaves.push_back(Leaf(e.body));
  EXPECT_EQ(cp.root, ledger::RootOf(leaves));

  // The checkpoint is recorded: meta and an event, in the same transaction.
  const auto after = Events();
  ASSERT_EQ(after.size(), events.size() + 1);
  EXPECT_EQ(after.back().type, "ledger.checkpoint");
  EXPECT_THAT(after.back().body, HasSubstr("\"size\":" + std::to_string(cp.size)));
  EXPECT_EQ(*l->LatestCheckpoint(), *note);

  const std::string out = tmp_.File("export");
  ASSERT_TRUE(l->ExportTiles(out).ok());
  ledger::DirectorySource src(out);
  auto report = ledger::VerifyLog(src, ledger::VerifierOf(inst_->ledger_key), "", std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, events.size());
  EXPECT_TRUE(fs::exists(out + "/tile/entries/001.p/" + std::to_string(events.size() - 256)));

  // A second export after more events; the verifier, given what it saw,
  // finds the new log consistent with it.
  AppendRaw(*inst_->store, 10, "more");
  ASSERT_TRUE(l->IssueCheckpoint().ok());
  ASSERT_TRUE(l->ExportTiles(out).ok());
  auto again = ledger::VerifyLog(src, ledger::VerifierOf(inst_->ledger_key), "", report->State());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->consistent_with_size, cp.size);
  EXPECT_EQ(again->checkpoint.size, cp.size + 1 + 10);
}

// What the HTTP API serves tile by tile is what the export writes.
TEST_F(LedgerTest, ServesExactlyThePublishedTiles) {
  auto l = Open(*inst_->store);
  EXPECT_EQ(l->Tile({0, 0, 1, false}).status().code(), Code::kFailedPrecondition);  // no checkpoint
  AppendRaw(*inst_->store, 300, "tile");
  auto note = l->IssueCheckpoint();
  ASSERT_TRUE(note.ok());
  const uint64_t size = Opened(*note).size;
  const std::string out = tmp_.File("served");
  ASSERT_TRUE(l->ExportTiles(out).ok());
  for (const ledger::TileId& id : ledger::TilesForSize(size)) {
    auto served = l->Tile(id);
    ASSERT_TRUE(served.ok()) << ledger::TilePath(id) << ": " << served.status().ToString();
    EXPECT_EQ(*served, *ReadWholeFile(out + "/" + ledger::TilePath(id))) << ledger::TilePath(id);
  }
  // Not published at this size: a full tile where only a partial exists, a
  // partial of another width, a tile beyond the end, a level above the tree.
  const uint64_t rest = size - 256;
  EXPECT_EQ(l->Tile({0, 1, 256, false}).status().code(), Code::kNotFound);
  EXPECT_EQ(l->Tile({0, 1, rest - 1, true}).status().code(), Code::kNotFound);
  EXPECT_EQ(l->Tile({0, 2, 1, false}).status().code(), Code::kNotFound);
  EXPECT_EQ(l->Tile({2, 0, 1, false}).status().code(), Code::kNotFound);
  EXPECT_TRUE(l->Tile({0, 1, rest, true}).ok());
}

TEST_F(LedgerTest, AnIdleLogKeepsItsCheckpoint) {
  auto l = Open(*inst_->store);
  auto first = l->IssueCheckpoint();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Opened(*first).size, 1u);  // instance.initialised
  auto second = l->IssueCheckpoint();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(Events().size(), 2u);
  AddPrincipals(1);
  auto third = l->IssueCheckpoint();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(Opened(*third).size, 3u);  // + the first checkpoint's event + the principal
}

TEST_F(LedgerTest, SuccessiveCheckpointsAreConsistent) {
  auto l = Open(*inst_->store);
  std::vector<ledger::Checkpoint> cps;
  for (int round = 0; round < 4; ++round) {
    AppendRaw(*inst_->store, 100 * round + 1);
    auto note = l->IssueCheckpoint();
    ASSERT_TRUE(note.ok());
    cps.push_back(Opened(*note));
  }
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    auto proof = l->ConsistencyProof(cps[i].size, cps[i + 1].size);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(ledger::VerifyConsistency(cps[i].size, cps[i + 1].size, cps[i].root,
                                          cps[i + 1].root, *proof)
                    .ok());
  }
}

TEST_F(LedgerTest, CatchesUpWithOtherWriters) {
  auto l = Open(*inst_->store);
  const uint64_t before = l->size();
  AddPrincipals(3);  // through the workflow, not the ledger
  auto note = l->IssueCheckpoint();
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(Opened(*note).size, before + 3);
}

TEST_F(LedgerTest, NeverSignsAHistoryInconsistentWithTheLastCheckpoint) {
  AppendRaw(*inst_->store, 20);
  auto l = Open(*inst_->store);
  auto note = l->IssueCheckpoint();
  ASSERT_TRUE(note.ok());

  // Another store with a different history of the same length and more,
  // carrying this instance's last checkpoint: what a swapped or rewritten
  // store would look like. The same key must refuse to sign for it.
  auto other = store::OpenSqlite(tmp_.File("other.db"));
  ASSERT_TRUE(other.ok());
  AppendRaw(**other, 40, "forged");
  {
    auto tx = (*other)->BeginWrite();
    ASSERT_TRUE((*tx)->SetMeta(kCheckpointMeta, *note).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto forged = Open(**other);
  auto r = forged->IssueCheckpoint();
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("refusing a checkpoint inconsistent with it"));
  EXPECT_EQ(forged->ExportTiles(tmp_.File("forged")).code(), Code::kFailedPrecondition);
  EXPECT_EQ(forged->Proof(0).status().code(), Code::kFailedPrecondition);

  // A store shorter than the last checkpoint: a truncated copy.
  auto shorter = store::OpenSqlite(tmp_.File("short.db"));
  AppendRaw(**shorter, 3);
  {
    auto tx = (*shorter)->BeginWrite();
    ASSERT_TRUE((*tx)->SetMeta(kCheckpointMeta, *note).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto r2 = Open(**shorter)->IssueCheckpoint();
  EXPECT_EQ(r2.status().code(), Code::kFailedPrecondition);
  EXPECT_THAT(r2.status().message(), HasSubstr("store holds 3 events"));
}

TEST_F(LedgerTest, RefusesAStoredCheckpointItDidNotSign) {
  auto l = Open(*inst_->store);
  ledger::Signer stranger = ledger::GenerateSigner(inst_->origin);
  ledger::Note n{ledger::FormatCheckpoint({inst_->origin, 1, ledger::Hash{}, {}}), {}};
  ledger::SignNote(n, stranger);
  auto tx = inst_->store->BeginWrite();
  ASSERT_TRUE((*tx)->SetMeta(kCheckpointMeta, ledger::FormatNote(n)).ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(l->IssueCheckpoint().status().code(), Code::kCorruption);
}

TEST_F(LedgerTest, ProofsVerifyOffline) {
  AppendRaw(*inst_->store, 600);
  auto l = Open(*inst_->store);
  EXPECT_EQ(l->Proof(0).status().code(), Code::kFailedPrecondition);  // no checkpoint yet
  auto note = l->IssueCheckpoint();
  ASSERT_TRUE(note.ok());
  const uint64_t size = Opened(*note).size;
  const ledger::Verifier key = ledger::VerifierOf(inst_->ledger_key);
  for (uint64_t i :
       {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, uint64_t{511}, size - 1}) {
    auto text = l->Proof(i);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_THAT(*text, StartsWith("c2sp.org/tlog-proof@v1\nindex " + std::to_string(i) + "\n"));
    auto p = ledger::ParseTlogProof(*text);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    auto entry = l->Entry(i);
    ASSERT_TRUE(entry.ok());
    EXPECT_TRUE(ledger::VerifyTlogProof(*p, *entry, key, inst_->origin).ok()) << i;
    EXPECT_FALSE(ledger::VerifyTlogProof(*p, *entry + " ", key, inst_->origin).ok()) << i;
    if (i > 0) {
      EXPECT_FALSE(ledger::VerifyTlogProof(*p, *l->Entry(i - 1), key, inst_->origin).ok()) << i;
    }
  }
  auto beyond = l->Proof(size);  // the checkpoint's own event is not in it
  EXPECT_EQ(beyond.status().code(), Code::kFailedPrecondition);
  EXPECT_THAT(beyond.status().message(), HasSubstr("want < " + std::to_string(size)));
}

TEST_F(LedgerTest, GathersWitnessCosignatures) {
  AppendRaw(*inst_->store, 5);
  auto l = Open(*inst_->store);
  auto note = l->IssueCheckpoint();
  ASSERT_TRUE(note.ok());
  ledger::Signer w = ledger::GenerateWitnessSigner("cnctr.example/witness");
  const ledger::Verifier wv = ledger::WitnessVerifierOf(w);
  auto parsed = ledger::ParseNote(*note);
  ASSERT_TRUE(parsed.ok());
  ledger::Cosign(*parsed, w, 1'750'000'000);
  const std::string cosigned = ledger::FormatNote(*parsed);

  EXPECT_EQ(l->AddCosignatures(cosigned, {ledger::WitnessVerifierOf(ledger::GenerateWitnessSigner(
                                             "cnctr.example/witness"))})
                .code(),
            Code::kPermissionDenied);
  ASSERT_TRUE(l->AddCosignatures(cosigned, {wv}).ok());
  EXPECT_EQ(l->AddCosignatures(cosigned, {wv}).code(), Code::kAlreadyExists);
  auto latest = l->LatestCheckpoint();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, cosigned);
  EXPECT_EQ(Opened(*latest).size, Opened(*note).size);  // still the log's checkpoint
  ASSERT_TRUE(l->ExportTiles(tmp_.File("export")).ok());
  EXPECT_EQ(*ReadWholeFile(tmp_.File("export/checkpoint")), cosigned);
  // The cosigned checkpoint does not make the log look active.
  EXPECT_EQ(*l->IssueCheckpoint(), cosigned);

  // A cosignature of an older checkpoint is refused once a newer one exists.
  AppendRaw(*inst_->store, 1);
  ASSERT_TRUE(l->IssueCheckpoint().ok());
  auto stale = l->AddCosignatures(cosigned, {wv});
  EXPECT_EQ(stale.code(), Code::kFailedPrecondition);
  EXPECT_THAT(stale.message(), HasSubstr("want the latest checkpoint"));
}

}  // namespace
}  // namespace cloison::service
