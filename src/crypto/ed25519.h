// Ed25519 (RFC 8032) through libsodium, for checkpoint signatures and
// witness cosignatures. Private keys live in SecretBytes (wiped on release).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "crypto/secret.h"

namespace cloison::crypto {

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Signature = std::array<uint8_t, 64>;

struct Ed25519KeyPair {
  SecretBytes seed;  // 32 bytes: the private key as RFC 8032 defines it
  Ed25519PublicKey public_key{};
};

// A fresh key pair from the OS's randomness.
Ed25519KeyPair GenerateEd25519();
// The key pair of a 32-byte seed (InvalidArgument naming `seed` otherwise).
Result<Ed25519KeyPair> Ed25519FromSeed(std::span<const uint8_t> seed);
// Signs with the key derived from `key.seed` (the public half is not trusted).
// A key pair without a 32-byte seed yields an all-zero signature, which
// never verifies.
Ed25519Signature Ed25519Sign(const Ed25519KeyPair& key, std::span<const uint8_t> message);
// Strict RFC 8032 verification (non-canonical encodings rejected). A
// signature that is not 64 bytes is rejected. Thread-safe.
bool Ed25519Verify(const Ed25519PublicKey& key, std::span<const uint8_t> message,
                   std::span<const uint8_t> signature);

}  // namespace cloison::crypto
