// The log verifier: checks any C2SP tlog-tiles log (shared/testdata/c2sp/
// tlog-tiles.md) trusting nothing but the log's public key (PRODUCT.md
// invariant 6). It fetches the signed checkpoint, verifies its signature and
// origin, fetches every entry bundle and hash tile the checkpoint's size
// requires, checks each entry's RFC 6962 leaf hash against the level-0 tiles,
// recomputes every upper tile and the root, and compares the root with the
// checkpoint. Given the state it saved last time (size and root it saw), it
// also recomputes the root of that size from the same tiles: a log that
// rewrote or dropped history, or went back, fails.
//
// Nothing here is Cloison-specific: entries are opaque bytes.
//
// Failures name the first bad index: the message of a failed VerifyLog starts
// with "index N: " when a specific entry (or the first entry covered by a bad
// hash) can be named, followed by the resource path and what was wrong.
//
// Thread-safety: VerifyLog is reentrant; a TileSource is used by one call at a
// time unless its implementation says otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/tree.h"
#include "ledger/witness.h"

namespace cloison::ledger {

// Where a log's resources come from: a directory, an HTTP prefix, memory.
// Paths are relative to the log's prefix, without a leading slash:
// "checkpoint", "tile/0/x001/234", "tile/entries/000.p/7".
class TileSource {
 public:
  virtual ~TileSource() = default;
  // The bytes at `path`. NotFound when the log does not have that resource
  // (no such file, HTTP 404); any other failure (I/O, transport, TLS, a
  // resource larger than kMaxResourceBytes) is another code.
  virtual Result<std::string> Fetch(std::string_view path) = 0;
};

// Large enough for a full bundle of maximal entries (256 x (2 + 65535)).
inline constexpr uint64_t kMaxResourceBytes = 32ull << 20;

// Reads resources from files under `dir` (as `cloison ledger export` writes
// them). Refuses paths that are absolute or contain "..".
class DirectorySource final : public TileSource {
 public:
  explicit DirectorySource(std::string dir) : dir_(std::move(dir)) {}
  Result<std::string> Fetch(std::string_view path) override;

 private:
  std::string dir_;
};

// Called after each level-0 tile: entries verified so far, and the total.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// What a successful verification saw.
struct Report {
  std::string checkpoint_note;  // the signed checkpoint, verbatim
  Checkpoint checkpoint;
  uint64_t entries = 0;        // entries whose leaf hash was checked
  uint64_t entry_bundles = 0;  // bundles fetched
  uint64_t hash_tiles = 0;     // hash tiles fetched (every level)
  // Set when a saved state with a non-zero size was given: the size whose
  // root was recomputed and matched.
  std::optional<uint64_t> consistent_with_size;
  // Names of the note's signatures other than the log's (unverified here:
  // see VerifyCosignature for witnesses the caller trusts).
  std::vector<std::string> other_signers;

  // The state to save for the next run.
  WitnessState State() const { return {checkpoint.origin, checkpoint.size, checkpoint.root}; }
};

// Verifies the whole log at `source`. `origin` empty means the key's name
// (C2SP logs name their key after their origin). `saved` is the state a
// previous run returned (Report::State), for this origin.
//
// Errors: PermissionDenied "checkpoint: ..." (it does not parse, is not for
// this origin, or is not signed by this key), FailedPrecondition "inconsistent: ..." (rollback or
// a history that does not extend `saved`), NotFound "index N: <path>:
// missing", Corruption "index N: <path>: ..." (a resource that does not hash
// as it should), and the source's own I/O errors.
Result<Report> VerifyLog(TileSource& source, const Verifier& log_key, std::string_view origin,
                         const std::optional<WitnessState>& saved, const ProgressFn& progress = {});

// Reads the level-0 hash tiles of a log of `size` entries into a Tree (what a
// witness needs to build consistency proofs without trusting the log's
// proofs). Checks the tree's root against `root`; errors name the tile.
Result<Tree> TreeFromTiles(TileSource& source, uint64_t size, const Hash& root);

}  // namespace cloison::ledger
