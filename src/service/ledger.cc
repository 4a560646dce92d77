#include "service/ledger.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "crypto/sha256.h"
#include "ledger/proof.h"
#include "ledger/tiles.h"
#include "service/event.h"
#include "service/files.h"

namespace cloison::service {
namespace {

constexpr int64_t kPage = 4096;  // events read per store call

std::string Hex(const ledger::Hash& h) {
  return crypto::Hex(h);
}

ledger::Hash LeafOf(const std::string& body) {
  return ledger::LeafHash(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
}

bool SameSignature(const ledger::NoteSignature& a, const ledger::NoteSignature& b) {
  return a.name == b.name && a.key_id == b.key_id;
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::Open(store::Store& store, const ledger::Signer& signer,
                                             const Clock& clock) {
  if (signer.name.empty())
    return Status::InvalidArgument("ledger key: empty name (want the origin)");
  std::unique_ptr<Ledger> l(new Ledger(store, signer, clock));
  ASSIGN_OR_RETURN(auto tx, store.BeginRead());
  std::unique_lock lock(l->mu_);
  RETURN_IF_ERROR(l->CatchUp(*tx));
  return l;
}

Status Ledger::CatchUp(store::ReadTx& tx) {
  ASSIGN_OR_RETURN(int64_t count, tx.EventCount());
  while (static_cast<int64_t>(tree_.size()) < count) {
    const int64_t from = static_cast<int64_t>(tree_.size());
    ASSIGN_OR_RETURN(std::vector<store::Event> page,
                     tx.Events(from, std::min(kPage, count - from)));
    if (page.empty())
      return Status::Corruption("events: none at " + std::to_string(from) + " of " +
                                std::to_string(count));
    for (const store::Event& e : page) {
      if (e.index != static_cast<int64_t>(tree_.size()))
        return Status::Corruption("events: got index " + std::to_string(e.index) + ", want " +
                                  std::to_string(tree_.size()));
      tree_.Append(LeafOf(e.body));
    }
  }
  return Status::Ok();
}

Result<Ledger::Stored> Ledger::LoadStored(store::ReadTx& tx) {
  ASSIGN_OR_RETURN(std::string note, tx.GetMeta(kCheckpointMeta));
  auto cp = ledger::OpenCheckpoint(note, verifier(), origin());
  if (!cp.ok())
    return Status::Corruption(std::string("meta ") + kCheckpointMeta + ": " +
                              cp.status().message());
  return Stored{std::move(note), std::move(*cp)};
}

Status Ledger::CheckExtends(const Stored& s) const {
  const ledger::Checkpoint& cp = s.checkpoint;
  if (cp.size > tree_.size())
    return Status::FailedPrecondition("the last checkpoint has size " + std::to_string(cp.size) +
                                      " but the store holds " + std::to_string(tree_.size()) +
                                      " events: refusing a checkpoint inconsistent with it");
  ASSIGN_OR_RETURN(ledger::Hash root, tree_.Root(cp.size));
  if (root != cp.root)
    return Status::FailedPrecondition(
        "the store's first " + std::to_string(cp.size) + " events hash to " + Hex(root) +
        ", the last checkpoint signed " + Hex(cp.root) +
        ": the store was changed; refusing a checkpoint inconsistent with it");
  return Status::Ok();
}

Result<std::string> Ledger::IssueCheckpoint() {
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  RETURN_IF_ERROR(CatchUp(*tx));
  auto stored = LoadStored(*tx);
  if (!stored.ok() && stored.status().code() != Code::kNotFound) return stored.status();
  if (stored.ok()) {
    RETURN_IF_ERROR(CheckExtends(*stored));
    const uint64_t last = stored->checkpoint.size;
    // Idle: nothing new, or only the event that recorded the last checkpoint.
    if (tree_.size() == last) return stored->note;
    if (tree_.size() == last + 1) {
      ASSIGN_OR_RETURN(auto ev, tx->Events(static_cast<int64_t>(last), 1));
      if (ev.size() == 1 && ev[0].type == kCheckpointEvent) return stored->note;
    }
  }
  ledger::Checkpoint cp{origin(), tree_.size(), tree_.Root(), {}};
  ledger::Note note{ledger::FormatCheckpoint(cp), {}};
  ledger::SignNote(note, signer_);
  std::string text = ledger::FormatNote(note);
  RETURN_IF_ERROR(tx->SetMeta(kCheckpointMeta, text));
  store::Event e;
  e.type = kCheckpointEvent;
  e.body = EncodeEvent({kCheckpointEvent, "system", origin()}, clock_, clock_.Now(),
                       {{"size", static_cast<int64_t>(cp.size)}, {"root", Hex(cp.root)}});
  RETURN_IF_ERROR(tx->Append(e).status());
  RETURN_IF_ERROR(tx->Commit());
  return text;
}

Result<std::string> Ledger::LatestCheckpoint() {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(Stored s, LoadStored(*tx));
  return s.note;
}

Status Ledger::AddCosignatures(std::string_view cosigned,
                               const std::vector<ledger::Verifier>& witnesses) {
  ASSIGN_OR_RETURN(ledger::Note in, ledger::ParseNote(cosigned));
  auto in_cp = ledger::OpenCheckpoint(cosigned, verifier(), origin());
  if (!in_cp.ok())
    return Status::InvalidArgument("cosigned checkpoint: " + in_cp.status().message());
  for (const auto& w : witnesses) {
    auto t = ledger::VerifyCosignature(in, w);
    if (!t.ok())
      return Status::PermissionDenied("cosigned checkpoint: witness " + w.name + ": " +
                                      t.status().message());
  }
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  auto stored = LoadStored(*tx);
  if (!stored.ok()) {
    if (stored.status().code() == Code::kNotFound)
      return Status::FailedPrecondition("no checkpoint issued yet: nothing to cosign");
    return stored.status();
  }
  ASSIGN_OR_RETURN(ledger::Note mine, ledger::ParseNote(stored->note));
  if (in.text != mine.text)
    return Status::FailedPrecondition("cosigned checkpoint: size " + std::to_string(in_cp->size) +
                                      ", want the latest checkpoint (size " +
                                      std::to_string(stored->checkpoint.size) +
                                      "); have it cosigned again");
  int added = 0;
  for (const auto& sig : in.signatures) {
    bool have = std::any_of(mine.signatures.begin(), mine.signatures.end(),
                            [&](const ledger::NoteSignature& m) { return SameSignature(m, sig); });
    if (have) continue;
    mine.signatures.push_back(sig);
    ++added;
  }
  if (added == 0)
    return Status::AlreadyExists("cosigned checkpoint: no cosignature that is not already stored");
  RETURN_IF_ERROR(tx->SetMeta(kCheckpointMeta, ledger::FormatNote(mine)));
  return tx->Commit();
}

Result<Ledger::Stored> Ledger::CheckedLatest(store::ReadTx& tx) {
  RETURN_IF_ERROR(CatchUp(tx));
  auto stored = LoadStored(tx);
  if (!stored.ok()) {
    if (stored.status().code() == Code::kNotFound)
      return Status::FailedPrecondition("no checkpoint issued yet (run cloison ledger checkpoint)");
    return stored.status();
  }
  RETURN_IF_ERROR(CheckExtends(*stored));
  return stored;
}

Result<std::string> Ledger::TileData(store::ReadTx& tx, const ledger::TileId& id) const {
  if (!id.entries) return ledger::HashTile(tree_, id);
  const int64_t from = static_cast<int64_t>(id.index * ledger::kTileWidth);
  ASSIGN_OR_RETURN(auto events, tx.Events(from, static_cast<int64_t>(id.width)));
  if (events.size() != id.width)
    return Status::Corruption("events: got " + std::to_string(events.size()) + " from " +
                              std::to_string(from) + ", want " + std::to_string(id.width));
  std::vector<std::string> bodies;
  bodies.reserve(events.size());
  for (auto& e : events) bodies.push_back(std::move(e.body));
  return ledger::EncodeEntryBundle(bodies);
}

Status Ledger::ExportTiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(Stored stored, CheckedLatest(*tx));
  for (const ledger::TileId& id : ledger::TilesForSize(stored.checkpoint.size)) {
    ASSIGN_OR_RETURN(std::string data, TileData(*tx, id));
    RETURN_IF_ERROR(WriteFileAtomically((fs::path(dir) / ledger::TilePath(id)).string(), data));
  }
  // Last: the checkpoint refers to tiles that are all in place.
  return WriteFileAtomically((fs::path(dir) / "checkpoint").string(), stored.note);
}

Result<std::string> Ledger::Tile(const ledger::TileId& id) {
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(Stored stored, CheckedLatest(*tx));
  // Published: the hashes (or entries) at tile level L number size >> 8L; a
  // tile is full, or the rightmost partial one of exactly the remaining width.
  const uint64_t count = id.level >= 8 ? 0 : stored.checkpoint.size >> (8 * id.level);
  const uint64_t first = id.index * ledger::kTileWidth;
  if (id.width == 0 || first >= count || first + id.width > count ||
      (id.width != ledger::kTileWidth && first + id.width != count)) {
    return Status::NotFound("tile " + ledger::TilePath(id) + ": not published at size " +
                            std::to_string(stored.checkpoint.size));
  }
  return TileData(*tx, id);
}

Result<std::string> Ledger::Proof(uint64_t index) {
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  auto stored = CheckedLatest(*tx);
  if (!stored.ok()) return stored.status();
  const uint64_t size = stored->checkpoint.size;
  if (index >= size)
    return Status::FailedPrecondition(
        "index: got " + std::to_string(index) + ", want < " + std::to_string(size) +
        " (the latest checkpoint's size; issue a new checkpoint first)");
  ledger::TlogProof p;
  p.index = index;
  ASSIGN_OR_RETURN(p.inclusion, tree_.InclusionProof(index, size));
  p.checkpoint = stored->note;
  return ledger::FormatTlogProof(p);
}

Result<std::string> Ledger::Entry(uint64_t index) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(auto events, tx->Events(static_cast<int64_t>(index), 1));
  if (events.empty())
    return Status::NotFound("index: " + std::to_string(index) + ": no such entry");
  return std::move(events[0].body);
}

Result<std::vector<ledger::Hash>> Ledger::ConsistencyProof(uint64_t size1, uint64_t size2) {
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  RETURN_IF_ERROR(CatchUp(*tx));
  return tree_.ConsistencyProof(size1, size2);
}

Result<uint64_t> Ledger::Sync() {
  std::unique_lock lock(mu_);
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  RETURN_IF_ERROR(CatchUp(*tx));
  return tree_.size();
}

uint64_t Ledger::size() const {
  std::shared_lock lock(mu_);
  return tree_.size();
}

}  // namespace cloison::service
