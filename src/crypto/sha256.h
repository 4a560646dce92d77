// SHA-256 (FIPS 180-4) through OpenSSL. This folder is the only place that
// includes crypto headers (STYLE.md).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace cloison::crypto {

using Digest = std::array<uint8_t, 32>;

Digest Sha256(std::span<const uint8_t> data);
Digest Sha256(std::string_view data);
// SHA-256 of the concatenation of `parts`, without copying them into one
// buffer (Merkle leaf and node hashes: a prefix byte then one or two spans).
// Reuses one digest context per thread, so it is thread-safe and avoids the
// per-call context allocation and algorithm lookup of the one-shot form.
Digest Sha256Parts(std::initializer_list<std::span<const uint8_t>> parts);
std::string Hex(std::span<const uint8_t> bytes);

}  // namespace cloison::crypto
