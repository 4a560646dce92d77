// Identifiers are opaque strings with a type prefix: "req_3f9a0c1d2e4b5a69".
// Time-ordered with random low bits in production, sequential in tests (so
// golden output is stable).
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

// 64 random bits from the OS per identifier: for names made once (an
// instance's origin, its CA's name), not for records stored in numbers.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override;
};

// Time-ordered, for the ids of stored records: the high 42 bits are the
// milliseconds since 2020-01-01T00:00:00Z (until 2159), the low 22 bits
// random; strictly increasing from one call to the next. The store's
// B-trees are keyed by id, so a record created now lands beside the last
// ones, in the same few pages: with 64 random bits each insert dirtied a
// page of its own in every index on the id (a 16 KiB page per index per
// item written to the WAL; BENCHMARKS.md, "Session 5"). An id tells when
// it was made to the millisecond, which every record already says. Two
// processes (the server and the CLI) making ids of one kind in the same
// millisecond may collide, with odds of 2^-22 per pair: the store's key
// then refuses the write, whole, and nothing is half-written.
class TimeOrderedIdGenerator final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override;

 private:
  std::atomic<uint64_t> last_{0};
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
