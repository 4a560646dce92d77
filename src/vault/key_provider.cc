#include "vault/key_provider.h"

namespace cloison::vault {

std::vector<uint8_t> RootWrapAad(std::string_view context) {
  std::vector<uint8_t> aad(kRootWrapLabel.begin(), kRootWrapLabel.end());
  aad.push_back(0);
  aad.insert(aad.end(), context.begin(), context.end());
  return aad;
}

Status CheckWrapInput(std::span<const uint8_t> key) {
  if (key.size() < 16 || key.size() > 64)
    return Status::InvalidArgument("wrap: key of " + std::to_string(key.size()) +
                                   " bytes, want 16..64");
  return Status::Ok();
}

Status CheckUnwrapInput(std::span<const uint8_t> wrapped) {
  if (wrapped.size() < kRootWrapOverhead + 16 || wrapped.size() > kRootWrapOverhead + 64)
    return Status::InvalidArgument("unwrap: wrapped key of " + std::to_string(wrapped.size()) +
                                   " bytes, want " + std::to_string(kRootWrapOverhead + 16) + ".." +
                                   std::to_string(kRootWrapOverhead + 64));
  if (wrapped[0] != kRootWrapVersion)
    return Status::InvalidArgument("unwrap: wrapped key version " + std::to_string(wrapped[0]) +
                                   ", want 1");
  return Status::Ok();
}

Result<uint32_t> KeyProvider::CurrentEpoch() {
  ASSIGN_OR_RETURN(std::vector<uint32_t> epochs, RootEpochs());
  if (!epochs.empty()) return epochs.back();
  Status s = CreateRoot(1);
  if (!s.ok() && s.code() != Code::kAlreadyExists) return s;
  return 1u;
}

Result<std::vector<uint8_t>> KeyProvider::Wrap(std::span<const uint8_t> key,
                                               std::string_view context) {
  ASSIGN_OR_RETURN(uint32_t epoch, CurrentEpoch());
  return WrapUnder(epoch, key, context);
}

Result<crypto::SecretBytes> KeyProvider::Unwrap(std::span<const uint8_t> wrapped,
                                                std::string_view context) {
  ASSIGN_OR_RETURN(uint32_t epoch, CurrentEpoch());
  return UnwrapUnder(epoch, wrapped, context);
}

}  // namespace cloison::vault
