// Fuzzes the C2SP tlog-tiles decoders (ledger/tiles.h): the input is read both
// as a tile path and as an entry bundle. Neither may crash, and what they
// accept must encode back to the same bytes (a path or bundle has one form).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/tiles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using cloison::ledger::DecodeEntryBundle;
  using cloison::ledger::EncodeEntryBundle;

  auto id = cloison::ledger::ParseTilePath(text);
  if (id.ok()) {
    if (cloison::ledger::TilePath(*id) != text) __builtin_trap();
    if (id->width < 1 || id->width > 256 || id->level < 0 || id->level > 63) __builtin_trap();
  }

  auto entries = DecodeEntryBundle(text);
  if (entries.ok()) {
    auto again = EncodeEntryBundle(*entries);
    if (!again.ok() || *again != text) __builtin_trap();
  }
  // With a width taken from the first byte (the rest is the bundle).
  if (size > 0) {
    const uint64_t width = data[0] + 1;  // 1..256
    auto fixed = DecodeEntryBundle(text.substr(1), width);
    if (fixed.ok()) {
      if (fixed->size() != width) __builtin_trap();
      auto again = EncodeEntryBundle(*fixed);
      if (!again.ok() || *again != text.substr(1)) __builtin_trap();
    }
  }
  return 0;
}
