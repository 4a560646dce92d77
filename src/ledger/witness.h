// A witness (C2SP tlog-witness, in spirit): remembers the last checkpoint it
// cosigned for a log, and cosigns a new one only if a consistency proof shows
// it extends that one. Refusals say why. The state is a small text file owned
// by the witness (the CNCTR's own process), written atomically.
//
// Thread-safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"

namespace cloison::ledger {

struct WitnessState {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};

Result<WitnessState> LoadWitnessState(const std::string& path);  // NotFound if absent
Status SaveWitnessState(const std::string& path, const WitnessState& s);

// Checks `signed_checkpoint` (log signature, origin) and its consistency with
// `state` (if state.size > 0) through `proof`; on success returns the note
// with the witness's cosignature added and updates `state`. Errors:
// FailedPrecondition "inconsistent: ..." for a fork or a rollback.
Result<std::string> WitnessCheckpoint(WitnessState& state, std::string_view signed_checkpoint,
                                      const std::vector<Hash>& consistency_proof,
                                      const Verifier& log_key, const Signer& witness,
                                      uint64_t unix_seconds);

}  // namespace cloison::ledger
