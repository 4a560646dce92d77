#include "api/metrics.h"

#include <cstdio>
#include <set>

namespace cloison::api {

void Metrics::RecordRequest(std::string_view operation, int status, std::chrono::nanoseconds took) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = requests_[{std::string(operation.empty() ? "none" : operation), status}];
  ++s.count;
  s.seconds += std::chrono::duration<double>(took).count();
}

void Metrics::Add(std::string_view name, std::string_view help, int64_t delta) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = named_.find(name);
  if (it == named_.end()) it = named_.emplace(std::string(name), Named{std::string(help)}).first;
  it->second.value += delta;
}

void Metrics::SetGauge(std::string_view name, std::string_view help, int64_t value) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = named_.find(name);
  if (it == named_.end()) it = named_.emplace(std::string(name), Named{std::string(help)}).first;
  it->second.gauge = true;
  it->second.value = value;
}

int64_t Metrics::Get(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = named_.find(name);
  return it == named_.end() ? 0 : it->second.value;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP cloison_http_requests_total HTTP requests answered, by operation and status.\n";
  out += "# TYPE cloison_http_requests_total counter\n";
  for (const auto& [key, s] : requests_) {
    out += "cloison_http_requests_total{operation=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(s.count) + "\n";
  }
  // Per operation: total time spent answering, and how many answers.
  std::map<std::string, Series> per_op;
  for (const auto& [key, s] : requests_) {
    per_op[key.first].count += s.count;
    per_op[key.first].seconds += s.seconds;
  }
  out += "# HELP cloison_http_request_duration_seconds Time spent answering, by operation.\n";
  out += "# TYPE cloison_http_request_duration_seconds summary\n";
  for (const auto& [op, s] : per_op) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9f", s.seconds);
    out += "cloison_http_request_duration_seconds_sum{operation=\"" + op + "\"} " + buf + "\n";
    out += "cloison_http_request_duration_seconds_count{operation=\"" + op + "\"} " +
           std::to_string(s.count) + "\n";
  }
  for (const auto& [name, n] : named_) {
    out += "# HELP " + name + " " + n.help + "\n";
    out += "# TYPE " + name + (n.gauge ? " gauge\n" : " counter\n");
    out += name + " " + std::to_string(n.value) + "\n";
  }
  return out;
}

}  // namespace cloison::api
