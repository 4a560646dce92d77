#include "base/id.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace cloison {
namespace {

std::string Format(std::string_view prefix, uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "_%016llx", static_cast<unsigned long long>(v));
  return std::string(prefix) + buf;
}

}  // namespace

std::string RandomIdGenerator::Next(std::string_view prefix) {
  thread_local std::random_device rd;
  uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return Format(prefix, v);
}

std::string TimeOrderedIdGenerator::Next(std::string_view prefix) {
  constexpr int kRandomBits = 22;
  constexpr int64_t kEpochMs = 1577836800000;  // 2020-01-01T00:00:00Z
  thread_local std::mt19937_64 random{std::random_device{}()};
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() -
               kEpochMs;
  uint64_t want = (static_cast<uint64_t>(std::max<int64_t>(ms, 0)) << kRandomBits) |
                  (random() & ((uint64_t{1} << kRandomBits) - 1));
  // Never below the last one: a clock set back, or two calls in the same
  // millisecond whose random bits came out in the wrong order.
  uint64_t last = last_.load(std::memory_order_relaxed);
  uint64_t v;
  do {
    v = std::max(want, last + 1);
  } while (!last_.compare_exchange_weak(last, v, std::memory_order_relaxed));
  return Format(prefix, v);
}

std::string SequentialIdGenerator::Next(std::string_view prefix) {
  return Format(prefix, next_.fetch_add(1));
}

bool IsWellFormedId(std::string_view id) {
  auto us = id.find('_');
  if (us == std::string_view::npos || us == 0 || id.size() != us + 17) return false;
  for (size_t i = 0; i < us; ++i)
    if (id[i] < 'a' || id[i] > 'z') return false;
  for (size_t i = us + 1; i < id.size(); ++i) {
    char c = id[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace cloison
