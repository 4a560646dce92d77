// Clock: the only source of "now" (LevelDB's Env, Trillian's TimeSource).
// Tests and `serve --test-clock` use FakeClock, so a month of retention runs in
// a second. Both implementations are thread-safe.
#pragma once

#include <atomic>

#include "base/time.h"

namespace cloison {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
  // True for a manually driven clock; the ledger records it (PRODUCT.md, Time).
  virtual bool IsManual() const { return false; }
};

class SystemClock final : public Clock {
 public:
  Time Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_(ToMicros(start)) {}
  Time Now() const override { return FromMicros(now_.load(std::memory_order_acquire)); }
  bool IsManual() const override { return true; }
  void Set(Time t) { now_.store(ToMicros(t), std::memory_order_release); }
  void Advance(Duration d) { now_.fetch_add(d.count(), std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace cloison
