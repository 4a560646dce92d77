// Identifiers are opaque strings with a type prefix: "req_3f9a0c1d2e4b5a69".
// Random in production (time-ordered for the vault's), sequential in tests (so
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
// instance's origin, its CA's name) and for records made in small numbers.
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
// it was made to the millisecond, which every record already says. Ids
// increase within one generator only: another process, or this one after
// a restart with the clock set back, may draw an id already used (odds
// 2^-22 per id made in the same millisecond), and the store's Put would
// replace that record. A user checks a new id is unused in its write
// transaction (service/vault: FreshId); the other kinds, few, keep random
// ids.
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
