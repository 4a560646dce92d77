// The item envelope (vault/envelope.h), beside the physical reference it
// cannot beat, measured in the same run: raw AES-256-GCM (one keyed
// context, a fresh nonce per item) over the same bytes.
//  (a) envelope sealing of 64 KiB items, MB/s of content: per item a fresh
//      data key from the OS generator, its wrap under the bucket key, the
//      header and the 64 KiB chunk;
//  (b) the same for 1 KiB items, where the per-item key work dominates;
//  (c) envelope opening of 64 KiB items (unwrap, authenticate, decrypt).
// In memory only: durability (append + fsync) is the store's and comes with
// ingest, measured then beside the same reference plus fsync.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench.h"
#include "crypto/aead.h"
#include "vault/envelope.h"

namespace cloison::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRuns = 5;  // fastest of kRuns runs: the machine is shared

double Seconds(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double>(t1 - t0).count();
}

vault::BucketKey Bucket() {
  std::vector<uint8_t> k(32, 0x11);
  return std::move(vault::BucketKey::FromBytes("ops/2025-01-31", k)).value();
}

// Fastest seconds of `fn` over kRuns; aborts on a failed call (a benchmark
// of failing code measures nothing).
template <typename Fn>
double BestSeconds(Fn&& fn) {
  double best = 1e30;
  for (int r = 0; r < kRuns; ++r) {
    auto t0 = Clock::now();
    if (!fn()) {
      std::fprintf(stderr, "vault bench: a call failed\n");
      std::abort();
    }
    best = std::min(best, Seconds(t0, Clock::now()));
  }
  return best;
}

void SealBench(const std::string& name, size_t item_size, size_t items) {
  std::mt19937_64 rng(42);
  std::vector<uint8_t> content(item_size);
  for (auto& b : content) b = static_cast<uint8_t>(rng());
  vault::BucketKey bucket = Bucket();
  std::vector<std::string> ids(items);
  for (size_t i = 0; i < items; ++i) ids[i] = "item-" + std::to_string(i);

  auto gcm = crypto::AesGcm::Create(std::vector<uint8_t>(32, 0x22));
  std::vector<uint8_t> out(item_size + crypto::kGcmTagSize);
  std::array<uint8_t, 12> nonce{};
  double envelope = BestSeconds([&] {
    for (size_t i = 0; i < items; ++i)
      if (!vault::SealEnvelope(bucket, ids[i], content).ok()) return false;
    return true;
  });
  double reference = BestSeconds([&] {
    for (size_t i = 0; i < items; ++i) {
      std::memcpy(nonce.data(), &i, sizeof i);
      if (!gcm->Seal(nonce, {}, content, out).ok()) return false;
    }
    return true;
  });
  double mb = static_cast<double>(item_size * items) / 1e6;
  Report(name, mb / envelope, "MB/s", mb / reference);
}

void OpenBench(const std::string& name, size_t item_size, size_t items) {
  std::vector<uint8_t> content(item_size, 0x5a);
  vault::BucketKey bucket = Bucket();
  std::vector<std::vector<uint8_t>> envs;
  for (size_t i = 0; i < items; ++i)
    envs.push_back(std::move(vault::SealEnvelope(bucket, "item-" + std::to_string(i), content)).value());
  auto gcm = crypto::AesGcm::Create(std::vector<uint8_t>(32, 0x22));
  std::vector<uint8_t> sealed(item_size + crypto::kGcmTagSize), plain(item_size);
  std::array<uint8_t, 12> nonce{};
  if (!gcm->Seal(nonce, {}, content, sealed).ok()) std::abort();
  double opened = BestSeconds([&] {
    for (size_t i = 0; i < items; ++i)
      if (!vault::OpenEnvelope(bucket, "item-" + std::to_string(i), envs[i]).ok()) return false;
    return true;
  });
  double reference = BestSeconds([&] {
    for (size_t i = 0; i < items; ++i)
      if (!gcm->Open(nonce, {}, sealed, plain).ok()) return false;
    return true;
  });
  double mb = static_cast<double>(item_size * items) / 1e6;
  Report(name, mb / opened, "MB/s", mb / reference);
}

}  // namespace

void VaultBenchmarks(const Options& options) {
  size_t big = options.quick ? 256 : 2048;      // 16 MiB / 128 MiB of 64 KiB items
  size_t small = options.quick ? 4096 : 32768;  // 4 MiB / 32 MiB of 1 KiB items
  SealBench("vault.envelope_seal_64k", 64 * 1024, big);
  SealBench("vault.envelope_seal_1k", 1024, small);
  OpenBench("vault.envelope_open_64k", 64 * 1024, big);
}

}  // namespace cloison::bench
