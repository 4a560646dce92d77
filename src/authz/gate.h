// The ingest gate (PRODUCT.md invariant 2): may an item of kind K under
// authorisation A, collected at time t, be accepted? It answers from a compact
// copy of each authorisation (when it runs, whether its state lets it run, what
// its technique collects), kept in a hash map keyed by authorisation id.
//
// Check() is the hot path: one hash lookup, no allocation, an enum answer.
// Explain() is the slow path that turns a refusal into violations citing the
// rulebook's articles, for the 422 answer and the ledger.
//
// Thread safety: not thread-safe. Check() and Explain() are const and may run
// concurrently with each other, but never with Upsert(), Erase() or Clear();
// a caller that updates the gate while serving ingest wraps it in a
// std::shared_mutex (shared for Check, exclusive for updates).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "authz/model.h"
#include "base/time.h"
#include "rules/rulebook.h"

namespace cloison::authz {

enum class GateAnswer : uint8_t {
  kAllowed,
  kUnknownAuthorisation,  // no such authorisation (or erased)
  kNotInForce,            // collected outside [starts_at, ends_at), or suspended/cancelled
  kKindNotCollected,      // the technique does not collect this kind of data
  kInFuture,              // collected_at later than now + max_skew
};
std::string_view GateAnswerName(GateAnswer a);

class IngestGate {
 public:
  IngestGate() = default;

  // Adds or replaces the entry of `a` (by a.id). `technique` is the rulebook
  // entry of a.technique; its kinds say what items the authorisation admits.
  // A cancelled authorisation with terminated_at keeps admitting items
  // collected before the termination; suspended or cancelled without a
  // termination time admits nothing.
  void Upsert(const Authorisation& a, const rules::Technique& technique);
  void Erase(std::string_view authorisation_id);
  void Clear() { entries_.clear(); }
  size_t size() const { return entries_.size(); }
  void Reserve(size_t n) { entries_.reserve(n); }

  // The hot path. Order of the answers: unknown authorisation, in the future,
  // kind not collected, not in force. Allocates nothing.
  GateAnswer Check(std::string_view authorisation_id, rules::ItemKind kind, Time collected_at,
                   Time now, Duration max_skew) const;

  // The slow path: the violations behind a refusal (empty for kAllowed), each
  // with its rule id (gate.*) and the article from `book`.
  std::vector<Violation> Explain(const rules::Rulebook& book, GateAnswer answer,
                                 std::string_view authorisation_id, rules::ItemKind kind,
                                 Time collected_at, Time now) const;

 private:
  struct Entry {
    int64_t starts_us = 0;  // first instant items may be collected
    int64_t ends_us = 0;    // first instant they may not
    uint8_t kinds = 0;      // bit k set: ItemKind k is collected
    bool runnable = false;  // the state lets the technique run at all
    std::string technique;  // for Explain only
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

}  // namespace cloison::authz
