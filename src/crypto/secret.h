// SecretBytes: key material that is wiped (sodium_memzero) when released,
// never copied implicitly, never printed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cloison::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t n) : bytes_(n) {}
  explicit SecretBytes(std::span<const uint8_t> from) : bytes_(from.begin(), from.end()) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& o) noexcept : bytes_(std::move(o.bytes_)) { o.bytes_.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept;
  ~SecretBytes() { Wipe(); }

  SecretBytes Clone() const { return SecretBytes(std::span<const uint8_t>(bytes_)); }
  std::span<const uint8_t> view() const { return bytes_; }
  std::span<uint8_t> mutable_view() { return bytes_; }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  // Zeroes the bytes (sodium_memzero) and leaves this empty.
  void Wipe();

 private:
  std::vector<uint8_t> bytes_;
};

// Zeroes a string that held secret text (a signer key string, decoded key
// bytes) and leaves it empty. Strings are not SecretBytes: use this where an
// encoding step has to pass through one.
void WipeString(std::string& s);

}  // namespace cloison::crypto
