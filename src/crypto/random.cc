#include "crypto/random.h"

#include <openssl/rand.h>

#include <climits>

namespace cloison::crypto {

Status RandomBytes(std::span<uint8_t> out) {
  while (!out.empty()) {
    size_t n = out.size() > INT_MAX ? static_cast<size_t>(INT_MAX) : out.size();
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
      return Status::Internal("random: the OS random generator failed");
    out = out.subspan(n);
  }
  return Status::Ok();
}

}  // namespace cloison::crypto
