#include "crypto/secret.h"

#include <sodium.h>

#include <string>

namespace cloison::crypto {

SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept {
  if (this != &o) {
    Wipe();  // the old key material must not linger in a freed buffer
    bytes_ = std::move(o.bytes_);
    o.bytes_.clear();
  }
  return *this;
}

void SecretBytes::Wipe() {
  // sodium_memzero is not optimised away, unlike a memset before free.
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
  bytes_.clear();
}

void WipeString(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace cloison::crypto
