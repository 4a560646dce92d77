// HMAC-SHA-256 (RFC 2104, FIPS 198-1) through OpenSSL: the keyed pseudonyms
// of R&D copies (service/pseudonym.h) are HMAC-SHA-256 under a key per
// programme. This folder is the only place that includes crypto headers
// (STYLE.md).
//
// Thread-safety: every function here is thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/sha256.h"

namespace cloison::crypto {

inline constexpr size_t kHmacSha256Size = 32;

// The MAC of `data` under `key`. Any key length is accepted, as RFC 2104
// says: longer than the 64-byte block, it is hashed first; empty is allowed
// (callers that need a secret check its size themselves).
Digest HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data);
Digest HmacSha256(std::span<const uint8_t> key, std::string_view data);

}  // namespace cloison::crypto
