// Test helpers for the vault: a temporary directory removed on destruction,
// a deterministic RandomSource, hex.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace cloison::vault {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-vault-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    path_ = p ? std::filesystem::path(p) : std::filesystem::path();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A counter-based byte stream: the same seed gives the same bytes, which is
// what lets a fixture be re-made byte for byte.
class FixedRandom {
 public:
  explicit FixedRandom(uint8_t seed) : next_(seed) {}
  Status operator()(std::span<uint8_t> out) {
    for (auto& b : out) b = next_++;
    return Status::Ok();
  }

 private:
  uint8_t next_;
};

inline std::vector<uint8_t> BytesOf(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace cloison::vault
