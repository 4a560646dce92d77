// The workflow's rules as pure functions: given the rulebook, the facts and
// the time, say what the law allows. No I/O, no clock: `now` is passed in.
// A legal "no" is a list of violations (rule id, article, message); a
// non-OK Status means the input itself was unusable.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "authz/model.h"
#include "base/status.h"
#include "rules/rulebook.h"

namespace cloison::authz {

// Checks a request as submitted (L. 821-2 content; the technique's purposes,
// services, circle, subsidiarity, deferred centralisation, duration caps first
// vs renewal; urgency eligibility; protected professions). `renewed` is the
// authorisation named by draft.renews, or nullptr.
std::vector<Violation> CheckRequest(const rules::Rulebook& book, const RequestDraft& draft,
                                    const Authorisation* renewed, Time now);

// When the CNCTR's opinion is due: 24 h, or 72 h when the restricted or
// plenary formation must examine it (L. 821-3, L. 821-7, L. 853-3).
Time OpinionDue(const rules::Rulebook& book, const RequestDraft& draft, Time created_at);

// Checks an opinion against the request: plenary for protected professions
// (L. 821-7), restricted or plenary where the technique requires it.
std::vector<Violation> CheckOpinion(const rules::Rulebook& book, const Request& request,
                                    Verdict verdict, Formation formation);

// The opinion in effect at `now`: the given one, or a deemed favourable one
// once opinion_due has passed with none (L. 821-3), or nothing yet.
std::optional<Opinion> EffectiveOpinion(const Request& request, Time now);

// Authorisations in force per minister for one technique, and the quota.
// `in_force` counts the authorisations for which CountsTowardQuota is true at
// the decision time: granted and not ended, started or not (awaiting the
// Conseil d'État, a renewal waiting for its predecessor's end), suspended
// included. A renewal therefore needs a free slot of its own. Rule ids of
// every check: doc/rules.md.
struct QuotaView {
  const Quota* quota = nullptr;                // nullptr: no quota decision yet
  std::map<std::string, int> in_force;         // minister -> count
};

// The PM's decision. On grant with no violation, `authorisation` holds the new
// authorisation (id left empty for the caller to fill). A refusal by the PM is
// not a violation: `violations` is empty and `authorisation` is empty.
struct DecisionOutcome {
  std::vector<Violation> violations;
  std::optional<Authorisation> authorisation;
};
DecisionOutcome Decide(const rules::Rulebook& book, const Request& request,
                       const DecisionInput& input, const Authorisation* renewed,
                       const QuotaView& quota, Time now);

// The state at `now`, with expiry derived: an approved authorisation whose
// ends_at has passed is expired; an awaiting_conseil_etat one becomes approved
// once conseil_etat_due passes (the ruling is recorded separately).
AuthorisationState StateAt(const Authorisation& a, Time now);
// In force: the technique may run at `now` (approved or emergency, started, not ended).
bool InForce(const Authorisation& a, Time now);
// Counts toward quotas at `now` (granted and not ended, whether started or not).
bool CountsTowardQuota(const Authorisation& a, Time now);

// Urgency justification received late (more than 24 h after the grant): flagged.
bool JustificationLate(const Authorisation& a, Time now);

// Validates a quota decision (allocation sums to at most limit, known
// minister ids, technique has quota_required, opinion reference given).
std::vector<Violation> CheckQuota(const rules::Rulebook& book, const Quota& quota);

}  // namespace cloison::authz
