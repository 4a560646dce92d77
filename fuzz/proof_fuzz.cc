// Fuzzes the tlog-proof@v1 parser: any bytes give a TlogProof or an error, an
// accepted proof formats back to exactly its input, and verifying it against
// fixed keys never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ledger/proof.h"

namespace ledger = cloison::ledger;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ledger::Verifier kLog = *ledger::ParseVerifierKey(
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  static const std::vector<ledger::Verifier> kWitnesses = [] {
    ledger::Verifier w = kLog;
    w.name = "witness1.example";
    w.algorithm = ledger::kAlgCosignatureV1;
    return std::vector<ledger::Verifier>{w};
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto proof = ledger::ParseTlogProof(text);
  if (!proof.ok()) return 0;
  if (ledger::FormatTlogProof(*proof) != text) __builtin_trap();
  (void)ledger::VerifyTlogProof(*proof, "entry", kLog, "example.com/foo", kWitnesses, 1);
  return 0;
}
