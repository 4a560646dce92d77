#include "retention/retention.h"

#include <algorithm>
#include <chrono>

#include "rules/evaluator.h"

namespace cloison::retention {
namespace {

Result<const rules::Retention*> RetentionOf(const rules::Technique& t, rules::ItemKind kind) {
  if (!rules::Collects(t, kind) || t.FindRetention(kind) == nullptr)
    return Status::InvalidArgument("kind: got \"" + std::string(rules::ItemKindName(kind)) +
                                   "\", want a kind " + t.id + " collects with a retention rule");
  return t.FindRetention(kind);
}

std::string SanitiseCompartment(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    out.push_back(ok ? c : '_');
    if (out.size() == 64) break;
  }
  if (out.empty()) out = "_";
  return out;
}

}  // namespace

Result<Deadline> ForKind(const rules::Rulebook& book, const rules::Technique& t,
                         rules::ItemKind kind, Time collected_at) {
  ASSIGN_OR_RETURN(const rules::Retention* r, RetentionOf(t, kind));
  ASSIGN_OR_RETURN(Time by, rules::DestroyBy(book, t, kind, collected_at));
  // A rule counted from decryption is the encrypted rule (L. 822-2 I).
  if (r->counted_from == "decryption")
    return Deadline{by, std::string(kRuleEncrypted), book.encrypted_cite.article};
  return Deadline{by, std::string(kRuleKind), r->cite.article};
}

Result<Deadline> ForEncrypted(const rules::Rulebook& book, const rules::Technique& t,
                              rules::ItemKind kind, Time collected_at,
                              std::optional<Time> decrypted_at) {
  ASSIGN_OR_RETURN(Time by, rules::EncryptedDestroyBy(book, t, kind, collected_at, decrypted_at));
  return Deadline{by, std::string(kRuleEncrypted), book.encrypted_cite.article};
}

Result<Deadline> ForTechnicalAnalysis(const rules::Rulebook& book, const rules::Technique& t,
                                      rules::ItemKind kind, Time collected_at, Time until,
                                      std::string_view justification, Time now) {
  bool blank = std::all_of(justification.begin(), justification.end(),
                           [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
  if (blank)
    return Status::InvalidArgument(
        "justification: missing, want why technical analysis needs "
        "the data (" +
        book.encrypted_cite.article + ")");
  if (until <= now)
    return Status::InvalidArgument("until: got " + FormatTime(until) + ", want after " +
                                   FormatTime(now));
  ASSIGN_OR_RETURN(Time ceiling, rules::EncryptedDestroyBy(book, t, kind, collected_at, {}));
  return Deadline{std::min(until, ceiling), std::string(kRuleTechnicalAnalysis),
                  book.encrypted_cite.article};
}

Result<Deadline> ForUnrelated(const rules::Rulebook& book, const rules::Technique& t,
                              rules::ItemKind kind, Time collected_at) {
  ASSIGN_OR_RETURN(Deadline by_kind, ForKind(book, t, kind, collected_at));
  std::optional<Time> limit = rules::UnrelatedDestroyBy(t, collected_at);
  if (!limit) return by_kind;
  return Deadline{std::min(*limit, by_kind.destroy_by), std::string(kRuleUnrelated),
                  t.unrelated_cite.article};
}

Deadline ForRnd(const rules::Rulebook& book, Time collected_at) {
  return Deadline{rules::RndDestroyBy(book, collected_at), std::string(kRuleRnd),
                  book.rnd.cite.article};
}

Date BucketDay(Time destroy_by) {
  return DateOf(destroy_by);
}

Time BucketDue(Date day) {
  return StartOf(day);
}

bool IsDue(Date day, Time now) {
  return now >= BucketDue(day);
}

Time LastDueDeadline(Time now) {
  Date next = std::chrono::sys_days(DateOf(now)) + std::chrono::days(1);
  return StartOf(next) - Duration(1);
}

std::string Compartment(std::string_view technique) {
  return SanitiseCompartment(technique);
}

std::string HoldCompartment(std::string_view hold_id) {
  return SanitiseCompartment("hold-" + std::string(hold_id));
}

std::string RndCompartment(std::string_view programme_id) {
  return SanitiseCompartment("rnd-" + std::string(programme_id));
}

}  // namespace cloison::retention
