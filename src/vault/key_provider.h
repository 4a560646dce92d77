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

// Root keys are numbered by epoch (1, 2, ...). The store says which epoch
// wraps the bucket keys; a sweep that destroyed buckets re-wraps the live
// bucket keys under a new epoch, commits, then destroys the old root, so
// that a copy of the store taken before the destruction holds bucket keys
// wrapped under a root that no longer exists anywhere (PRODUCT.md invariant
// 4; doc/formats/vault.md).
//
// Implementations are thread-safe.
class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  // "file:/srv/cloison/keys/root", "pkcs11:<token label>/<key label>".
  virtual std::string Name() const = 0;

  // The epochs whose root key exists, ascending.
  virtual Result<std::vector<uint32_t>> RootEpochs() = 0;
  // Makes the root of `epoch` (>= 1), durably. AlreadyExists if it exists.
  virtual Status CreateRoot(uint32_t epoch) = 0;
  // Destroys the root of `epoch` (file: overwritten, fsynced, unlinked,
  // directory fsynced; PKCS#11: C_DestroyObject). NotFound if absent.
  virtual Status DestroyRoot(uint32_t epoch) = 0;

  // Wraps a 16..64-byte key under the root of `epoch`. InvalidArgument for
  // another size; NotFound when that root does not exist.
  virtual Result<std::vector<uint8_t>> WrapUnder(uint32_t epoch, std::span<const uint8_t> key,
                                                 std::string_view context) = 0;
  // Corruption when the bytes were not wrapped by that root for this
  // context (or were altered); InvalidArgument when they cannot be a wrapped
  // key at all (too short, unknown version); NotFound when that root does
  // not exist (any more).
  virtual Result<crypto::SecretBytes> UnwrapUnder(uint32_t epoch, std::span<const uint8_t> wrapped,
                                                  std::string_view context) = 0;

  // The newest epoch, creating epoch 1 when there is none.
  Result<uint32_t> CurrentEpoch();
  // WrapUnder / UnwrapUnder with CurrentEpoch().
  Result<std::vector<uint8_t>> Wrap(std::span<const uint8_t> key, std::string_view context);
  Result<crypto::SecretBytes> Unwrap(std::span<const uint8_t> wrapped, std::string_view context);
};

// The associated data of a root wrap for `context`.
std::vector<uint8_t> RootWrapAad(std::string_view context);
// Size checks shared by the providers (messages name what was wrong).
Status CheckWrapInput(std::span<const uint8_t> key);
Status CheckUnwrapInput(std::span<const uint8_t> wrapped);

}  // namespace cloison::vault
