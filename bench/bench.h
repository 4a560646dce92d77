// The benchmark harness: each benchmark measures its subject and, in the same
// run, the physical reference it is compared with, and prints one JSON line:
// {"name", "value", "unit", "reference_value", "ratio"} (ratio = value / reference).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace cloison::bench {

struct Options {
  bool quick = false;
  // --sweep-items N: the sweep's expired items (multiple of 10^4; the
  // crowded store holds 10 times as many). 0: 10^6, or 2·10^4 with --quick.
  size_t sweep_items = 0;
};

inline void Report(const std::string& name, double value, const std::string& unit,
                   double reference) {
  std::printf(
      "{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\",\"reference_value\":%.6g,\"ratio\":%.4g}\n",
      name.c_str(), value, unit.c_str(), reference, reference != 0 ? value / reference : 0.0);
  std::fflush(stdout);
}

// Median over `samples` of the time per call of fn(i) for `batch` consecutive calls.
template <typename Fn>
double MedianNanosPerCall(int samples, int batch, Fn&& fn) {
  std::vector<double> per_call;
  per_call.reserve(samples);
  size_t i = 0;
  for (int s = 0; s < samples; ++s) {
    auto t0 = std::chrono::steady_clock::now();
    for (int b = 0; b < batch; ++b) fn(i++);
    auto t1 = std::chrono::steady_clock::now();
    per_call.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / batch);
  }
  std::nth_element(per_call.begin(), per_call.begin() + per_call.size() / 2, per_call.end());
  return per_call[per_call.size() / 2];
}

void GateBenchmarks(const Options& options);
void LedgerBenchmarks(const Options& options);
void VaultBenchmarks(const Options& options);
void VaultIngestBenchmarks(const Options& options);
void SweepBenchmarks(const Options& options);
void HttpBenchmarks(const Options& options);
// The wrk ingest rows at 256 connections alone, three rounds.
void HttpIngestBenchmarks(const Options& options);

}  // namespace cloison::bench
