// The ledger's Merkle tree (ledger/tree.h, ledger/tiles.h), each figure beside
// the SHA-256 work it cannot avoid, measured in the same run:
//  (a) append: LeafHash + Tree::Append of ~200-byte entries, in batches, beside
//      one SHA-256 of each entry (entries/s; target >= 100,000 entries/s).
//      In memory only: durability is the store's and is measured with it.
//  (b) inclusion proof p99 at 10^7 leaves (--quick: 10^6), the best of three
//      rounds of random leaves, beside the time of
//      ceil(log2 n) NodeHash computations, the cost of checking such a proof
//      (target: p99 < 50 us).
//  (c) full verification: ledger::VerifyLog, the code `cloison verify` runs,
//      over the whole log (no saved state) in MB/s of entry bytes. The log is
//      served from memory by a TileSource over an unordered_map built once
//      before timing (hash tiles from HashTile over a Tree, entry bundles from
//      EncodeEntryBundle, every path TilesForSize lists, as
//      Ledger::ExportTiles writes them; a checkpoint signed with an Ed25519
//      key made here), so no I/O is timed. Timed: the checkpoint fetched and
//      its signature checked, then for each bundle its level-0 tile and the
//      bundle fetched (Fetch returns a copy of each, as any source hands the
//      verifier its own buffer), every entry's LeafHash checked against the
//      tile, each full tile's subtree root (RootOf), the frontier; every upper
//      tile checked against the roots below; the root compared with the
//      checkpoint. A failed verification stops the benchmark. The fastest of
//      five runs, interleaved with those of the references beside it:
//      one SHA-256 of each entry (crypto::Sha256Parts; target: >= 50 %),
//      and SHA-256 streamed (OpenSSL) over the concatenated entries, the
//      hash's raw speed.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "bench.h"
#include "crypto/sha256.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/tiles.h"
#include "ledger/tree.h"
#include "ledger/verifier.h"

namespace cloison::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double>(t1 - t0).count();
}

// Throughputs take the fastest of kRuns interleaved runs of subject and
// reference: the machine is shared, and the least disturbed run is the one
// that measures the code; both sides get the same treatment.
constexpr int kRuns = 5;

double Best(const std::vector<double>& seconds) {
  return *std::min_element(seconds.begin(), seconds.end());
}

