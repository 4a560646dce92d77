// Cloison's sealing library for collectors (deferred centralisation,
// CSI L. 852-3): an item is sealed at collection to the centralising
// service's public key and stays sealed until that service opens it. The
// collector holds no key that can open what it sealed.
//
// Format: doc/formats/sealed-item.md (version 1): X25519 with a fresh
// ephemeral key per item, HKDF-SHA256, then libsodium's
// crypto_secretstream_xchacha20poly1305 over 64 KiB chunks, the last tagged
// final, so that large items stream in constant memory and truncation,
// reordering or alteration is detected.
//
// Build: link the static library cloison_vault (it brings cloison_crypto,
// cloison_base, OpenSSL and libsodium); its include directories are this
// folder's parent and src/.
//
// Example (collector side):
//
//   #include <cloison/seal.h>
//
//   auto key = cloison::seal::ParsePublicKey(text_of_the_pub_file);
//   if (!key.ok()) { ...key.status().message()... }
//   auto sealer = cloison::seal::SealStream::Create(*key, [&](std::span<const uint8_t> b) {
//     return write_somewhere(b);  // a cloison::Status
//   });
//   while (...) { auto s = (*sealer)->Write(piece); ... }
//   cloison::Status done = (*sealer)->Finish();  // required: seals the last chunk
//
// Centralising side: ParsePrivateKey, then OpenStream (or Open for a
// buffer). OpenStream hands content to its sink only once each chunk
// authenticates; content before Finish() returns OK may be a prefix.
//
// Errors are values (cloison::Status, cloison::Result<T>): nothing throws.
// InvalidArgument for wrong arguments or a sealed item addressed to another
// key; Corruption, naming the field or chunk, for bytes that do not decode
// or authenticate. Thread safety: a stream is not thread-safe; keys are
// immutable values.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/secret.h"

namespace cloison::seal {

using ::cloison::Code;
using ::cloison::Result;
using ::cloison::Status;

inline constexpr uint8_t kVersion = 1;
inline constexpr uint32_t kDefaultChunkSize = 64 * 1024;
inline constexpr size_t kHeaderSize = 98;
inline constexpr size_t kChunkOverhead = 17;

using PublicKey = std::array<uint8_t, 32>;

struct KeyPair {
  PublicKey public_key{};
  crypto::SecretBytes private_key;  // 32 bytes, wiped on release
};

// A fresh X25519 key pair for a centralising service.
KeyPair GenerateKeyPair();

// Text forms, one line each (files written by `cloison seal keygen`):
//   "cloison-seal-public-v1 <64 hex>"   "cloison-seal-private-v1 <64 hex>"
// Surrounding whitespace is ignored. The private form carries only the
// private key; the public key is recomputed from it.
std::string EncodePublicKey(const PublicKey& key);
Result<PublicKey> ParsePublicKey(std::string_view text);
std::string EncodePrivateKey(const KeyPair& key);  // wipe the result after use
Result<KeyPair> ParsePrivateKey(std::string_view text);

using ByteSink = std::function<Status(std::span<const uint8_t>)>;

struct SealOptions {
  uint32_t chunk_size = kDefaultChunkSize;  // 16 .. 16 MiB
};

// Content in, sealed bytes out (the 98-byte header first).
class SealStream {
 public:
  static Result<std::unique_ptr<SealStream>> Create(const PublicKey& recipient, ByteSink sink,
                                                    const SealOptions& options = {});
  ~SealStream();
  Status Write(std::span<const uint8_t> content);
  Status Finish();

  struct State;

 private:
  friend Result<std::unique_ptr<SealStream>> SealStreamWithEphemeral(
      const PublicKey&, std::span<const uint8_t>, ByteSink, const SealOptions&);
  explicit SealStream(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// Sealed bytes in, content out.
class OpenStream {
 public:
  static Result<std::unique_ptr<OpenStream>> Create(const KeyPair& recipient, ByteSink sink);
  ~OpenStream();
  Status Write(std::span<const uint8_t> sealed);
  Status Finish();

  struct State;

 private:
  explicit OpenStream(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// One-shot forms.
Result<std::vector<uint8_t>> Seal(const PublicKey& recipient, std::span<const uint8_t> content,
                                  const SealOptions& options = {});
Result<std::vector<uint8_t>> Open(const KeyPair& recipient, std::span<const uint8_t> sealed);

// Internal, for fixtures: seals with a given ephemeral private key instead
// of a fresh one. Never reuse an ephemeral key.
Result<std::unique_ptr<SealStream>> SealStreamWithEphemeral(const PublicKey& recipient,
                                                            std::span<const uint8_t> ephemeral,
                                                            ByteSink sink,
                                                            const SealOptions& options = {});

}  // namespace cloison::seal
