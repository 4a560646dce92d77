#include "crypto/aead.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sodium.h>

#include <climits>
#include <cstring>
#include <string>

#include "crypto/random.h"

namespace cloison::crypto {
namespace {

// libsodium must be initialised once before use; sodium_init is idempotent
// and thread-safe.
void EnsureSodium() {
  static const int kInit = sodium_init();
  (void)kInit;
}

// The implementations, fetched once: with EVP_aes_256_gcm() OpenSSL 3
// fetches the provider's implementation again on every EVP_CipherInit_ex
// (a lookup under a lock), which the vault's ingest paid once per item
// (BENCHMARKS.md, "Session 6"). Fetched objects live as long as the
// process.
const EVP_CIPHER* GcmCipher(size_t key_size) {
  static EVP_CIPHER* const gcm128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* const gcm192 = EVP_CIPHER_fetch(nullptr, "AES-192-GCM", nullptr);
  static EVP_CIPHER* const gcm256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  switch (key_size) {
    case 16: return gcm128;
    case 24: return gcm192;
    case 32: return gcm256;
    default: return nullptr;
  }
}

std::string KeySizeError(std::string_view what, size_t got) {
  return std::string(what) + ": got " + std::to_string(got) + " bytes, want 16, 24 or 32";
}

// OpenSSL's GCM provider takes nonces of 1 to 128 bytes; the vault uses 12.
Status CheckNonce(std::span<const uint8_t> nonce) {
  if (nonce.empty() || nonce.size() > kGcmMaxNonceSize)
    return Status::InvalidArgument("aes-gcm nonce: got " + std::to_string(nonce.size()) +
                                   " bytes, want 1..128");
  return Status::Ok();
}

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

// EVP lengths are ints: feeds `in` in pieces no larger than INT_MAX.
bool UpdateAll(EVP_CIPHER_CTX* ctx, uint8_t* out, std::span<const uint8_t> in) {
  size_t done = 0;
  while (done < in.size()) {
    size_t n = std::min<size_t>(in.size() - done, INT_MAX / 2);
    int outl = 0;
    if (EVP_CipherUpdate(ctx, out + done, &outl, in.data() + done, static_cast<int>(n)) != 1 ||
        static_cast<size_t>(outl) != n)
      return false;
    done += n;
  }
  return true;
}

bool UpdateAad(EVP_CIPHER_CTX* ctx, std::span<const uint8_t> aad) {
  size_t done = 0;
  while (done < aad.size()) {
    size_t n = std::min<size_t>(aad.size() - done, INT_MAX / 2);
    int outl = 0;
    if (EVP_CipherUpdate(ctx, nullptr, &outl, aad.data() + done, static_cast<int>(n)) != 1)
      return false;
    done += n;
  }
  return true;
}

}  // namespace

// Two contexts, one per direction, each keyed once: re-initialising with a
// null key only resets the nonce, so the key schedule is not recomputed.
struct AesGcm::Ctx {
  CtxPtr enc;
  CtxPtr dec;
};

AesGcm::AesGcm(std::unique_ptr<Ctx> ctx) : ctx_(std::move(ctx)) {}
AesGcm::AesGcm(AesGcm&&) noexcept = default;
AesGcm& AesGcm::operator=(AesGcm&&) noexcept = default;
AesGcm::~AesGcm() = default;  // EVP_CIPHER_CTX_free cleanses the key schedule

Result<AesGcm> AesGcm::Create(std::span<const uint8_t> key) {
  if (key.size() != 16 && key.size() != 24 && key.size() != 32)
    return Status::InvalidArgument(KeySizeError("aes-gcm key", key.size()));
  const EVP_CIPHER* cipher = GcmCipher(key.size());
  if (cipher == nullptr) return Status::Internal("aes-gcm: OpenSSL has no AES-GCM implementation");
  auto ctx = std::make_unique<Ctx>();
  ctx->enc.reset(EVP_CIPHER_CTX_new());
  ctx->dec.reset(EVP_CIPHER_CTX_new());
  if (!ctx->enc || !ctx->dec ||
      EVP_CipherInit_ex(ctx->enc.get(), cipher, nullptr, key.data(), nullptr, 1) != 1 ||
      EVP_CipherInit_ex(ctx->dec.get(), cipher, nullptr, key.data(), nullptr, 0) != 1)
    return Status::Internal("aes-gcm: OpenSSL could not set up the cipher");
  return AesGcm(std::move(ctx));
}

Status AesGcm::Seal(std::span<const uint8_t> nonce, std::span<const uint8_t> aad,
                    std::span<const uint8_t> plaintext, std::span<uint8_t> out) {
  if (!ctx_) return Status::FailedPrecondition("aes-gcm: moved-from key");
  RETURN_IF_ERROR(CheckNonce(nonce));
  if (out.size() != plaintext.size() + kGcmTagSize)
    return Status::InvalidArgument("aes-gcm output: got " + std::to_string(out.size()) +
                                   " bytes, want plaintext + 16");
  EVP_CIPHER_CTX* c = ctx_->enc.get();
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, nonce.data(), 1) != 1 || !UpdateAad(c, aad) ||
      !UpdateAll(c, out.data(), plaintext))
    return Status::Internal("aes-gcm: OpenSSL encryption failed");
  int outl = 0;
  if (EVP_CipherFinal_ex(c, out.data() + plaintext.size(), &outl) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, kGcmTagSize, out.data() + plaintext.size()) != 1)
    return Status::Internal("aes-gcm: OpenSSL could not finish");
  return Status::Ok();
}

