// Randomness from the OS through OpenSSL's DRBG (RAND_bytes), for secrets
// that leave the process: bearer tokens, certificate serial numbers.
#pragma once

#include <cstdint>
#include <span>

#include "base/status.h"

namespace cloison::crypto {

// Fills `out` with cryptographically secure random bytes. Thread-safe.
// Internal if the generator could not be seeded (never silently weak).
Status RandomBytes(std::span<uint8_t> out);

}  // namespace cloison::crypto
