#include "authz/gate.h"

#include <algorithm>

#include "rules/evaluator.h"

namespace cloison::authz {
namespace {

constexpr uint8_t Bit(rules::ItemKind k) {
  return static_cast<uint8_t>(1u << static_cast<unsigned>(k));
}
static_assert(rules::kItemKindCount <= 8, "the kind mask is 8 bits");

Violation Make(std::string_view rule, const rules::Cite& cite, std::string what) {
  if (!cite.article.empty()) what += " (" + cite.article + ")";
  return Violation{std::string(rule), cite.article, std::move(what)};
}

}  // namespace

std::string_view GateAnswerName(GateAnswer a) {
  switch (a) {
    case GateAnswer::kAllowed:
      return "allowed";
    case GateAnswer::kUnknownAuthorisation:
      return "unknown_authorisation";
    case GateAnswer::kNotInForce:
      return "not_in_force";
    case GateAnswer::kKindNotCollected:
      return "kind_not_collected";
    case GateAnswer::kInFuture:
      return "in_future";
  }
  return "unknown";
}

void IngestGate::Upsert(const Authorisation& a, const rules::Technique& technique) {
  Entry e;
  e.starts_us = ToMicros(a.starts_at);
  Time end = a.ends_at;
  if (a.terminated_at) end = std::min(end, *a.terminated_at);
  e.ends_us = ToMicros(end);
  e.kinds = rules::KindMask(technique);
  switch (a.state) {
    case AuthorisationState::kApproved:
    case AuthorisationState::kEmergencyApproval:
    case AuthorisationState::kAwaitingConseilEtat:  // starts_at is after the ruling
    case AuthorisationState::kExpired:              // still admits what was collected in time
      e.runnable = true;
      break;
    case AuthorisationState::kCancelled:
      e.runnable = a.terminated_at.has_value();
      break;
    case AuthorisationState::kSuspended:
      e.runnable = false;
      break;
  }
  e.technique = technique.id;
  entries_.insert_or_assign(a.id, std::move(e));
}

void IngestGate::Erase(std::string_view authorisation_id) {
  auto it = entries_.find(authorisation_id);
  if (it != entries_.end()) entries_.erase(it);
}

GateAnswer IngestGate::Check(std::string_view authorisation_id, rules::ItemKind kind,
                             Time collected_at, Time now, Duration max_skew) const {
  auto it = entries_.find(authorisation_id);
  if (it == entries_.end()) return GateAnswer::kUnknownAuthorisation;
  if (collected_at > now + max_skew) return GateAnswer::kInFuture;
  const Entry& e = it->second;
  if ((e.kinds & Bit(kind)) == 0) return GateAnswer::kKindNotCollected;
  int64_t t = ToMicros(collected_at);
  if (!e.runnable || t < e.starts_us || t >= e.ends_us) return GateAnswer::kNotInForce;
  return GateAnswer::kAllowed;
}

std::vector<Violation> IngestGate::Explain(const rules::Rulebook& book, GateAnswer answer,
                                           std::string_view authorisation_id, rules::ItemKind kind,
                                           Time collected_at, Time now) const {
  std::vector<Violation> out;
  // L. 821-1: a technique runs only under the PM's prior authorisation.
  const rules::Cite& prior = book.authorisation.conseil_etat_cite;
  const std::string id(authorisation_id);
  auto it = entries_.find(authorisation_id);
  switch (answer) {
    case GateAnswer::kAllowed:
      break;
    case GateAnswer::kUnknownAuthorisation:
      out.push_back(Make("gate.unknown_authorisation", prior,
                         "authorisation: got " + id + ", want an authorisation in force"));
      break;
    case GateAnswer::kInFuture:
      out.push_back(Make("gate.in_future", prior,
                         "collected_at: got " + FormatTime(collected_at) + ", want <= " +
                             FormatTime(now) + " (the collection time is in the future)"));
      break;
    case GateAnswer::kKindNotCollected: {
      const rules::Technique* t =
          it == entries_.end() ? nullptr : book.FindTechnique(it->second.technique);
      std::string want;
      if (t != nullptr) {
        for (rules::ItemKind k : t->kinds) {
          if (!want.empty()) want += ", ";
          want += rules::ItemKindName(k);
        }
      }
      out.push_back(Make("gate.kind", t != nullptr ? t->cite : prior,
                         "kind: got " + std::string(rules::ItemKindName(kind)) + " under " +
                             (t != nullptr ? t->id : id) + ", want one of [" + want + "]"));
      break;
    }
    case GateAnswer::kNotInForce: {
      std::string want = "an authorisation in force at the collection time";
      if (it != entries_.end()) {
        const Entry& e = it->second;
        want = e.runnable ? "between " + FormatTime(FromMicros(e.starts_us)) + " and " +
                                FormatTime(FromMicros(e.ends_us))
                          : "an authorisation that is not suspended or cancelled";
      }
      out.push_back(Make(
          "gate.not_in_force", prior,
          "collected_at: got " + FormatTime(collected_at) + " under " + id + ", want " + want));
      break;
    }
  }
  return out;
}

}  // namespace cloison::authz
