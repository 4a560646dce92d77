// C2SP tlog-checkpoint bodies and tlog-cosignature/v1 witness cosignatures
// (shared/testdata/c2sp/tlog-checkpoint.md, tlog-cosignature.md). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

namespace cloison::ledger {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // extra lines, without "\n"
};

// "<origin>\n<size>\n<base64 root>\n[extensions\n]".
std::string FormatCheckpoint(const Checkpoint& c);
// Errors name the line ("line 2: size: got \"01\", want a decimal without leading zeros").
Result<Checkpoint> ParseCheckpoint(std::string_view body);

// A signed checkpoint: parses the note, checks the origin, verifies the log's
// signature, and returns the checkpoint.
Result<Checkpoint> OpenCheckpoint(std::string_view signed_note, const Verifier& log_key,
                                  std::string_view want_origin);

// tlog-cosignature/v1: the witness signs "cosignature/v1\ntime <t>\n" followed
// by the checkpoint body; the signature line holds key id, 8-byte big-endian
// time, and the 64-byte signature. Verifier keys use algorithm 0x04.
void Cosign(Note& checkpoint_note, const Signer& witness, uint64_t unix_seconds);
// OK if `witness` cosigned the note; returns the cosignature's time.
Result<uint64_t> VerifyCosignature(const Note& checkpoint_note, const Verifier& witness);
// A witness signer: algorithm 0x04 key ids.
Signer GenerateWitnessSigner(std::string_view name);
Verifier WitnessVerifierOf(const Signer& s);

}  // namespace cloison::ledger
