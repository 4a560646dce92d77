// The instance's ledger (PRODUCT.md invariants 5-6; doc/formats/ledger.md):
// every store event is a leaf of an RFC 6962 tree, in index order, its entry
// being the event body bytes. Checkpoints are C2SP signed notes by the
// instance key, issued on demand (IssueCheckpoint) and kept in the store:
//   meta "ledger.checkpoint"  the latest signed checkpoint (with any witness
//                             cosignatures gathered since),
//   event "ledger.checkpoint" appended in the same transaction, recording the
//                             size and root it signed.
// The ledger never signs a checkpoint that does not extend the last one: if
// the store's events no longer hash to it (a tampered or swapped store), it
// refuses. Nothing is ever pruned: a destroyed item keeps its entries.
//
// Thread-safety: a Ledger is thread-safe (mu_ guards the tree); the store's
// own writers may append events concurrently, and each call first catches the
// tree up with the store.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/tiles.h"
#include "ledger/tree.h"
#include "store/store.h"

namespace cloison::service {

inline constexpr char kCheckpointMeta[] = "ledger.checkpoint";
inline constexpr char kCheckpointEvent[] = "ledger.checkpoint";

class Ledger {
 public:
  // Reads every event of `store` (in pages) into the tree. `store`, `signer`
  // and `clock` are borrowed and must outlive the Ledger. The signer's name
  // is the log's origin.
  static Result<std::unique_ptr<Ledger>> Open(store::Store& store, const ledger::Signer& signer,
                                              const Clock& clock);

  // Signs a checkpoint of every event committed so far and returns the signed
  // note. When nothing but the previous checkpoint's own event was appended
  // since, returns the previous checkpoint (so an idle log does not grow).
  // FailedPrecondition if the last checkpoint is not a prefix of the tree.
  Result<std::string> IssueCheckpoint();
  // The latest signed checkpoint (with cosignatures); NotFound if none.
  Result<std::string> LatestCheckpoint();
  // Adds the witness cosignatures found in `cosigned` (the latest checkpoint,
  // as a witness returned it) to the stored checkpoint. The body must be the
  // latest checkpoint's, and the log's signature must verify. Each witness of
  // `witnesses` must have cosigned (cosignatures by other keys are kept too).
  Status AddCosignatures(std::string_view cosigned,
                         const std::vector<ledger::Verifier>& witnesses = {});

  // Writes the C2SP tlog-tiles layout of the latest checkpoint under `dir`:
  // every entry bundle and hash tile for its size, then `checkpoint` last, so
  // a reader never sees a checkpoint whose tiles are not there yet. Each file
  // is written atomically (temporary file, then rename).
  Status ExportTiles(const std::string& dir);

  // One tile of the latest checkpoint's tlog-tiles layout (hash tile or
  // entry bundle), as ExportTiles writes it; NotFound for a tile that size
  // does not publish (beyond it, or a partial width it does not have).
  Result<std::string> Tile(const ledger::TileId& id);

  // A C2SP tlog-proof of entry `index` in the latest checkpoint.
  Result<std::string> Proof(uint64_t index);
  // The entry (event body) at `index`.
  Result<std::string> Entry(uint64_t index);
  // RFC 9162 consistency proof between two sizes of the current tree.
  Result<std::vector<ledger::Hash>> ConsistencyProof(uint64_t size1, uint64_t size2);

  // Catches the tree up with the store; returns its size.
  Result<uint64_t> Sync();
  uint64_t size() const;
  const std::string& origin() const { return signer_.name; }
  ledger::Verifier verifier() const { return ledger::VerifierOf(signer_); }

 private:
  Ledger(store::Store& store, const ledger::Signer& signer, const Clock& clock)
      : store_(store), signer_(signer), clock_(clock) {}
  // Appends the events from tree_.size() on, as `tx` sees them. Requires mu_
  // held exclusively.
  Status CatchUp(store::ReadTx& tx);
  struct Stored {
    std::string note;  // the signed note, verbatim
    ledger::Checkpoint checkpoint;
  };
  // The latest checkpoint as stored, parsed and checked against the log key
  // (NotFound if none).
  Result<Stored> LoadStored(store::ReadTx& tx);
  // OK if `s` is a prefix of the tree. Requires mu_ held.
  Status CheckExtends(const Stored& s) const;
  // The latest checkpoint, caught up and checked (FailedPrecondition if none
  // was issued yet). Requires mu_ held exclusively.
  Result<Stored> CheckedLatest(store::ReadTx& tx);
  // The bytes of tile `id` of a log of the tree's events. Requires mu_ held.
  Result<std::string> TileData(store::ReadTx& tx, const ledger::TileId& id) const;

  store::Store& store_;
  const ledger::Signer& signer_;
  const Clock& clock_;
  mutable std::shared_mutex mu_;
  ledger::Tree tree_;  // guarded by mu_
};

}  // namespace cloison::service
