#include "rules/evaluator.h"

#include <algorithm>
#include <string>

namespace cloison::rules {
namespace {

Result<const Retention*> RetentionFor(const Technique& t, ItemKind kind) {
  if (!Collects(t, kind)) {
    return Status::InvalidArgument("kind: got \"" + std::string(ItemKindName(kind)) +
                                   "\", want a kind " + t.id + " collects (" + t.cite.article +
                                   ")");
  }
  const Retention* r = t.FindRetention(kind);
  if (r == nullptr) {
    return Status::InvalidArgument("kind: \"" + std::string(ItemKindName(kind)) +
                                   "\" has no retention rule in " + t.id +
                                   ", want one (L. 822-2 I)");
  }
  return r;
}

// The latest an encrypted item may be kept, counted from collection.
Time Ceiling(const Rulebook& book, const Retention& r, Time collected_at) {
  Time t = book.encrypted_ceiling.After(collected_at);
  if (r.ceiling) t = std::min(t, r.ceiling->After(collected_at));
  return t;
}

}  // namespace

bool Collects(const Technique& t, ItemKind kind) {
  return std::find(t.kinds.begin(), t.kinds.end(), kind) != t.kinds.end();
}

uint8_t KindMask(const Technique& t) {
  uint8_t mask = 0;
  for (ItemKind k : t.kinds) mask |= static_cast<uint8_t>(1u << static_cast<unsigned>(k));
  return mask;
}

Result<Time> DestroyBy(const Rulebook& book, const Technique& t, ItemKind kind, Time collected_at) {
  ASSIGN_OR_RETURN(const Retention* r, RetentionFor(t, kind));
  if (r->counted_from == "decryption") return Ceiling(book, *r, collected_at);
  Time deadline = r->period.After(collected_at);
  if (r->ceiling) deadline = std::min(deadline, r->ceiling->After(collected_at));
  return deadline;
}

Result<Time> EncryptedDestroyBy(const Rulebook& book, const Technique& t, ItemKind kind,
                                Time collected_at, std::optional<Time> decrypted_at) {
  ASSIGN_OR_RETURN(const Retention* r, RetentionFor(t, kind));
  Time ceiling = Ceiling(book, *r, collected_at);
  if (!decrypted_at) return ceiling;
  return std::min(ceiling, r->period.After(std::max(*decrypted_at, collected_at)));
}

Time RndDestroyBy(const Rulebook& book, Time collected_at) {
  return book.rnd.max_retention.After(collected_at);
}

std::optional<Time> UnrelatedDestroyBy(const Technique& t, Time collected_at) {
  if (!t.unrelated_max) return std::nullopt;
  return t.unrelated_max->After(collected_at);
}

}  // namespace cloison::rules
