// Cloison's log verifier for auditors' own programs (PRODUCT.md invariant 6).
//
// It verifies any C2SP tlog-tiles log (Cloison's or another's) trusting
// nothing but the log's public key, and checks C2SP tlog-proof offline proofs.
// It is what `cloison verify` and `cloison verify-proof` run.
//
// Build: link the static library cloison_ledger (it brings cloison_crypto,
// cloison_base, OpenSSL and libsodium); its include directories are this
// folder's parent and src/.
//
// Example: verify an exported log, then remember what was seen.
//
//   #include <cloison/verifier.h>
//
//   auto key = cloison::verifier::ParseVerifierKey(key_text);  // "origin+id+base64"
//   if (!key.ok()) { ...key.status().message()... }
//   cloison::verifier::DirectorySource dir("/mnt/export");
//   auto saved = cloison::verifier::LoadWitnessState("seen.state");  // NotFound first time
//   std::optional<cloison::verifier::WitnessState> last;
//   if (saved.ok()) last = *saved;
//   auto report = cloison::verifier::VerifyLog(dir, *key, /*origin=*/"", last);
//   if (!report.ok()) {
//     // report.status().message() starts with "index N: " when an entry or
//     // tile is bad, naming the first bad index and the resource.
//   } else {
//     (void)cloison::verifier::SaveWitnessState("seen.state", report->State());
//   }
//
// Offline proof of one entry (a .tlog-proof file and the entry's bytes):
//
//   auto proof = cloison::verifier::ParseTlogProof(proof_text);
//   cloison::Status s = cloison::verifier::VerifyTlogProof(*proof, entry, *key, key->name);
//
// Errors are values (cloison::Status, cloison::Result<T>): nothing throws.
// Fetching over HTTP is left to the caller: implement TileSource::Fetch
// (NotFound for a 404) over any HTTP client.
//
// Stability: this header is the supported surface; the src/ headers it
// includes may change between versions.
#pragma once

#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/proof.h"
#include "ledger/verifier.h"
#include "ledger/witness.h"

namespace cloison::verifier {

using ::cloison::Code;
using ::cloison::Result;
using ::cloison::Status;

// Keys: "<name>+<8 hex key id>+<base64(type || public key)>".
using ::cloison::ledger::ParseVerifierKey;
using ::cloison::ledger::Verifier;

// Checkpoints and signed notes.
using ::cloison::ledger::Checkpoint;
using ::cloison::ledger::Note;
using ::cloison::ledger::OpenCheckpoint;
using ::cloison::ledger::ParseCheckpoint;
using ::cloison::ledger::ParseNote;
using ::cloison::ledger::VerifyCosignature;
using ::cloison::ledger::VerifyNote;

// Whole-log verification over the C2SP tlog-tiles layout.
using ::cloison::ledger::DirectorySource;
using ::cloison::ledger::ProgressFn;
using ::cloison::ledger::Report;
using ::cloison::ledger::TileSource;
using ::cloison::ledger::VerifyLog;

// The state remembered between runs (origin, size, root), in the witness's
// file format.
using ::cloison::ledger::LoadWitnessState;
using ::cloison::ledger::SaveWitnessState;
using ::cloison::ledger::WitnessState;

// RFC 6962 hashing and proofs.
using ::cloison::ledger::Hash;
using ::cloison::ledger::LeafHash;
using ::cloison::ledger::VerifyConsistency;
using ::cloison::ledger::VerifyInclusion;

// C2SP tlog-proof offline proofs.
using ::cloison::ledger::ParseTlogProof;
using ::cloison::ledger::TlogProof;
using ::cloison::ledger::VerifyTlogProof;

}  // namespace cloison::verifier
