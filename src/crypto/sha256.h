// SHA-256 (FIPS 180-4): through OpenSSL, and for Sha256Parts on the CPU's
// SHA instructions when it has them (crypto/sha256_ni.h). This folder is the
// only place that includes crypto headers (STYLE.md).
//
// Thread-safety: every function here is thread-safe.
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
// On a CPU with SHA-NI it hashes on the instructions directly, keeping no
// state; elsewhere it goes through OpenSSL with one digest context per
// thread, which avoids the per-call context allocation and algorithm lookup
// of the one-shot form. Both give the same digest (sha256_test.cc).
Digest Sha256Parts(std::initializer_list<std::span<const uint8_t>> parts);
// SHA-256 of prefix || data, i.e. Sha256Parts({{prefix}, data}): the RFC 6962
// leaf hash, with nothing gathered but the last partial block on the SHA-NI
// path.
Digest Sha256Prefixed(uint8_t prefix, std::span<const uint8_t> data);
// SHA-256 of prefix || left || right, i.e. Sha256Parts({{prefix}, left,
// right}): the RFC 6962 node hash, the most frequent hash of a Merkle tree,
// with no gathering on the SHA-NI path.
Digest Sha256PrefixPair(uint8_t prefix, const Digest& left, const Digest& right);
std::string Hex(std::span<const uint8_t> bytes);

}  // namespace cloison::crypto
