// FileKeyProvider: numbered root keys as files of 32 random bytes in a key
// directory, KEYDIR/root-<epoch>.key (epoch as 6 decimal digits). The
// directory is made 0700 and each key 0600; a key that group or others may
// read, or of the wrong size, is refused, so a copied or loosened key file
// is noticed rather than used.
//
// An instance's default key directory is DIR/keys/root; its configuration
// may name one outside the instance (doc/formats/vault.md). Shredding by
// root rotation only defeats copies that do not include the key directory:
// a copy taken with it holds the old root too until that root is destroyed
// in the copy as well. A PKCS#11 token is the production answer.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "vault/key_provider.h"

namespace cloison::vault {

inline constexpr size_t kRootKeySize = 32;

// Thread-safe: a mutex guards the cache of loaded roots.
class FileKeyProvider : public KeyProvider {
 public:
  // Opens `key_dir`, creating it (0700) when absent. No root is made here:
  // CurrentEpoch() makes epoch 1 on first use.
  static Result<std::unique_ptr<FileKeyProvider>> Open(const std::filesystem::path& key_dir);
  ~FileKeyProvider() override;

  // The path of the root of `epoch` (whether or not it exists).
  std::filesystem::path RootPath(uint32_t epoch) const;

  std::string Name() const override;
  Result<std::vector<uint32_t>> RootEpochs() override;
  Status CreateRoot(uint32_t epoch) override;
  Status DestroyRoot(uint32_t epoch) override;
  Result<std::vector<uint8_t>> WrapUnder(uint32_t epoch, std::span<const uint8_t> key,
                                         std::string_view context) override;
  Result<crypto::SecretBytes> UnwrapUnder(uint32_t epoch, std::span<const uint8_t> wrapped,
                                          std::string_view context) override;

 private:
  explicit FileKeyProvider(std::filesystem::path dir) : dir_(std::move(dir)) {}
  // Loads (and caches) the root of `epoch`: NotFound, FailedPrecondition
  // (mode), Corruption (size). Called with mu_ held.
  Result<const crypto::SecretBytes*> Root(uint32_t epoch);

  std::filesystem::path dir_;
  std::mutex mu_;
  std::map<uint32_t, crypto::SecretBytes> roots_;
};

}  // namespace cloison::vault