// Entries of 180..220 bytes of random content, back to back in one buffer.
struct Entries {
  std::vector<uint8_t> bytes;
  std::vector<size_t> offsets;  // entry i is [offsets[i], offsets[i + 1])
  size_t count() const { return offsets.size() - 1; }
  std::span<const uint8_t> operator[](size_t i) const {
    return std::span<const uint8_t>(bytes).subspan(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

Entries MakeEntries(size_t n, std::mt19937_64& rng) {
  Entries e;
  e.offsets.reserve(n + 1);
  e.offsets.push_back(0);
  for (size_t i = 0; i < n; ++i) e.offsets.push_back(e.offsets.back() + 180 + rng() % 41);
  e.bytes.resize(e.offsets.back() + 8);
  for (size_t i = 0; i + 8 <= e.bytes.size(); i += 8) {
    uint64_t r = rng();
    std::memcpy(&e.bytes[i], &r, 8);
  }
  e.bytes.resize(e.offsets.back());
  return e;
}

// A sink the compiler cannot see through.
volatile uint8_t g_sink = 0;

// One SHA-256 of each entry: the reference of (a) and (c). Sha256Parts is
// the fastest form the project has: on SHA-NI it runs the instructions
// directly on the entry's blocks in place, with no per-call context (the
// same code LeafHash and NodeHash run); elsewhere OpenSSL with a reused
// context.
double ShaEachEntrySeconds(const Entries& e) {
  auto t0 = Clock::now();
  uint8_t x = 0;
  for (size_t i = 0; i < e.count(); ++i) x ^= crypto::Sha256Parts({e[i]})[0];
  auto t1 = Clock::now();
  g_sink = g_sink ^ x;
  return Seconds(t0, t1);
}

// (a): LeafHash + Append in batches of 1,024 (as the ledger service appends
// the entries of one write transaction), into a fresh tree.
double AppendSeconds(const Entries& e) {
  constexpr size_t kBatch = 1024;
  ledger::Tree tree;
  std::vector<ledger::Hash> batch(kBatch);
  auto t0 = Clock::now();
  for (size_t start = 0; start < e.count(); start += kBatch) {
    const size_t end = std::min(e.count(), start + kBatch);
    for (size_t i = start; i < end; ++i) batch[i - start] = ledger::LeafHash(e[i]);
    for (size_t i = start; i < end; ++i) tree.Append(batch[i - start]);
  }
  g_sink = g_sink ^ tree.Root()[0];
  auto t1 = Clock::now();
  return Seconds(t0, t1);
}

void AppendBenchmark(const Entries& e) {
  std::vector<double> tree_s, sha_s;
  for (int run = 0; run < kRuns; ++run) {
    tree_s.push_back(AppendSeconds(e));
    sha_s.push_back(ShaEachEntrySeconds(e));
  }
  const double n = static_cast<double>(e.count());
  Report("ledger_append_entries_per_s", n / Best(tree_s), "entries/s", n / Best(sha_s));
}

void ProofBenchmark(uint64_t size, int samples, std::mt19937_64& rng) {
  ledger::Tree tree;
  tree.Reserve(size);
  // Leaf hashes need not come from SHA-256 here: only the proof is timed.
  ledger::Hash leaf{};
  for (uint64_t i = 0; i < size; ++i) {
    std::memcpy(leaf.data(), &i, sizeof i);
    tree.Append(leaf);
  }
  // Three rounds of `samples` proofs of random leaves; the p99 of the least
  // disturbed round (on a shared machine a round's tail is mostly other
  // processes taking the core).
  double p99 = 0;
  size_t hashes = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<double> ns;
    ns.reserve(samples);
    for (int s = 0; s < samples; ++s) {
      const uint64_t index = rng() % size;
      auto t0 = Clock::now();
      auto proof = tree.InclusionProof(index, size);
      auto t1 = Clock::now();
      hashes += proof->size();
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
    std::sort(ns.begin(), ns.end());
    const double round_p99 = ns[ns.size() * 99 / 100];
    p99 = round == 0 ? round_p99 : std::min(p99, round_p99);
  }
  // Reference: ceil(log2 n) chained NodeHash computations.
  const int depth = std::bit_width(size - 1);
  ledger::Hash h = tree.Root();
  const double node_ns =
      MedianNanosPerCall(200, 256, [&](size_t) { h = ledger::NodeHash(h, leaf); });
  g_sink = g_sink ^ h[0] ^ static_cast<uint8_t>(hashes);
  Report("ledger_inclusion_proof_p99_" + std::to_string(size), p99, "ns", node_ns * depth);
}

// (c): the log as `cloison verify` reads it, served from memory so that no
// I/O is timed: every resource TilesForSize lists (hash tiles from HashTile
// over the tree, entry bundles from EncodeEntryBundle, as Ledger::ExportTiles
// writes them) and the signed checkpoint, built once before timing.
class MemoryLog final : public ledger::TileSource {
 public:
  explicit MemoryLog(const Entries& e) : signer_(ledger::GenerateSigner("bench.cloison.example")) {
    ledger::Tree tree;
    tree.Reserve(e.count());
    for (size_t i = 0; i < e.count(); ++i) tree.Append(ledger::LeafHash(e[i]));
    for (const ledger::TileId& id : ledger::TilesForSize(e.count())) {
      std::string data;
      if (id.entries) {
        std::vector<std::string> batch;
        for (uint64_t i = id.index * ledger::kTileWidth; batch.size() < id.width; ++i)
          batch.emplace_back(reinterpret_cast<const char*>(e[i].data()), e[i].size());
        data = Check(ledger::EncodeEntryBundle(batch));
      } else {
        data = Check(ledger::HashTile(tree, id));
      }
      files_.emplace(ledger::TilePath(id), std::move(data));
    }
    root_ = tree.Root();
    ledger::Note note{ledger::FormatCheckpoint({signer_.name, e.count(), root_, {}}), {}};
    ledger::SignNote(note, signer_);
    files_.emplace("checkpoint", ledger::FormatNote(note));
  }

  // A copy, as any source hands the verifier a buffer of its own.
  Result<std::string> Fetch(std::string_view path) override {
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return Status::NotFound(std::string(path) + ": not in the bench log");
    return it->second;
  }

  ledger::Verifier key() const { return ledger::VerifierOf(signer_); }
  const ledger::Hash& root() const { return root_; }

 private:
  template <typename T>
  static T Check(Result<T> r) {
    if (!r.ok()) {
      std::fprintf(stderr, "ledger bench: building the log: %s\n", r.status().message().c_str());
      std::exit(1);
    }
    return std::move(*r);
  }

  ledger::Signer signer_;
  std::unordered_map<std::string, std::string> files_;
  ledger::Hash root_{};
};

// ledger::VerifyLog as `cloison verify` runs it (no saved state): the
// checkpoint's signature, every level-0 tile against its entry bundle, every
// upper tile, the root. A failed verification stops the benchmark: a figure
// for a verifier that gave up early would be meaningless.
double VerifySeconds(MemoryLog& log, const ledger::Verifier& key, size_t count) {
  auto t0 = Clock::now();
  auto report = ledger::VerifyLog(log, key, "", std::nullopt);
  auto t1 = Clock::now();
  if (!report.ok() || report->entries != count || report->checkpoint.root != log.root()) {
    std::fprintf(stderr, "ledger bench: VerifyLog: %s\n",
                 report.ok() ? "wrong entry count or root" : report.status().message().c_str());
    std::exit(1);
  }
  g_sink = g_sink ^ report->checkpoint.root[0];
  return Seconds(t0, t1);
}

double StreamedShaSeconds(const Entries& e) {
  auto t0 = Clock::now();
  crypto::Digest d = crypto::Sha256(e.bytes);
  auto t1 = Clock::now();
  g_sink = g_sink ^ d[0];
  return Seconds(t0, t1);
}

void VerifyBenchmark(const Entries& e) {
  MemoryLog log(e);
  const ledger::Verifier key = log.key();
  std::vector<double> verify_s, sha_s, stream_s;
  for (int run = 0; run < kRuns; ++run) {
    verify_s.push_back(VerifySeconds(log, key, e.count()));
    sha_s.push_back(ShaEachEntrySeconds(e));
    stream_s.push_back(StreamedShaSeconds(e));
  }
  const double mb = static_cast<double>(e.bytes.size()) / 1e6;
  const double verify = mb / Best(verify_s);
  Report("ledger_full_verify_mb_per_s", verify, "MB/s", mb / Best(sha_s));
  Report("ledger_full_verify_vs_streamed_sha256", verify, "MB/s", mb / Best(stream_s));
}

}  // namespace

void LedgerBenchmarks(const Options& options) {
  std::mt19937_64 rng(9162);
  const Entries entries = MakeEntries(options.quick ? 200'000 : 1'000'000, rng);
  AppendBenchmark(entries);
  VerifyBenchmark(entries);
  ProofBenchmark(options.quick ? 1'000'000 : 10'000'000, options.quick ? 20'000 : 100'000, rng);
}

}  // namespace cloison::bench