Status AesGcm::Open(std::span<const uint8_t> nonce, std::span<const uint8_t> aad,
                    std::span<const uint8_t> ciphertext_and_tag, std::span<uint8_t> out) {
  if (!ctx_) return Status::FailedPrecondition("aes-gcm: moved-from key");
  RETURN_IF_ERROR(CheckNonce(nonce));
  if (ciphertext_and_tag.size() < kGcmTagSize)
    return Status::InvalidArgument("aes-gcm ciphertext: got " +
                                   std::to_string(ciphertext_and_tag.size()) +
                                   " bytes, want at least the 16-byte tag");
  size_t n = ciphertext_and_tag.size() - kGcmTagSize;
  if (out.size() != n)
    return Status::InvalidArgument("aes-gcm output: got " + std::to_string(out.size()) +
                                   " bytes, want ciphertext - 16");
  EVP_CIPHER_CTX* c = ctx_->dec.get();
  uint8_t tag[kGcmTagSize];
  std::memcpy(tag, ciphertext_and_tag.data() + n, kGcmTagSize);
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, nonce.data(), 0) != 1 || !UpdateAad(c, aad) ||
      !UpdateAll(c, out.data(), ciphertext_and_tag.first(n)) ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag) != 1) {
    if (!out.empty()) OPENSSL_cleanse(out.data(), out.size());
    return Status::Internal("aes-gcm: OpenSSL decryption failed");
  }
  int outl = 0;
  if (EVP_CipherFinal_ex(c, out.data() + n, &outl) != 1) {
    if (!out.empty()) OPENSSL_cleanse(out.data(), out.size());
    return Status::Corruption("aes-gcm: authentication failed");
  }
  return Status::Ok();
}

Result<std::vector<uint8_t>> Aes256GcmSealRandomNonce(std::span<const uint8_t> key,
                                                      std::span<const uint8_t> aad,
                                                      std::span<const uint8_t> plaintext) {
  if (key.size() != kAes256KeySize)
    return Status::InvalidArgument("aes-256-gcm key: got " + std::to_string(key.size()) +
                                   " bytes, want 32");
  ASSIGN_OR_RETURN(AesGcm gcm, AesGcm::Create(key));
  std::vector<uint8_t> out(kGcmNonceSize + plaintext.size() + kGcmTagSize);
  std::span<uint8_t> nonce(out.data(), kGcmNonceSize);
  RETURN_IF_ERROR(RandomBytes(nonce));
  RETURN_IF_ERROR(gcm.Seal(nonce, aad, plaintext, std::span(out).subspan(kGcmNonceSize)));
  return out;
}

Result<SecretBytes> Aes256GcmOpenRandomNonce(std::span<const uint8_t> key,
                                             std::span<const uint8_t> aad,
                                             std::span<const uint8_t> sealed) {
  if (key.size() != kAes256KeySize)
    return Status::InvalidArgument("aes-256-gcm key: got " + std::to_string(key.size()) +
                                   " bytes, want 32");
  if (sealed.size() < kGcmNonceSize + kGcmTagSize)
    return Status::InvalidArgument("aes-256-gcm sealed: got " + std::to_string(sealed.size()) +
                                   " bytes, want at least 28 (nonce and tag)");
  ASSIGN_OR_RETURN(AesGcm gcm, AesGcm::Create(key));
  SecretBytes out(sealed.size() - kGcmNonceSize - kGcmTagSize);
  RETURN_IF_ERROR(gcm.Open(sealed.first(kGcmNonceSize), aad, sealed.subspan(kGcmNonceSize),
                           out.mutable_view()));
  return out;
}

