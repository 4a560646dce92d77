// KeyProvider: where the root key lives. The root key never leaves its
// provider; callers hand it a key to wrap (a bucket key) and get opaque bytes
// back, which they persist. Destroying a bucket key's wrapped bytes (or the
// root) is what crypto-shredding means here (PRODUCT.md, Keys).
//
// Two providers: FileKeyProvider (DIR/keys/root.key, the default) and
// Pkcs11KeyProvider (an HSM or token; SoftHSM2 in the tests). Both write the
// same wrapped layout (doc/formats/envelope.md, "Root-wrapped keys"):
//
//   version 0x01 || nonce (12) || AES-256-GCM(root, key) || tag (16)
//   associated data: "cloison/root-wrap/v1" || 0x00 || context
//
// `context` binds the wrapped bytes to what they are for (a bucket id):
// bytes wrapped for one bucket do not unwrap as another's key.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/secret.h"

namespace cloison::vault {

inline constexpr uint8_t kRootWrapVersion = 1;
inline constexpr size_t kRootWrapOverhead = 1 + 12 + 16;
inline constexpr std::string_view kRootWrapLabel = "cloison/root-wrap/v1";

// Implementations are thread-safe.
class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  // "file:/srv/cloison/keys/root.key", "pkcs11:<token label>/<key label>".
  virtual std::string Name() const = 0;
  // Wraps a 16..64-byte key. InvalidArgument for another size.
  virtual Result<std::vector<uint8_t>> Wrap(std::span<const uint8_t> key,
                                            std::string_view context) = 0;
  // Corruption when the bytes were not wrapped by this root for this
  // context (or were altered); InvalidArgument when they cannot be a wrapped
  // key at all (too short, unknown version).
  virtual Result<crypto::SecretBytes> Unwrap(std::span<const uint8_t> wrapped,
                                             std::string_view context) = 0;
};

// The associated data of a root wrap for `context`.
std::vector<uint8_t> RootWrapAad(std::string_view context);
// Size checks shared by the providers (messages name what was wrong).
Status CheckWrapInput(std::span<const uint8_t> key);
Status CheckUnwrapInput(std::span<const uint8_t> wrapped);

}  // namespace cloison::vault
