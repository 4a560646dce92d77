// Fuzzes the signed-note parser and the key string parsers: any bytes give a
// Note or an error, an accepted note formats back to exactly its input, and
// verifying it (against the signed-note spec's example key) never crashes.
// Key strings that parse format back to their input too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/secret.h"
#include "ledger/note.h"

namespace ledger = cloison::ledger;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ledger::Verifier kKey = *ledger::ParseVerifierKey(
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto note = ledger::ParseNote(text);
  if (note.ok()) {
    if (ledger::FormatNote(*note) != text) __builtin_trap();
    (void)ledger::VerifyNote(*note, kKey);
  }

  auto vkey = ledger::ParseVerifierKey(text);
  if (vkey.ok() && ledger::FormatVerifierKey(*vkey) != text) __builtin_trap();

  auto skey = ledger::ParseSignerKey(text);
  if (skey.ok()) {
    std::string again = ledger::FormatSignerKey(*skey);
    if (again != text) __builtin_trap();
    cloison::crypto::WipeString(again);
  }
  return 0;
}
