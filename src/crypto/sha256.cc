#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "crypto/sha256_ni.h"

namespace cloison::crypto {

namespace {

// The SHA-256 implementation, fetched once: the implicit fetch done by
// EVP_sha256() on every EVP_DigestInit costs as much as hashing 64 bytes.
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// A digest context per thread, freed when the thread ends.
class ThreadContext {
 public:
  ThreadContext() : ctx_(EVP_MD_CTX_new()) {}
  ~ThreadContext() { EVP_MD_CTX_free(ctx_); }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
  EVP_MD_CTX* get() const { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

// A hash that silently came out wrong would corrupt a ledger; OpenSSL only
// fails here when it cannot allocate, so stop rather than return garbage.
[[noreturn]] void HashFailure(const char* what) {
  std::fprintf(stderr, "crypto::OpenSslParts: %s failed\n", what);
  std::abort();
}

}  // namespace

namespace internal {

Digest OpenSslParts(std::initializer_list<std::span<const uint8_t>> parts) {
  thread_local ThreadContext context;
  EVP_MD_CTX* ctx = context.get();
  const EVP_MD* md = FetchedSha256();
  if (ctx == nullptr || md == nullptr) HashFailure("EVP_MD_CTX_new or EVP_MD_fetch");
  if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1) HashFailure("EVP_DigestInit_ex2");
  // Each EVP_DigestUpdate costs about as much as hashing 64 bytes, so small
  // inputs (a Merkle node is 1 + 32 + 32 bytes) are gathered into one buffer
  // first; large parts are passed as they are.
  constexpr size_t kGather = 512;
  size_t total = 0;
  for (std::span<const uint8_t> part : parts) total += part.size();
  if (total <= kGather) {
    uint8_t buffer[kGather];
    size_t n = 0;
    for (std::span<const uint8_t> part : parts) {
      if (!part.empty()) std::memcpy(buffer + n, part.data(), part.size());
      n += part.size();
    }
    if (EVP_DigestUpdate(ctx, buffer, n) != 1) HashFailure("EVP_DigestUpdate");
  } else {
    for (std::span<const uint8_t> part : parts) {
      if (EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) HashFailure("EVP_DigestUpdate");
    }
  }
  Digest out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
    HashFailure("EVP_DigestFinal_ex");
  }
  return out;
}

}  // namespace internal

Digest Sha256Parts(std::initializer_list<std::span<const uint8_t>> parts) {
  // On SHA-NI the hash of a Merkle node (two blocks) takes about as long as
  // OpenSSL's per-call bookkeeping (init, update, final through the provider
  // layer); hashing on the instructions directly removes that cost.
  static const bool sha_ni = internal::HasShaNi();
  return sha_ni ? internal::ShaNiParts(parts) : internal::OpenSslParts(parts);
}

Digest Sha256Prefixed(uint8_t prefix, std::span<const uint8_t> data) {
  static const bool sha_ni = internal::HasShaNi();
  if (sha_ni) return internal::ShaNiPrefixed(prefix, data);
  const uint8_t p[] = {prefix};
  return internal::OpenSslParts({p, data});
}

Digest Sha256PrefixPair(uint8_t prefix, const Digest& left, const Digest& right) {
  static const bool sha_ni = internal::HasShaNi();
  if (sha_ni) return internal::ShaNiPair(prefix, left, right);
  const uint8_t p[] = {prefix};
  return internal::OpenSslParts({p, left, right});
}

// Through Sha256Parts, not EVP_Digest with EVP_sha256(): that fetches the
// implementation again on every call (BENCHMARKS.md, "Session 6").
Digest Sha256(std::span<const uint8_t> data) {
  return Sha256Parts({data});
}

Digest Sha256(std::string_view data) {
  return Sha256(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

}  // namespace cloison::crypto
