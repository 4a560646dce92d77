// SHA-256 on the x86 SHA extensions (SHA-NI), for the small inputs where
// OpenSSL's per-call cost dominates: a Merkle node is 65 bytes (two blocks
// with padding) and a ledger entry a few hundred. Internal to crypto/:
// callers use Sha256Parts (sha256.h), which picks this path when the CPU has
// the instructions and OpenSSL otherwise.
//
// Thread-safety: every function here is pure (no state kept between calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "crypto/sha256.h"

namespace cloison::crypto::internal {

// True when this CPU runs the SHA, SSSE3 and SSE4.1 instructions that
// ShaNiBlocks uses (cpuid; always false off x86).
bool HasShaNi();

// The SHA-256 compression function applied to `count` 64-byte blocks in
// order, updating the eight working words `state` (FIPS 180-4 6.2.2, H0..H7).
// Requires HasShaNi(); no padding is done here.
void ShaNiBlocks(uint32_t state[8], const uint8_t* blocks, size_t count);

// SHA-256 of the concatenation of `parts` (padding included) on ShaNiBlocks,
// without copying the full blocks of large parts. Requires HasShaNi().
Digest ShaNiParts(std::initializer_list<std::span<const uint8_t>> parts);

// SHA-256 of prefix || data (a Merkle leaf), reading data's blocks in place.
// Requires HasShaNi().
Digest ShaNiPrefixed(uint8_t prefix, std::span<const uint8_t> data);

// SHA-256 of prefix || left || right (65 bytes: a Merkle node), its two
// blocks built in registers. Requires HasShaNi().
Digest ShaNiPair(uint8_t prefix, const Digest& left, const Digest& right);

// SHA-256 of the concatenation of `parts` through OpenSSL (EVP): the fallback
// when HasShaNi() is false, and the reference the SHA-NI path is tested with.
Digest OpenSslParts(std::initializer_list<std::span<const uint8_t>> parts);

}  // namespace cloison::crypto::internal
