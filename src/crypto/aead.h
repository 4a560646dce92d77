// Authenticated encryption, key wrap, key agreement and key derivation for the
// vault (doc/formats/envelope.md, doc/formats/sealed-item.md):
//
//   AES-GCM (NIST SP 800-38D) through OpenSSL EVP: item content chunks and
//     every wrapped key (data keys under bucket keys, bucket keys under the
//     root). The vault uses AES-256 with 12-byte nonces and 16-byte tags; the
//     class accepts every AES key size and nonce length so that the Wycheproof
//     vectors can check it whole.
//   AES key wrap (RFC 3394) and with padding (RFC 5649) through OpenSSL: kept
//     for interoperability with HSMs that export CKM_AES_KEY_WRAP(_PAD). The
//     vault's own formats wrap with AES-GCM instead, because GCM carries
//     associated data: a wrapped key is bound to its item and bucket ids.
//   XChaCha20-Poly1305 (libsodium): the AEAD under crypto_secretstream, which
//     the sealed-item format uses; tested directly against Wycheproof.
//   X25519 (RFC 7748, libsodium) and HKDF-SHA256 (RFC 5869, OpenSSL).
//   SecretStreamPush / SecretStreamPull: libsodium's
//     crypto_secretstream_xchacha20poly1305, for the sealed-item format.
//
// This folder is the only place that includes crypto headers (STYLE.md).
// Keys are passed as spans and kept in SecretBytes when they are held.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/secret.h"

namespace cloison::crypto {

inline constexpr size_t kAes256KeySize = 32;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;
inline constexpr size_t kGcmMaxNonceSize = 128;  // OpenSSL's limit

// One AES-GCM key with its OpenSSL context, reused across calls (the key
// schedule is computed once: what makes small chunks fast).
// Not thread-safe: use one AesGcm per thread.
class AesGcm {
 public:
  // A 16, 24 or 32-byte key (InvalidArgument naming `key` otherwise).
  static Result<AesGcm> Create(std::span<const uint8_t> key);
  AesGcm(AesGcm&&) noexcept;
  AesGcm& operator=(AesGcm&&) noexcept;
  ~AesGcm();

  // Encrypts `plaintext` into `out`, which must be plaintext.size() + 16 bytes:
  // the ciphertext then the 16-byte tag. `nonce` must be 1..128 bytes, and must
  // never repeat under one key. `out` may alias `plaintext` exactly.
  Status Seal(std::span<const uint8_t> nonce, std::span<const uint8_t> aad,
              std::span<const uint8_t> plaintext, std::span<uint8_t> out);
  // Checks and decrypts ciphertext || tag into `out` (ciphertext.size() - 16
  // bytes). Corruption "authentication failed" when the tag does not match;
  // then `out` is zeroed, never left holding unauthenticated plaintext.
  Status Open(std::span<const uint8_t> nonce, std::span<const uint8_t> aad,
              std::span<const uint8_t> ciphertext_and_tag, std::span<uint8_t> out);

