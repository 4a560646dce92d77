#include "crypto/ed25519.h"

#include <sodium.h>

#include <cstdlib>
#include <string>

namespace cloison::crypto {
namespace {

// libsodium must be initialised once before use; a function-local static is
// initialised exactly once even when several threads arrive together.
void EnsureSodium() {
  static const bool initialised = [] {
    if (sodium_init() < 0) {
      // No usable randomness or CPU features: nothing here can work safely.
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

// Derives the public key (and libsodium's 64-byte secret key, seed || public
// key) from a 32-byte seed. The caller wipes `sk`.
void SeedKeyPair(std::span<const uint8_t> seed, Ed25519PublicKey& pk,
                 uint8_t (&sk)[crypto_sign_SECRETKEYBYTES]) {
  crypto_sign_seed_keypair(pk.data(), sk, seed.data());
}

}  // namespace

Ed25519KeyPair GenerateEd25519() {
  EnsureSodium();
  SecretBytes seed(crypto_sign_SEEDBYTES);
  randombytes_buf(seed.mutable_view().data(), seed.size());
  Ed25519KeyPair pair;
  uint8_t sk[crypto_sign_SECRETKEYBYTES];
  SeedKeyPair(seed.view(), pair.public_key, sk);
  sodium_memzero(sk, sizeof sk);
  pair.seed = std::move(seed);
  return pair;
}

Result<Ed25519KeyPair> Ed25519FromSeed(std::span<const uint8_t> seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Status::InvalidArgument("seed: got " + std::to_string(seed.size()) + " bytes, want 32");
  }
  EnsureSodium();
  Ed25519KeyPair pair;
  uint8_t sk[crypto_sign_SECRETKEYBYTES];
  SeedKeyPair(seed, pair.public_key, sk);
  sodium_memzero(sk, sizeof sk);
  pair.seed = SecretBytes(seed);
  return pair;
}

Ed25519Signature Ed25519Sign(const Ed25519KeyPair& key, std::span<const uint8_t> message) {
  Ed25519Signature sig{};
  if (key.seed.size() != crypto_sign_SEEDBYTES) return sig;  // all zeros: never verifies
  EnsureSodium();
  // The secret key is re-derived from the seed rather than assembled from
  // seed || public_key, so a key pair whose public half does not match its
  // seed cannot produce a signature under the wrong key.
  Ed25519PublicKey pk{};
  uint8_t sk[crypto_sign_SECRETKEYBYTES];
  SeedKeyPair(key.seed.view(), pk, sk);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk);
  sodium_memzero(sk, sizeof sk);
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& key, std::span<const uint8_t> message,
                   std::span<const uint8_t> signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  EnsureSodium();
  // libsodium rejects S >= L, non-canonical and small-order public keys and
  // R values: the strict rules that Wycheproof's invalid cases exercise.
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

}  // namespace cloison::crypto
