// The ingest-gate question "may an item of kind K under authorisation A be
// collected at time t?" (target: median < 1 µs), beside a plain hash-map
// lookup of the same keys, the physical floor of any answer keyed by id.
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "authz/gate.h"
#include "bench.h"

namespace cloison::bench {

void GateBenchmarks(const Options& options) {
  const int n_auth = options.quick ? 10000 : 100000;
  const int samples = options.quick ? 2000 : 20000;
  constexpr int kBatch = 256;

  rules::Technique tech;
  tech.id = "L852-1-I";
  tech.kinds = {rules::ItemKind::kCorrespondence, rules::ItemKind::kConnectionData};
  Time t0 = *ParseTime("2025-03-01T00:00:00Z");

  authz::IngestGate gate;
  gate.Reserve(n_auth);
  // The reference map uses heterogeneous lookup too, so neither side pays for
  // building a std::string per query.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> plain;
  plain.reserve(n_auth);
  std::vector<std::string> ids;
  ids.reserve(n_auth);
  std::mt19937_64 rng(7);
  for (int i = 0; i < n_auth; ++i) {
    authz::Authorisation a;
    a.id = "auth_" + std::to_string(rng());
    a.technique = tech.id;
    a.state = authz::AuthorisationState::kApproved;
    a.starts_at = t0 + std::chrono::hours(rng() % 2000);
    a.ends_at = a.starts_at + std::chrono::hours(24 * 120);
    gate.Upsert(a, tech);
    plain.emplace(a.id, ToMicros(a.starts_at));
    ids.push_back(a.id);
  }
  // Queries: random ids (cache-unfriendly, like real traffic), kinds and times.
  struct Query {
    std::string_view id;
    rules::ItemKind kind;
    Time at;
  };
  std::vector<Query> queries(1 << 16);
  for (auto& q : queries) {
    q.id = ids[rng() % ids.size()];
    q.kind = static_cast<rules::ItemKind>(rng() % rules::kItemKindCount);
    q.at = t0 + std::chrono::hours(rng() % 4000);
  }
  Time now = t0 + std::chrono::hours(5000);
  const size_t mask = queries.size() - 1;

  volatile int64_t sink = 0;
  double gate_ns = MedianNanosPerCall(samples, kBatch, [&](size_t i) {
    const Query& q = queries[i & mask];
    sink = sink + static_cast<int>(gate.Check(q.id, q.kind, q.at, now, std::chrono::seconds(5)));
  });
  double map_ns = MedianNanosPerCall(samples, kBatch, [&](size_t i) {
    const Query& q = queries[i & mask];
    auto it = plain.find(q.id);
    sink = sink + (it == plain.end() ? 0 : it->second);
  });
  Report("ingest_gate_decision_median", gate_ns, "ns", map_ns);
  (void)sink;
}

}  // namespace cloison::bench
