#include "vault/bucket_key.h"

#include "crypto/random.h"

namespace cloison::vault {

Status CheckId(std::string_view id, std::string_view field) {
  if (id.empty() || id.size() > 255)
    return Status::InvalidArgument(std::string(field) + ": " + std::to_string(id.size()) +
                                   " bytes, want 1..255");
  for (char c : id)
    if (c < 0x21 || c > 0x7e)
      return Status::InvalidArgument(std::string(field) +
                                     ": want printable ASCII without spaces");
  return Status::Ok();
}

Result<std::string> BucketId(std::string_view compartment, Date destruction_day) {
  if (compartment.empty() || compartment.size() > 64)
    return Status::InvalidArgument("compartment: " + std::to_string(compartment.size()) +
                                   " characters, want 1..64");
  for (char c : compartment) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return Status::InvalidArgument("compartment: want only [A-Za-z0-9._-]");
  }
  if (!destruction_day.ok()) return Status::InvalidArgument("destruction day: not a date");
  return std::string(compartment) + "/" + FormatDate(destruction_day);
}

Result<BucketKey> BucketKey::Create(KeyProvider& root, std::string_view bucket_id) {
  RETURN_IF_ERROR(CheckId(bucket_id, "bucket id"));
  crypto::SecretBytes key(kBucketKeySize);
  RETURN_IF_ERROR(crypto::RandomBytes(key.mutable_view()));
  ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, root.Wrap(key.view(), bucket_id));
  return BucketKey(std::string(bucket_id), std::move(key), std::move(wrapped));
}

Result<BucketKey> BucketKey::Unwrap(KeyProvider& root, std::string_view bucket_id,
                                    std::span<const uint8_t> wrapped) {
  RETURN_IF_ERROR(CheckId(bucket_id, "bucket id"));
  ASSIGN_OR_RETURN(crypto::SecretBytes key, root.Unwrap(wrapped, bucket_id));
  if (key.size() != kBucketKeySize)
    return Status::Corruption("bucket key '" + std::string(bucket_id) + "': " +
                              std::to_string(key.size()) + " bytes, want 32");
  return BucketKey(std::string(bucket_id), std::move(key),
                   std::vector<uint8_t>(wrapped.begin(), wrapped.end()));
}

Result<BucketKey> BucketKey::FromBytes(std::string_view bucket_id, std::span<const uint8_t> key) {
  RETURN_IF_ERROR(CheckId(bucket_id, "bucket id"));
  if (key.size() != kBucketKeySize)
    return Status::InvalidArgument("bucket key: " + std::to_string(key.size()) +
                                   " bytes, want 32");
  return BucketKey(std::string(bucket_id), crypto::SecretBytes(key), {});
}

}  // namespace cloison::vault