 private:
  struct Ctx;
  explicit AesGcm(std::unique_ptr<Ctx> ctx);
  std::unique_ptr<Ctx> ctx_;
};

// nonce (12, random) || ciphertext || tag (16), under a 32-byte key. For small
// secrets (wrapped keys): one call, one fresh context.
Result<std::vector<uint8_t>> Aes256GcmSealRandomNonce(std::span<const uint8_t> key,
                                                      std::span<const uint8_t> aad,
                                                      std::span<const uint8_t> plaintext);
// The reverse: InvalidArgument if `sealed` is shorter than 28 bytes,
// Corruption if authentication fails. The plaintext comes back as a secret.
Result<SecretBytes> Aes256GcmOpenRandomNonce(std::span<const uint8_t> key,
                                             std::span<const uint8_t> aad,
                                             std::span<const uint8_t> sealed);

// RFC 3394 (input a multiple of 8 bytes, at least 16) and RFC 5649 (any
// non-empty input) with a 16, 24 or 32-byte key-encryption key. Unwrap
// returns Corruption when the integrity check fails.
Result<std::vector<uint8_t>> AesKeyWrap(std::span<const uint8_t> kek, std::span<const uint8_t> key);
Result<SecretBytes> AesKeyUnwrap(std::span<const uint8_t> kek, std::span<const uint8_t> wrapped);
Result<std::vector<uint8_t>> AesKeyWrapPad(std::span<const uint8_t> kek,
                                           std::span<const uint8_t> key);
Result<SecretBytes> AesKeyUnwrapPad(std::span<const uint8_t> kek,
                                    std::span<const uint8_t> wrapped);

inline constexpr size_t kXChaChaKeySize = 32;
inline constexpr size_t kXChaChaNonceSize = 24;
inline constexpr size_t kXChaChaTagSize = 16;

// XChaCha20-Poly1305 (IETF variant): ciphertext || tag (16).
Result<std::vector<uint8_t>> XChaCha20Poly1305Seal(std::span<const uint8_t> key,
                                                   std::span<const uint8_t> nonce,
                                                   std::span<const uint8_t> aad,
                                                   std::span<const uint8_t> plaintext);
Result<std::vector<uint8_t>> XChaCha20Poly1305Open(std::span<const uint8_t> key,
                                                   std::span<const uint8_t> nonce,
                                                   std::span<const uint8_t> aad,
                                                   std::span<const uint8_t> ciphertext_and_tag);

using X25519PublicKey = std::array<uint8_t, 32>;
struct X25519KeyPair {
  SecretBytes private_key;  // 32 bytes
  X25519PublicKey public_key{};
};
// A fresh key pair from the OS's randomness.
X25519KeyPair GenerateX25519();
// The public key of a 32-byte private key.
Result<X25519PublicKey> X25519PublicFromPrivate(std::span<const uint8_t> private_key);
// The shared secret of RFC 7748 section 6.1. A public key of low order (the
// shared secret would be all zeros, so not contributory) is refused with
// InvalidArgument, as RFC 7748 section 6.1 allows and sealing requires.
Result<SecretBytes> X25519(std::span<const uint8_t> private_key, std::span<const uint8_t> public_key);

// HKDF-SHA256 (RFC 5869): extract then expand to `size` bytes (1..8160;
// InvalidArgument naming `size` otherwise). An empty salt means 32 zero bytes.
Result<SecretBytes> HkdfSha256(std::span<const uint8_t> ikm, std::span<const uint8_t> salt,
                               std::span<const uint8_t> info, size_t size);

// crypto_secretstream_xchacha20poly1305: a stream of messages under one key,
// each authenticated with its position, the last one tagged final.
inline constexpr size_t kSecretStreamKeySize = 32;
inline constexpr size_t kSecretStreamHeaderSize = 24;
inline constexpr size_t kSecretStreamOverhead = 17;  // tag byte + MAC

// Not thread-safe; state is wiped on destruction.
class SecretStreamPush {
 public:
  // Starts a stream; `header` (24 bytes) is what the reader needs first.
  static Result<SecretStreamPush> Create(std::span<const uint8_t> key,
                                         std::array<uint8_t, kSecretStreamHeaderSize>& header);
  SecretStreamPush(SecretStreamPush&&) noexcept;
  SecretStreamPush& operator=(SecretStreamPush&&) noexcept;
  ~SecretStreamPush();
  // Encrypts one message into `out` (message.size() + 17 bytes).
  Status Push(std::span<const uint8_t> message, std::span<const uint8_t> aad, bool final,
              std::span<uint8_t> out);

 private:
  struct State;
  explicit SecretStreamPush(std::unique_ptr<State> s);
  std::unique_ptr<State> state_;
};

class SecretStreamPull {
 public:
  // InvalidArgument if the key or header has the wrong size; Corruption if
  // the header is not accepted.
  static Result<SecretStreamPull> Create(std::span<const uint8_t> key,
                                         std::span<const uint8_t> header);
  SecretStreamPull(SecretStreamPull&&) noexcept;
  SecretStreamPull& operator=(SecretStreamPull&&) noexcept;
  ~SecretStreamPull();
  // Decrypts one message into `out` (ciphertext.size() - 17 bytes); returns
  // whether it was tagged final. Corruption when authentication fails.
  Result<bool> Pull(std::span<const uint8_t> ciphertext, std::span<const uint8_t> aad,
                    std::span<uint8_t> out);

 private:
  struct State;
  explicit SecretStreamPull(std::unique_ptr<State> s);
  std::unique_ptr<State> state_;
};

}  // namespace cloison::crypto
