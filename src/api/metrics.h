// Counters for /metrics, in the Prometheus text format (version 0.0.4).
// Requests are counted per operation and status with their total duration;
// the server adds its own counters and gauges (connections, rejections) by
// name. No label ever carries content, identifiers or credentials.
//
// Thread-safety: thread-safe (one mutex; the hot path is one map lookup).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace cloison::api {

class Metrics {
 public:
  void RecordRequest(std::string_view operation, int status, std::chrono::nanoseconds took);
  // A counter (monotonic) or gauge (settable) by metric name; `help` is
  // kept from the first call.
  void Add(std::string_view name, std::string_view help, int64_t delta);
  void SetGauge(std::string_view name, std::string_view help, int64_t value);
  int64_t Get(std::string_view name) const;

  std::string Render() const;

 private:
  struct Series {
    int64_t count = 0;
    double seconds = 0;
  };
  struct Named {
    std::string help;
    bool gauge = false;
    int64_t value = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, Series> requests_;  // guarded by mu_
  std::map<std::string, Named, std::less<>> named_;         // guarded by mu_
};

}  // namespace cloison::api
