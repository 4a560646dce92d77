// Deadlines and facts the rulebook implies for one technique: what it may
// collect and when each item must be destroyed (L. 822-2). Pure functions of
// the rulebook and the times passed in; no clock, no I/O. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "base/status.h"
#include "base/time.h"
#include "rules/rulebook.h"

namespace cloison::rules {

// True if `t` may collect items of `kind`.
bool Collects(const Technique& t, ItemKind kind);

// One bit per kind the technique collects: bit i is set for the kind whose
// enum value is i (1 << static_cast<int>(kind)).
uint8_t KindMask(const Technique& t);

// When an item of `kind` collected at `collected_at` must be destroyed at the
// latest (L. 822-2 I): the technique's retention period for that kind,
// counted from collection. For a rule counted from decryption, the item is
// taken as never decrypted: the deadline is its ceiling (or the rulebook's
// encrypted ceiling) from collection. InvalidArgument if the technique does
// not collect `kind` or has no retention rule for it.
Result<Time> DestroyBy(const Rulebook& book, const Technique& t, ItemKind kind, Time collected_at);

// Encrypted data (L. 822-2 I): the period of its kind runs from decryption
// and never beyond the encrypted ceiling (6 years) after collection. With no
// decryption yet, the deadline is the ceiling from collection.
Result<Time> EncryptedDestroyBy(const Rulebook& book, const Technique& t, ItemKind kind,
                                Time collected_at, std::optional<Time> decrypted_at);

// Data kept for research and development (L. 822-2 III): at the latest
// rnd.max_retention after collection (5 years; 2 in the strict profile).
Time RndDestroyBy(const Rulebook& book, Time collected_at);

// Data found unrelated to the target: destroyed at once, and at the latest
// this long after collection (L. 852-3, L. 851-6 (sec.), L. 852-1 II (sec.)).
// nullopt when the technique sets no such limit (its retention applies).
std::optional<Time> UnrelatedDestroyBy(const Technique& t, Time collected_at);

}  // namespace cloison::rules
