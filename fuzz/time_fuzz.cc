// Fuzzes the RFC 3339 parser: any accepted text formats back to a time that
// parses to the same instant.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = cloison::ParseTime(text, "fuzz");
  if (!t.ok()) return 0;
  auto again = cloison::ParseTime(cloison::FormatTime(*t), "fuzz");
  if (!again.ok() || *again != *t) __builtin_trap();
  return 0;
}