namespace {

const EVP_CIPHER* WrapCipher(size_t key_size, bool pad) {
  switch (key_size) {
    case 16: return pad ? EVP_aes_128_wrap_pad() : EVP_aes_128_wrap();
    case 24: return pad ? EVP_aes_192_wrap_pad() : EVP_aes_192_wrap();
    case 32: return pad ? EVP_aes_256_wrap_pad() : EVP_aes_256_wrap();
    default: return nullptr;
  }
}

// One wrap or unwrap with OpenSSL's RFC 3394 / 5649 ciphers. `out` is sized
// for the largest result and trimmed.
Result<std::vector<uint8_t>> KeyWrapOp(std::span<const uint8_t> kek, std::span<const uint8_t> in,
                                       bool pad, bool wrap) {
  const EVP_CIPHER* cipher = WrapCipher(kek.size(), pad);
  if (cipher == nullptr) return Status::InvalidArgument(KeySizeError("key-wrap kek", kek.size()));
  if (in.size() > (1u << 20))
    return Status::InvalidArgument("key-wrap input: got " + std::to_string(in.size()) +
                                   " bytes, want at most 1 MiB");
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Status::Internal("key-wrap: out of memory");
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, kek.data(), nullptr, wrap ? 1 : 0) != 1)
    return Status::Internal("key-wrap: OpenSSL could not set up the cipher");
  std::vector<uint8_t> out(in.size() + 16);
  int outl = 0;
  int finl = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &outl, in.data(), static_cast<int>(in.size())) != 1 ||
      outl < 0 || EVP_CipherFinal_ex(ctx.get(), out.data() + outl, &finl) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    if (wrap) return Status::InvalidArgument("key-wrap: input rejected");
    return Status::Corruption("key-unwrap: integrity check failed");
  }
  size_t total = static_cast<size_t>(outl) + static_cast<size_t>(finl);
  if (total < out.size()) OPENSSL_cleanse(out.data() + total, out.size() - total);
  out.resize(total);
  return out;
}

Result<SecretBytes> ToSecret(Result<std::vector<uint8_t>> r) {
  if (!r.ok()) return r.status();
  SecretBytes s(std::span<const uint8_t>(r.value()));
  OPENSSL_cleanse(r.value().data(), r.value().size());
  return s;
}

}  // namespace

Result<std::vector<uint8_t>> AesKeyWrap(std::span<const uint8_t> kek, std::span<const uint8_t> key) {
  if (key.size() < 16 || key.size() % 8 != 0)
    return Status::InvalidArgument("key-wrap input: got " + std::to_string(key.size()) +
                                   " bytes, want a multiple of 8, at least 16 (RFC 3394)");
  return KeyWrapOp(kek, key, /*pad=*/false, /*wrap=*/true);
}

Result<SecretBytes> AesKeyUnwrap(std::span<const uint8_t> kek, std::span<const uint8_t> wrapped) {
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0)
    return Status::InvalidArgument("key-unwrap input: got " + std::to_string(wrapped.size()) +
                                   " bytes, want a multiple of 8, at least 24 (RFC 3394)");
  return ToSecret(KeyWrapOp(kek, wrapped, false, false));
}

Result<std::vector<uint8_t>> AesKeyWrapPad(std::span<const uint8_t> kek,
                                           std::span<const uint8_t> key) {
  if (key.empty()) return Status::InvalidArgument("key-wrap input: empty (RFC 5649)");
  return KeyWrapOp(kek, key, /*pad=*/true, /*wrap=*/true);
}

Result<SecretBytes> AesKeyUnwrapPad(std::span<const uint8_t> kek,
                                    std::span<const uint8_t> wrapped) {
  if (wrapped.size() < 16 || wrapped.size() % 8 != 0)
    return Status::InvalidArgument("key-unwrap input: got " + std::to_string(wrapped.size()) +
                                   " bytes, want a multiple of 8, at least 16 (RFC 5649)");
  return ToSecret(KeyWrapOp(kek, wrapped, true, false));
}

namespace {

Status CheckXChaCha(std::span<const uint8_t> key, std::span<const uint8_t> nonce) {
  if (key.size() != kXChaChaKeySize)
    return Status::InvalidArgument("xchacha20-poly1305 key: got " + std::to_string(key.size()) +
                                   " bytes, want 32");
  if (nonce.size() != kXChaChaNonceSize)
    return Status::InvalidArgument("xchacha20-poly1305 nonce: got " +
                                   std::to_string(nonce.size()) + " bytes, want 24");
  return Status::Ok();
}

}  // namespace

