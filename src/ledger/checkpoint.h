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
// Errors name the line ("line 2: size: got \"01\", want a decimal without leading zeros"),
// counted from `first_line` when the body is part of a larger text. At least
// three non-empty lines; extension lines are kept, and must be non-empty.
// The text rules of notes apply (UTF-8, no control characters but newline).
Result<Checkpoint> ParseCheckpoint(std::string_view body);
Result<Checkpoint> ParseCheckpoint(std::string_view body, int first_line);

// A signed checkpoint: parses the note, checks the origin, verifies the log's
// signature, and returns the checkpoint. Errors: InvalidArgument for a
// malformed note or body, a wrong origin ("origin: got ..., want ...") or a
// failing log signature; NotFound if the log did not sign it.
Result<Checkpoint> OpenCheckpoint(std::string_view signed_note, const Verifier& log_key,
                                  std::string_view want_origin);

// tlog-cosignature/v1: the witness signs "cosignature/v1\ntime <t>\n" followed
// by the checkpoint body; the signature line holds key id, 8-byte big-endian
// time, and the 64-byte signature. Verifier keys use algorithm 0x04; the key
// id is always KeyId(name, 0x04, public key). The spec caps times at 2^63-1
// (VerifyCosignature rejects larger ones).
void Cosign(Note& checkpoint_note, const Signer& witness, uint64_t unix_seconds);
// OK if `witness` cosigned the note; returns the cosignature's time (the
// latest if it cosigned more than once). NotFound if there is no cosignature
// by that name and key id; InvalidArgument if one does not verify, or the
// verifier is not an algorithm 0x04 key.
Result<uint64_t> VerifyCosignature(const Note& checkpoint_note, const Verifier& witness);
// A witness signer: algorithm 0x04 key ids.
Signer GenerateWitnessSigner(std::string_view name);
Verifier WitnessVerifierOf(const Signer& s);

}  // namespace cloison::ledger
