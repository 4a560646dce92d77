// Pkcs11KeyProvider: the root key as a non-extractable AES-256 secret key
// inside a PKCS#11 token (an HSM; SoftHSM2 in the tests). Wrapping is
// CKM_AES_GCM through C_Encrypt/C_Decrypt with a nonce drawn here, so the
// wrapped bytes have the same layout as FileKeyProvider's (key_provider.h);
// the key itself never leaves the token.
//
// The module (a .so path) is loaded with dlopen and initialised once per
// process and path; it is finalised and unloaded when the last provider
// using it goes away.
#pragma once

#include <memory>
#include <string>

#include "crypto/secret.h"
#include "vault/key_provider.h"

namespace cloison::vault {

struct Pkcs11Options {
  std::string module_path;  // e.g. /usr/lib/softhsm/libsofthsm2.so
  std::string token_label;  // the token's CKA_LABEL (up to 32 characters)
  // Root keys are labelled "<key_label>.<epoch>" ("cloison-root.1", ...).
  std::string key_label = "cloison-root";
  // When no root key exists: generate epoch 1 (CKA_TOKEN, CKA_SENSITIVE,
  // not CKA_EXTRACTABLE) or fail with NotFound.
  bool generate_if_missing = true;
};

// Thread-safe: one session, guarded by a mutex inside.
class Pkcs11KeyProvider : public KeyProvider {
 public:
  // Loads the module, finds the token by label, logs in as the user with
  // `pin` and finds (or generates) the key. Errors: IoError (module cannot
  // load), NotFound (token or key), PermissionDenied (PIN refused),
  // FailedPrecondition (a key with that label that is extractable, not
  // sensitive, not AES-256 or not unique).
  static Result<std::unique_ptr<Pkcs11KeyProvider>> Open(const Pkcs11Options& options,
                                                         const crypto::SecretBytes& pin);
  ~Pkcs11KeyProvider() override;

  std::string Name() const override;
  Result<std::vector<uint32_t>> RootEpochs() override;
  // Generates "<key_label>.<epoch>" as Open does.
  Status CreateRoot(uint32_t epoch) override;
  // C_DestroyObject: the token erases the key.
  Status DestroyRoot(uint32_t epoch) override;
  Result<std::vector<uint8_t>> WrapUnder(uint32_t epoch, std::span<const uint8_t> key,
                                         std::string_view context) override;
  Result<crypto::SecretBytes> UnwrapUnder(uint32_t epoch, std::span<const uint8_t> wrapped,
                                          std::string_view context) override;

  struct Impl;

 private:
  explicit Pkcs11KeyProvider(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cloison::vault
