// SHA-256 (FIPS 180-4) through OpenSSL. This folder is the only place that
// includes crypto headers (STYLE.md).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cloison::crypto {

using Digest = std::array<uint8_t, 32>;

Digest Sha256(std::span<const uint8_t> data);
Digest Sha256(std::string_view data);
std::string Hex(std::span<const uint8_t> bytes);

}  // namespace cloison::crypto