Result<std::vector<uint8_t>> XChaCha20Poly1305Seal(std::span<const uint8_t> key,
                                                   std::span<const uint8_t> nonce,
                                                   std::span<const uint8_t> aad,
                                                   std::span<const uint8_t> plaintext) {
  EnsureSodium();
  RETURN_IF_ERROR(CheckXChaCha(key, nonce));
  std::vector<uint8_t> out(plaintext.size() + kXChaChaTagSize);
  unsigned long long outl = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &outl, plaintext.data(),
                                                 plaintext.size(), aad.data(), aad.size(), nullptr,
                                                 nonce.data(), key.data()) != 0)
    return Status::Internal("xchacha20-poly1305: encryption failed");
  out.resize(outl);
  return out;
}

Result<std::vector<uint8_t>> XChaCha20Poly1305Open(std::span<const uint8_t> key,
                                                   std::span<const uint8_t> nonce,
                                                   std::span<const uint8_t> aad,
                                                   std::span<const uint8_t> ciphertext_and_tag) {
  EnsureSodium();
  RETURN_IF_ERROR(CheckXChaCha(key, nonce));
  if (ciphertext_and_tag.size() < kXChaChaTagSize)
    return Status::InvalidArgument("xchacha20-poly1305 ciphertext: shorter than the tag");
  std::vector<uint8_t> out(ciphertext_and_tag.size() - kXChaChaTagSize);
  unsigned long long outl = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &outl, nullptr, ciphertext_and_tag.data(), ciphertext_and_tag.size(),
          aad.data(), aad.size(), nonce.data(), key.data()) != 0)
    return Status::Corruption("xchacha20-poly1305: authentication failed");
  return out;
}

X25519KeyPair GenerateX25519() {
  EnsureSodium();
  X25519KeyPair kp;
  kp.private_key = SecretBytes(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(kp.public_key.data(), kp.private_key.mutable_view().data());
  return kp;
}

Result<X25519PublicKey> X25519PublicFromPrivate(std::span<const uint8_t> private_key) {
  EnsureSodium();
  if (private_key.size() != crypto_scalarmult_SCALARBYTES)
    return Status::InvalidArgument("x25519 private key: got " + std::to_string(private_key.size()) +
                                   " bytes, want 32");
  X25519PublicKey pub{};
  if (crypto_scalarmult_base(pub.data(), private_key.data()) != 0)
    return Status::InvalidArgument("x25519 private key: rejected");
  return pub;
}

Result<SecretBytes> X25519(std::span<const uint8_t> private_key, std::span<const uint8_t> public_key) {
  EnsureSodium();
  if (private_key.size() != crypto_scalarmult_SCALARBYTES)
    return Status::InvalidArgument("x25519 private key: got " + std::to_string(private_key.size()) +
                                   " bytes, want 32");
  if (public_key.size() != crypto_scalarmult_BYTES)
    return Status::InvalidArgument("x25519 public key: got " + std::to_string(public_key.size()) +
                                   " bytes, want 32");
  SecretBytes shared(crypto_scalarmult_BYTES);
  // libsodium returns -1 when the result is all zeros (a low-order point).
  if (crypto_scalarmult(shared.mutable_view().data(), private_key.data(), public_key.data()) != 0)
    return Status::InvalidArgument("x25519 public key: low order (shared secret would be zero)");
  return shared;
}

Result<SecretBytes> HkdfSha256(std::span<const uint8_t> ikm, std::span<const uint8_t> salt,
                               std::span<const uint8_t> info, size_t size) {
  if (size == 0 || size > 255 * 32)
    return Status::InvalidArgument("hkdf size: got " + std::to_string(size) +
                                   ", want 1..8160 (255 * 32, RFC 5869)");
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return Status::Internal("hkdf: OpenSSL has no HKDF");
  EVP_KDF_CTX* kctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (kctx == nullptr) return Status::Internal("hkdf: out of memory");
  // OpenSSL wants non-null pointers even for empty strings.
  static const uint8_t kEmpty = 0;
  auto ptr = [](std::span<const uint8_t> s) {
    return const_cast<uint8_t*>(s.empty() ? &kEmpty : s.data());
  };
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ptr(ikm), ikm.size());
  if (!salt.empty())
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, ptr(salt), salt.size());
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ptr(info), info.size());
  params[n] = OSSL_PARAM_construct_end();
  SecretBytes out(size);
  int rc = EVP_KDF_derive(kctx, out.mutable_view().data(), size, params);
  EVP_KDF_CTX_free(kctx);
  if (rc != 1) return Status::Internal("hkdf: OpenSSL derivation failed");
  return out;
}

