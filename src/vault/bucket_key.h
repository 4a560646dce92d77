// Bucket keys: one random AES-256 key per (compartment, destruction day).
// Every item destroyed on that day in that compartment has its data key
// wrapped by the bucket key, so destroying the bucket key (its wrapped bytes,
// the only form it is ever stored in) destroys every item of the bucket at
// once, in the live store and in every older copy (PRODUCT.md, Keys).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "crypto/secret.h"
#include "vault/key_provider.h"

namespace cloison::vault {

inline constexpr size_t kBucketKeySize = 32;

// "<compartment>/<YYYY-MM-DD>". A compartment is 1..64 characters of
// [A-Za-z0-9._-] (InvalidArgument naming `compartment` otherwise).
Result<std::string> BucketId(std::string_view compartment, Date destruction_day);

// Not copyable (the key wipes itself); movable. Immutable once made, so
// const access from several threads is safe.
class BucketKey {
 public:
  // A fresh random key for `bucket_id`, wrapped by the root; the caller
  // persists wrapped() (context: the bucket id).
  static Result<BucketKey> Create(KeyProvider& root, std::string_view bucket_id);
  // The key of `bucket_id` from its wrapped bytes (Corruption from the
  // provider when they are not this bucket's under this root).
  static Result<BucketKey> Unwrap(KeyProvider& root, std::string_view bucket_id,
                                  std::span<const uint8_t> wrapped);
  // A key from raw bytes, with no wrapped form: fixed-key fixtures, tests
  // and benchmarks only.
  static Result<BucketKey> FromBytes(std::string_view bucket_id, std::span<const uint8_t> key);

  const std::string& id() const { return id_; }
  std::span<const uint8_t> key() const { return key_.view(); }
  const std::vector<uint8_t>& wrapped() const { return wrapped_; }

 private:
  BucketKey(std::string id, crypto::SecretBytes key, std::vector<uint8_t> wrapped)
      : id_(std::move(id)), key_(std::move(key)), wrapped_(std::move(wrapped)) {}
  std::string id_;
  crypto::SecretBytes key_;
  std::vector<uint8_t> wrapped_;
};

// Ids written into envelopes and bucket ids: 1..255 bytes of printable
// ASCII without spaces, so that they can be quoted in error messages.
Status CheckId(std::string_view id, std::string_view field);

}  // namespace cloison::vault
