// Retention: when each item must be destroyed (L. 822-2) and which bucket
// it lives in until then. Pure functions of the rulebook and the times
// passed in: no clock, no I/O. Thread-safe.
//
// Every deadline carries the rule id and the article it comes from, so the
// ingest event and the destruction record can cite them (PRODUCT.md
// invariant 7).
//
// Buckets (PRODUCT.md, Keys): an item's data key is wrapped by the key of
// the bucket (compartment x day) of its deadline. The bucket day is the UTC
// day of the deadline (floor) and the bucket is destroyed as soon as that
// day has started: an item is destroyed at most 24 h before its deadline,
// and never after it provided a sweep runs between the start of that day and
// the deadline (the server sweeps on a schedule much shorter than a day).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"
#include "rules/rulebook.h"

namespace cloison::retention {

// Rule ids (stable; they appear in events and destruction records).
inline constexpr std::string_view kRuleKind = "retention.kind";
inline constexpr std::string_view kRuleEncrypted = "retention.encrypted";
inline constexpr std::string_view kRuleTechnicalAnalysis = "retention.technical_analysis";
inline constexpr std::string_view kRuleUnrelated = "retention.unrelated";
inline constexpr std::string_view kRuleRnd = "retention.rnd";
inline constexpr std::string_view kRuleRecommendation = "retention.recommendation";

struct Deadline {
  Time destroy_by;
  std::string rule;     // one of the kRule* ids
  std::string article;  // "L. 822-2 I 1°"
  bool operator==(const Deadline&) const = default;
};

// L. 822-2 I 1° to 3°: the period of the item's kind from collection.
// InvalidArgument naming `kind` when the technique does not collect it.
Result<Deadline> ForKind(const rules::Rulebook& book, const rules::Technique& t,
                         rules::ItemKind kind, Time collected_at);

// L. 822-2 I, encrypted data: the period of its kind from decryption, never
// beyond the encrypted ceiling (6 years) after collection. With no
// decryption recorded yet, the ceiling. A decryption time before the
// collection counts as the collection.
Result<Deadline> ForEncrypted(const rules::Rulebook& book, const rules::Technique& t,
                              rules::ItemKind kind, Time collected_at,
                              std::optional<Time> decrypted_at);

// L. 822-2 I, the technical-analysis exception (elements of a cyber-attack,
// encrypted data and what was decrypted from it): kept beyond the periods
// only as far as strictly needed, never to watch the persons concerned. The
// justification is mandatory and the end explicit; the end is capped at the
// encrypted ceiling from collection. InvalidArgument naming `justification`
// (empty) or `until` (not after `now`).
Result<Deadline> ForTechnicalAnalysis(const rules::Rulebook& book, const rules::Technique& t,
                                      rules::ItemKind kind, Time collected_at, Time until,
                                      std::string_view justification, Time now);

// Data found unrelated to the target (L. 852-3, L. 851-6 (sec.), L. 852-1 II
// (sec.)): destroyed at once, and at the latest the technique's unrelated
// limit after collection. The deadline returned is that limit (or the kind's
// deadline when the technique sets none, citing its article); the caller
// destroys now and records whether it was late.
Result<Deadline> ForUnrelated(const rules::Rulebook& book, const rules::Technique& t,
                              rules::ItemKind kind, Time collected_at);

// L. 822-2 III: R&D copies at most rnd.max_retention after the original
// collection (5 years; 2 in the strict profile).
Deadline ForRnd(const rules::Rulebook& book, Time collected_at);

// Buckets.
// The bucket day of a deadline: its UTC date (floor).
Date BucketDay(Time destroy_by);
// The instant a bucket of that day is due: the start of the day (UTC).
Time BucketDue(Date day);
// True when the bucket of `day` must be destroyed at `now`.
bool IsDue(Date day, Time now);
// The largest deadline whose bucket is due at `now` (the end of today, UTC,
// minus one microsecond): a sweep destroys every item whose deadline is at
// or before it.
Time LastDueDeadline(Time now);

// Compartments: [A-Za-z0-9._-]{1,64} (vault/bucket_key.h). A technique id
// with other characters has them replaced by '_'; an empty one is "_".
std::string Compartment(std::string_view technique);
// A hold's own compartment ("hold-<id>"), an R&D programme's ("rnd-<id>").
std::string HoldCompartment(std::string_view hold_id);
std::string RndCompartment(std::string_view programme_id);

}  // namespace cloison::retention
