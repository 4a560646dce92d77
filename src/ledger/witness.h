// A witness (C2SP tlog-witness, in spirit): remembers the last checkpoint it
// cosigned for a log, and cosigns a new one only if a consistency proof shows
// it extends that one. Refusals say why. The state is a small text file owned
// by the witness (the CNCTR's own process), written atomically.
//
// Thread-safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"

namespace cloison::ledger {

struct WitnessState {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};

// The state file (doc/formats/checkpoint.md, "Witness state"):
//   cloison-witness-state/v1\n<origin>\n<size>\n<base64 root>\n
// Load: NotFound if absent, IoError if unreadable, Corruption (naming the
// file and line) if it does not decode.
Result<WitnessState> LoadWitnessState(const std::string& path);  // NotFound if absent
// Writes a temporary file beside `path`, fsyncs it, renames it over `path`,
// and fsyncs the directory: a crash leaves the old state or the new one.
// InvalidArgument if the origin is empty or holds a newline; IoError else.
Status SaveWitnessState(const std::string& path, const WitnessState& s);

// Checks `signed_checkpoint` (log signature, origin) and its consistency with
// `state` (if state.size > 0) through `proof`; on success returns the note
// with the witness's cosignature added and updates `state`. Errors:
// FailedPrecondition "inconsistent: ..." for a fork or a rollback.
//
// The origin wanted is state.origin, or log_key.name if state.origin is
// empty (a witness that has cosigned nothing yet). Each refusal says which:
//   InvalidArgument  "checkpoint: line N: ..."        malformed note or body
//   InvalidArgument  "checkpoint: origin: got ..."    another log
//   InvalidArgument  "checkpoint: bad signature: ..." no or failing log signature
//   InvalidArgument  "checkpoint: root hash: ..."     size 0 but not the empty root
//   InvalidArgument  "consistency proof: ..."         a proof where none is due, > 63 hashes
//   FailedPrecondition "inconsistent: rollback: ..."  smaller than the cosigned size
//   FailedPrecondition "inconsistent: fork: ..."      same size, other root
//   FailedPrecondition "inconsistent: the consistency proof does not verify ..."
// A cosignature this witness made earlier on the same note is replaced.
// `state` changes only on success. The caller must SaveWitnessState the new
// state before releasing the cosigned note (tlog-witness.md: persist before
// responding), and serialise calls for one log (check and update are one step).
Result<std::string> WitnessCheckpoint(WitnessState& state, std::string_view signed_checkpoint,
                                      const std::vector<Hash>& consistency_proof,
                                      const Verifier& log_key, const Signer& witness,
                                      uint64_t unix_seconds);

}  // namespace cloison::ledger
