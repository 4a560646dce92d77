// FileKeyProvider: the root key as 32 random bytes in DIR/keys/root.key.
// Created with mode 0600 inside a 0700 directory; refused when group or
// others may read it (or it has the wrong size), so a copied or loosened key
// file is noticed rather than used.
#pragma once

#include <filesystem>
#include <memory>

#include "vault/key_provider.h"

namespace cloison::vault {

inline constexpr size_t kRootKeySize = 32;

// Thread-safe: the key is read once and only read afterwards.
class FileKeyProvider : public KeyProvider {
 public:
  // Opens DIR/keys/root.key, creating DIR/keys (0700) and the key (0600,
  // fsynced) when absent. FailedPrecondition when the file's mode lets group
  // or others read it; Corruption when it is not 32 bytes.
  static Result<std::unique_ptr<FileKeyProvider>> Open(const std::filesystem::path& dir);

  std::string Name() const override;
  Result<std::vector<uint8_t>> Wrap(std::span<const uint8_t> key,
                                    std::string_view context) override;
  Result<crypto::SecretBytes> Unwrap(std::span<const uint8_t> wrapped,
                                     std::string_view context) override;

 private:
  FileKeyProvider(std::filesystem::path path, crypto::SecretBytes root)
      : path_(std::move(path)), root_(std::move(root)) {}
  std::filesystem::path path_;
  crypto::SecretBytes root_;
};

}  // namespace cloison::vault