struct SecretStreamPush::State {
  crypto_secretstream_xchacha20poly1305_state st;
  ~State() { sodium_memzero(&st, sizeof st); }
};

SecretStreamPush::SecretStreamPush(std::unique_ptr<State> s) : state_(std::move(s)) {}
SecretStreamPush::SecretStreamPush(SecretStreamPush&&) noexcept = default;
SecretStreamPush& SecretStreamPush::operator=(SecretStreamPush&&) noexcept = default;
SecretStreamPush::~SecretStreamPush() = default;

Result<SecretStreamPush> SecretStreamPush::Create(
    std::span<const uint8_t> key, std::array<uint8_t, kSecretStreamHeaderSize>& header) {
  EnsureSodium();
  static_assert(kSecretStreamHeaderSize == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  static_assert(kSecretStreamOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);
  if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES)
    return Status::InvalidArgument("secretstream key: got " + std::to_string(key.size()) +
                                   " bytes, want 32");
  auto s = std::make_unique<State>();
  if (crypto_secretstream_xchacha20poly1305_init_push(&s->st, header.data(), key.data()) != 0)
    return Status::Internal("secretstream: init failed");
  return SecretStreamPush(std::move(s));
}

Status SecretStreamPush::Push(std::span<const uint8_t> message, std::span<const uint8_t> aad,
                              bool final, std::span<uint8_t> out) {
  if (!state_) return Status::FailedPrecondition("secretstream: moved-from stream");
  if (out.size() != message.size() + kSecretStreamOverhead)
    return Status::InvalidArgument("secretstream output: want message + 17 bytes");
  unsigned long long outl = 0;
  if (crypto_secretstream_xchacha20poly1305_push(
          &state_->st, out.data(), &outl, message.data(), message.size(), aad.data(), aad.size(),
          final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) != 0)
    return Status::Internal("secretstream: push failed");
  return Status::Ok();
}

struct SecretStreamPull::State {
  crypto_secretstream_xchacha20poly1305_state st;
  ~State() { sodium_memzero(&st, sizeof st); }
};

SecretStreamPull::SecretStreamPull(std::unique_ptr<State> s) : state_(std::move(s)) {}
SecretStreamPull::SecretStreamPull(SecretStreamPull&&) noexcept = default;
SecretStreamPull& SecretStreamPull::operator=(SecretStreamPull&&) noexcept = default;
SecretStreamPull::~SecretStreamPull() = default;

Result<SecretStreamPull> SecretStreamPull::Create(std::span<const uint8_t> key,
                                                  std::span<const uint8_t> header) {
  EnsureSodium();
  if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES)
    return Status::InvalidArgument("secretstream key: got " + std::to_string(key.size()) +
                                   " bytes, want 32");
  if (header.size() != kSecretStreamHeaderSize)
    return Status::InvalidArgument("secretstream header: got " + std::to_string(header.size()) +
                                   " bytes, want 24");
  auto s = std::make_unique<State>();
  if (crypto_secretstream_xchacha20poly1305_init_pull(&s->st, header.data(), key.data()) != 0)
    return Status::Corruption("secretstream header: rejected");
  return SecretStreamPull(std::move(s));
}

Result<bool> SecretStreamPull::Pull(std::span<const uint8_t> ciphertext,
                                    std::span<const uint8_t> aad, std::span<uint8_t> out) {
  if (!state_) return Status::FailedPrecondition("secretstream: moved-from stream");
  if (ciphertext.size() < kSecretStreamOverhead)
    return Status::InvalidArgument("secretstream message: shorter than its 17-byte overhead");
  if (out.size() != ciphertext.size() - kSecretStreamOverhead)
    return Status::InvalidArgument("secretstream output: want ciphertext - 17 bytes");
  unsigned long long outl = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_->st, out.data(), &outl, &tag,
                                                 ciphertext.data(), ciphertext.size(), aad.data(),
                                                 aad.size()) != 0) {
    if (!out.empty()) sodium_memzero(out.data(), out.size());
    return Status::Corruption("secretstream: authentication failed");
  }
  if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
      tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    return Status::Corruption("secretstream: unexpected tag " + std::to_string(tag));
  return tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
}

}  // namespace cloison::crypto
