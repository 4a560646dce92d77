// C2SP tlog-proof@v1 offline proofs (shared/testdata/c2sp/tlog-proof.md). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"

namespace cloison::ledger {

struct TlogProof {
  std::optional<std::string> extra;  // decoded bytes of the "extra" line
  uint64_t index = 0;
  std::vector<Hash> inclusion;
  std::string checkpoint;  // the signed note, verbatim
};

// doc/formats/checkpoint.md, "Proof files". FormatTlogProof(*ParseTlogProof(t))
// == t for every accepted t.
std::string FormatTlogProof(const TlogProof& p);
// Strict: header, optional extra (canonical base64), index (decimal, no
// leading zero), at most 64 hashes, an empty line, then a well-formed signed
// checkpoint. InvalidArgument naming the line of the whole text.
Result<TlogProof> ParseTlogProof(std::string_view text);

// Verifies a proof for `entry` (the logged bytes): the checkpoint's origin
// and log signature, every witness in `witnesses` that cosigned (at least
// `min_cosignatures` of them), and the inclusion of LeafHash(entry).
// A known witness's failing cosignature refuses the proof; a witness listed
// twice counts once. Too few cosignatures: FailedPrecondition; a bad origin,
// signature, index or inclusion proof: InvalidArgument (NotFound if the log
// did not sign the checkpoint).
Status VerifyTlogProof(const TlogProof& p, std::string_view entry, const Verifier& log_key,
                       std::string_view origin, const std::vector<Verifier>& witnesses = {},
                       int min_cosignatures = 0);

}  // namespace cloison::ledger
