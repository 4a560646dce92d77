// Fuzzes the checkpoint parser: any bytes give a Checkpoint or an error, and
// an accepted body formats back to exactly its input. The same bytes read as
// a signed note have their checkpoint opened and their cosignatures checked
// (against fixed keys), which must never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ledger/checkpoint.h"

namespace ledger = cloison::ledger;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ledger::Verifier kLog = *ledger::ParseVerifierKey(
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  static const ledger::Verifier kWitness = [] {
    ledger::Verifier w = kLog;
    w.name = "witness.example.com/w1";
    w.algorithm = ledger::kAlgCosignatureV1;
    w.key_id = 0x8d66cf3f;  // the id of the tlog-cosignature example's line
    return w;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto body = ledger::ParseCheckpoint(text);
  if (body.ok() && ledger::FormatCheckpoint(*body) != text) __builtin_trap();

  auto note = ledger::ParseNote(text);
  if (note.ok()) {
    auto c = ledger::ParseCheckpoint(note->text);
    if (c.ok() && ledger::FormatCheckpoint(*c) != note->text) __builtin_trap();
    (void)ledger::VerifyCosignature(*note, kWitness);
    (void)ledger::OpenCheckpoint(text, kLog, "example.com/behind-the-sofa");
  }
  return 0;
}
