// Identifiers are opaque strings with a type prefix: "req_3f9a0c1d2e4b5a69".
// Random in production, sequential in tests (so golden output is stable).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace cloison {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // Thread-safe.
  virtual std::string Next(std::string_view prefix) = 0;
};

// 64 random bits from the OS per identifier.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override;
};

// prefix_0000000000000001, prefix_0000000000000002, ... (one counter for all).
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override;

 private:
  std::atomic<uint64_t> next_{1};
};

// True if `id` is a well-formed identifier: [a-z]+_[0-9a-f]{16}.
bool IsWellFormedId(std::string_view id);

}  // namespace cloison
