#include "crypto/hmac.h"

#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>

namespace cloison::crypto {

Digest HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  // OpenSSL refuses a null key pointer even with a zero length, and a null
  // data pointer for empty data: point both at a byte that is never read.
  static const uint8_t kEmpty = 0;
  Digest out{};
  unsigned int len = 0;
  const uint8_t* mac =
      HMAC(EVP_sha256(), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()),
           data.empty() ? &kEmpty : data.data(), data.size(), out.data(), &len);
  // A pseudonym that silently came out wrong would unlink or, worse, link
  // records: OpenSSL only fails here when it cannot allocate, so stop.
  if (mac == nullptr || len != out.size()) {
    std::fprintf(stderr, "crypto::HmacSha256: HMAC failed\n");
    std::abort();
  }
  return out;
}

Digest HmacSha256(std::span<const uint8_t> key, std::string_view data) {
  return HmacSha256(key, {reinterpret_cast<const uint8_t*>(data.data()), data.size()});
}

}  // namespace cloison::crypto
