// For tests: a point in a thread under test where that thread waits while
// the test holds it, and which counts the passes, so that a test can stop a
// background thread at a chosen step and see that it got there.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace cloison {

class HoldPoint {
 public:
  void Hold() {
    std::lock_guard lock(mu_);
    held_ = true;
  }
  void Release() {
    std::lock_guard lock(mu_);
    held_ = false;
    cv_.notify_all();
  }
  // Called by the thread under test: counts the pass, then waits while
  // the point is held.
  void Pass() {
    std::unique_lock lock(mu_);
    ++passes_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !held_; });
  }
  // Waits, at most `limit`, until Pass has been called `n` times; false if
  // it was not.
  bool WaitPasses(size_t n, std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return passes_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;  // guarded by mu_
  size_t passes_ = 0;  // guarded by mu_
};

}  // namespace cloison
