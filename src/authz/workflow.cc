// The authorisation workflow of CSI Book VIII (L. 821-1 to L. 821-7 and the
// technique articles), as pure functions. Every number and every article
// comes from the rulebook; the rule ids are listed in doc/rules.md.
#include "authz/workflow.h"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

namespace cloison::authz {
namespace {

using rules::Cite;
using rules::Period;
using rules::Rulebook;
using rules::Service;
using rules::Technique;

constexpr auto kDay = std::chrono::hours(24);

// A violation whose message ends with the article, as STYLE.md asks:
// "duration_days: got 31, want <= 30 (L. 852-3)".
Violation Make(std::string_view rule, const Cite& cite, std::string what) {
  std::string message = std::move(what);
  if (!cite.article.empty()) message += " (" + cite.article + ")";
  return Violation{std::string(rule), cite.article, std::move(message)};
}

// The first cite that names an article: a technique may leave a specific
// cite empty and rely on the general rule's.
const Cite& Or(const Cite& preferred, const Cite& fallback) {
  return preferred.article.empty() ? fallback : preferred;
}

bool Contains(const std::vector<std::string>& list, std::string_view x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

std::string Join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

bool IsZero(const Period& p) {
  return p.months == 0 && p.days == 0 && p.hours == 0;
}

bool IsRenewal(const RequestDraft& draft) {
  return !draft.renews.empty();
}

// The longest authorisation for this technique: first or renewal, or the
// general 4 months (L. 821-4) when the technique sets none.
const Period& MaxPeriod(const Rulebook& book, const Technique& t, bool renewal) {
  const Period& p = renewal ? t.max_renewal : t.max_first;
  if (!IsZero(p)) return p;
  if (renewal && !IsZero(t.max_first)) return t.max_first;
  return book.authorisation.max_default;
}

const Cite& DurationCite(const Rulebook& book, const Technique& t) {
  return Or(t.duration_cite, book.authorisation.max_default_cite);
}

// Whole days in `p` counted from `from` (the cap shown in messages).
int64_t WholeDays(const Period& p, Time from) {
  return std::chrono::floor<std::chrono::days>(p.After(from) - from).count();
}

// The technique version in force at `at`, or the latest one (so that a
// request for a technique out of force can still be described).
struct TechniqueLookup {
  const Technique* in_force = nullptr;
  const Technique* any = nullptr;
};
TechniqueLookup LookupTechnique(const Rulebook& book, std::string_view id, Time at) {
  TechniqueLookup r;
  r.in_force = book.FindTechnique(id, at);
  r.any = r.in_force != nullptr ? r.in_force : book.FindTechnique(id);
  return r;
}

bool InsideWindow(const rules::LegalWindow& w, Time at) {
  Date d = DateOf(at);
  return d >= w.start && d <= w.sunset;
}

// The first instant after the technique's legal window and validity, if any:
// no authorisation runs beyond a sunset (L. 852-3).
std::optional<Time> HardEnd(const Technique& t) {
  std::optional<Time> end;
  auto take = [&end](Date last_day) {
    Time after = StartOf(Date(std::chrono::sys_days(last_day) + std::chrono::days(1)));
    if (!end || after < *end) end = after;
  };
  if (t.window) take(t.window->sunset);
  if (t.validity.until) take(*t.validity.until);
  return end;
}

// L. 821-5: absolute urgency is open to this request (purposes, technique,
// protected professions). Violations go to `out` when it is not null.
bool UrgencyOpen(const Rulebook& book, const RequestDraft& draft, const Technique* t,
                 std::vector<Violation>* out) {
  bool open = true;
  for (const auto& p : draft.purposes) {
    if (!Contains(book.urgency.purposes, p)) {
      open = false;
      if (out) {
        out->push_back(Make(
            "urgency.purpose", book.urgency.cite,
            "purposes: got " + p + " with urgency, want one of " + Join(book.urgency.purposes)));
      }
    }
  }
  if (t != nullptr && !t->urgency_eligible) {
    open = false;
    if (out) {
      out->push_back(Make("urgency.technique", Or(t->urgency_cite, book.urgency.cite),
                          "urgency: got true for technique " + t->id +
                              ", want false (no absolute urgency for this technique)"));
    }
  }
  if (draft.protected_profession && book.protected_professions.urgency_forbidden) {
    open = false;
    if (out) {
      out->push_back(Make("urgency.protected_profession", book.protected_professions.cite,
                          "urgency: got true for a protected profession, want false"));
    }
  }
  return open;
}

void CheckContent(const Rulebook& book, const RequestDraft& d, std::vector<Violation>& out) {
  const Cite& cite = book.authorisation.request_content_cite;
  auto missing = [&](std::string_view field, std::string_view want) {
    out.push_back(Make("request.content", cite,
                       std::string(field) + ": got empty, want " + std::string(want)));
  };
  if (d.service.empty()) missing("service", "the requesting service");
  if (d.minister.empty()) missing("minister", "the minister who signs the request");
  if (d.technique.empty()) missing("technique", "the technique asked for");
  if (d.purposes.empty()) missing("purposes", "at least one purpose");
  if (d.targets.empty()) missing("targets", "at least one person, place or vehicle");
  for (size_t i = 0; i < d.targets.size(); ++i) {
    const std::string field = "targets[" + std::to_string(i) + "]";
    if (d.targets[i].type.empty()) missing(field + ".type", "the kind of target");
    if (d.targets[i].value.empty()) missing(field + ".value", "the target or its identifier");
  }
  if (d.grounds.empty()) missing("grounds", "the grounds of the request");
  if (d.duration_days <= 0) {
    out.push_back(Make("request.content", cite,
                       "duration_days: got " + std::to_string(d.duration_days) + ", want > 0"));
  }
}

void CheckRenewal(const Rulebook& book, const RequestDraft& d, const Authorisation* renewed,
                  std::vector<Violation>& out) {
  if (!IsRenewal(d)) return;
  const Cite& cite = book.authorisation.renewal_reasons_cite;
  if (d.renewal_reasons.empty()) {
    out.push_back(Make("request.renewal_reasons", cite,
                       "renewal_reasons: got empty, want why renewal is justified"));
  }
  if (renewed == nullptr || renewed->id != d.renews) {
    out.push_back(Make("request.renewed_authorisation", cite,
                       "renews: got " + d.renews + ", want an existing authorisation"));
    return;
  }
  if (renewed->technique != d.technique || renewed->service != d.service) {
    out.push_back(Make("request.renewed_authorisation", cite,
                       "renews: got an authorisation of " + renewed->technique + " for " +
                           renewed->service + ", want one of " + d.technique + " for " +
                           d.service));
  }
}

// The service: known, in force, signed by its own minister, and allowed this
// technique and these purposes by its circle and decree (L. 811-2, L. 811-4).
const Service* CheckService(const Rulebook& book, const RequestDraft& d, Time now,
                            std::vector<Violation>& out) {
  if (d.service.empty()) return nullptr;
  const Service* s = book.FindService(d.service, now);
  if (s == nullptr) {
    const Service* any = book.FindService(d.service);
    if (any == nullptr) {
      out.push_back(Make("request.unknown_service", book.authorisation.request_content_cite,
                         "service: got " + d.service + ", want a service of the rulebook"));
      return nullptr;
    }
    out.push_back(
        Make("service.not_in_force", Or(any->cite, book.authorisation.request_content_cite),
             "service: got " + d.service + ", not designated on " + FormatDate(DateOf(now))));
    s = any;
  }
  if (!d.minister.empty() && book.FindMinister(d.minister) == nullptr) {
    out.push_back(Make("request.unknown_minister", book.authorisation.request_content_cite,
                       "minister: got " + d.minister + ", want a minister of the rulebook"));
  } else if (!d.minister.empty() && d.minister != s->minister) {
    out.push_back(Make("service.minister", book.authorisation.request_content_cite,
                       "minister: got " + d.minister + ", want " + s->minister +
                           " (the minister of " + s->id + ")"));
  }
  return s;
}

void CheckServiceTechnique(const Rulebook& book, const Service& s, const Technique& t,
                           const RequestDraft& d, std::vector<Violation>& out) {
  if (s.circle >= 2 && !t.second_circle_allowed) {
    out.push_back(
        Make("service.circle", Or(t.second_circle_cite, t.cite),
             "service: got " + s.id + " (second circle), want a first-circle service for " + t.id));
  }
  // First circle: an empty list means every technique and purpose. Second
  // circle: only what its decree lists.
  bool restrict_techniques = s.circle >= 2 || !s.techniques.empty();
  bool restrict_purposes = s.circle >= 2 || !s.purposes.empty();
  const Cite& cite = Or(s.cite, book.authorisation.request_content_cite);
  if (restrict_techniques && !Contains(s.techniques, t.id)) {
    out.push_back(Make(
        "service.decree", cite,
        "technique: got " + t.id + " for " + s.id + ", want one of [" + Join(s.techniques) + "]"));
  }
  if (restrict_purposes) {
    for (const auto& p : d.purposes) {
      if (!Contains(s.purposes, p)) {
        out.push_back(Make(
            "service.decree", cite,
            "purposes: got " + p + " for " + s.id + ", want one of [" + Join(s.purposes) + "]"));
      }
    }
  }
}

void CheckPurposes(const Rulebook& book, const RequestDraft& d, Time now,
                   std::vector<Violation>& out) {
  for (const auto& p : d.purposes) {
    if (book.FindPurpose(p, now) != nullptr) continue;
    const rules::Purpose* any = book.FindPurpose(p);
    if (any == nullptr) {
      out.push_back(Make("request.unknown_purpose", book.authorisation.request_content_cite,
                         "purposes: got " + p + ", want a purpose of the rulebook"));
    } else {
      out.push_back(Make("purpose.not_in_force",
                         Or(any->cite, book.authorisation.request_content_cite),
                         "purposes: got " + p + ", not in force on " + FormatDate(DateOf(now))));
    }
  }
}

void CheckTechnique(const Rulebook& book, const RequestDraft& d, const Technique& t, bool in_force,
                    Time now, std::vector<Violation>& out) {
  bool outside_window = t.window && !InsideWindow(*t.window, now);
  if (outside_window) {
    out.push_back(Make("technique.window", t.window->cite,
                       "date: got " + FormatDate(DateOf(now)) + ", want between " +
                           FormatDate(t.window->start) + " and " + FormatDate(t.window->sunset)));
  } else if (!in_force) {
    out.push_back(Make("technique.not_in_force", t.cite,
                       "technique: got " + t.id + ", not in force on " + FormatDate(DateOf(now))));
  }
  if (!t.purposes.empty()) {
    for (const auto& p : d.purposes) {
      if (!Contains(t.purposes, p)) {
        out.push_back(Make("technique.purpose", Or(t.purposes_cite, t.cite),
                           "purposes: got " + p + ", want one of " + Join(t.purposes)));
      }
    }
  }
  if (t.requires_subsidiarity && d.subsidiarity.empty()) {
    out.push_back(Make("technique.subsidiarity", Or(t.subsidiarity_cite, t.cite),
                       "subsidiarity: got empty, want why interception under the operators "
                       "cannot be used"));
  }
  if (!d.deferred_centralisation_reason.empty() && !t.deferred_centralisation_allowed) {
    out.push_back(Make("technique.deferred_centralisation", Or(t.deferred_cite, t.cite),
                       "deferred_centralisation_reason: got a reason for " + t.id +
                           ", want empty (centralisation at collection)"));
  }
  if (d.duration_days > 0) {
    bool renewal = IsRenewal(d);
    const Period& max = MaxPeriod(book, t, renewal);
    if (now + d.duration_days * kDay > max.After(now)) {
      out.push_back(Make(renewal ? "duration.renewal" : "duration.first", DurationCite(book, t),
                         "duration_days: got " + std::to_string(d.duration_days) +
                             ", want <= " + std::to_string(WholeDays(max, now))));
    }
  }
}

// The deemed or given opinion's formation, checked for protected professions
// and collegial techniques.
void CheckFormation(const Rulebook& book, const RequestDraft& d, const Technique* t,
                    Formation formation, std::vector<Violation>& out) {
  if (d.protected_profession && book.protected_professions.plenary_required &&
      formation != Formation::kPlenary) {
    out.push_back(Make("opinion.formation", book.protected_professions.cite,
                       "formation: got " + std::string(FormationName(formation)) +
                           ", want plenary (protected profession)"));
    return;
  }
  if (t != nullptr && t->requires_collegial_opinion && formation == Formation::kSingle) {
    out.push_back(Make("opinion.formation", Or(t->collegial_cite, book.opinion.cite),
                       "formation: got single, want restricted or plenary for " + t->id));
  }
}

bool NeedsCollegial(const Rulebook& book, const RequestDraft& d, const Technique* t) {
  return (d.protected_profession && book.protected_professions.plenary_required) ||
         (t != nullptr && t->requires_collegial_opinion);
}

void CheckQuotaRoom(const Technique& t, const RequestDraft& d, const QuotaView& view,
                    std::vector<Violation>& out) {
  if (!t.quota_required) return;
  const Cite& cite = Or(t.quota_cite, t.cite);
  if (view.quota == nullptr) {
    out.push_back(Make("quota.unset", cite,
                       "quota: got none for " + t.id + ", want a quota decision by the PM"));
    return;
  }
  const Quota& q = *view.quota;
  auto allocated = q.allocation.find(d.minister);
  int share = allocated == q.allocation.end() ? 0 : allocated->second;
  auto counted = view.in_force.find(d.minister);
  int mine = counted == view.in_force.end() ? 0 : counted->second;
  if (mine >= share) {
    out.push_back(Make("quota.minister", cite,
                       "in_force[" + d.minister + "] for " + t.id + ": got " +
                           std::to_string(mine) + ", want < " + std::to_string(share) +
                           " (allocation of " + d.minister + ")"));
  }
  int total = 0;
  for (const auto& [minister, n] : view.in_force) total += n;
  if (total >= q.limit) {
    out.push_back(Make("quota.total", cite,
                       "in_force for " + t.id + ": got " + std::to_string(total) + ", want < " +
                           std::to_string(q.limit) + " (limit)"));
  }
}

}  // namespace

std::vector<Violation> CheckRequest(const Rulebook& book, const RequestDraft& draft,
                                    const Authorisation* renewed, Time now) {
  std::vector<Violation> out;
  CheckContent(book, draft, out);
  CheckRenewal(book, draft, renewed, out);
  const Service* service = CheckService(book, draft, now, out);
  CheckPurposes(book, draft, now, out);

  const Technique* t = nullptr;
  if (!draft.technique.empty()) {
    TechniqueLookup found = LookupTechnique(book, draft.technique, now);
    if (found.any == nullptr) {
      out.push_back(
          Make("request.unknown_technique", book.authorisation.request_content_cite,
               "technique: got " + draft.technique + ", want a technique of the rulebook"));
    } else {
      t = found.any;
      CheckTechnique(book, draft, *t, found.in_force != nullptr, now, out);
    }
  }
  if (service != nullptr && t != nullptr) CheckServiceTechnique(book, *service, *t, draft, out);
  if (draft.urgency) UrgencyOpen(book, draft, t, &out);
  return out;
}

Time OpinionDue(const Rulebook& book, const RequestDraft& draft, Time created_at) {
  const Technique* t = LookupTechnique(book, draft.technique, created_at).any;
  const Period& p = NeedsCollegial(book, draft, t) ? book.opinion.deadline_collegial
                                                   : book.opinion.deadline_single;
  return p.After(created_at);
}

std::vector<Violation> CheckOpinion(const Rulebook& book, const Request& request,
                                    Verdict /*verdict*/, Formation formation) {
  std::vector<Violation> out;
  const Technique* t = LookupTechnique(book, request.draft.technique, request.created_at).any;
  CheckFormation(book, request.draft, t, formation, out);
  return out;
}

std::optional<Opinion> EffectiveOpinion(const Request& request, Time now) {
  if (request.opinion && request.opinion->at <= now) return request.opinion;
  if (now >= request.opinion_due) {
    // L. 821-3: no opinion in time, the opinion is deemed given.
    Opinion deemed;
    deemed.verdict = Verdict::kFavourable;
    deemed.formation = Formation::kSingle;
    deemed.at = request.opinion_due;
    deemed.deemed = true;
    return deemed;
  }
  return std::nullopt;
}

DecisionOutcome Decide(const Rulebook& book, const Request& request, const DecisionInput& input,
                       const Authorisation* renewed, const QuotaView& quota, Time now) {
  DecisionOutcome outcome;
  if (!input.grant) return outcome;  // the PM may always refuse; that is no violation
  const RequestDraft& d = request.draft;

  // The law may have changed since the request: check it again as of now.
  outcome.violations = CheckRequest(book, d, renewed, now);
  const Technique* t = LookupTechnique(book, d.technique, now).any;
  auto& out = outcome.violations;

  Authorisation a;
  a.request = request.id;
  a.technique = d.technique;
  a.service = d.service;
  a.minister = d.minister;
  a.purposes = d.purposes;
  a.granted_at = now;
  a.starts_at = now;
  a.renews = d.renews;

  std::optional<Opinion> opinion = EffectiveOpinion(request, now);
  if (!opinion) {
    // L. 821-5: without an opinion, only under absolute urgency (its
    // violations, if any, were listed by CheckRequest).
    if (!d.urgency) {
      out.push_back(Make("opinion.missing", book.opinion.cite,
                         "opinion: got none before " + FormatTime(request.opinion_due) +
                             ", want the CNCTR's opinion or absolute urgency"));
    } else if (UrgencyOpen(book, d, t, nullptr)) {
      a.state = AuthorisationState::kEmergencyApproval;
      a.urgency = true;
      a.justification_due = book.urgency.justification_due.After(now);
    } else {
      out.push_back(Make("opinion.missing", book.opinion.cite,
                         "opinion: got none before " + FormatTime(request.opinion_due) +
                             ", want the CNCTR's opinion (urgency not open to this request)"));
    }
  } else {
    if (opinion->deemed) {
      // L. 853-3: an express opinion of the restricted or plenary formation.
      if (t != nullptr && t->requires_collegial_opinion) {
        out.push_back(Make("opinion.express", Or(t->collegial_cite, book.opinion.cite),
                           "opinion: got deemed given, want an express opinion of the "
                           "restricted or plenary formation for " +
                               t->id));
      }
    } else {
      CheckFormation(book, d, t, opinion->formation, out);
    }
    a.state = AuthorisationState::kApproved;
    if (opinion->verdict == Verdict::kUnfavourable) {
      // L. 821-4: written reasons; L. 821-1: the Conseil d'État rules first.
      if (input.reasons.empty()) {
        out.push_back(Make("decision.override_reasons", book.authorisation.override_cite,
                           "reasons: got empty, want why the unfavourable opinion is not "
                           "followed"));
      }
      a.state = AuthorisationState::kAwaitingConseilEtat;
      a.conseil_etat_due = book.authorisation.conseil_etat_ruling.After(now);
      if (input.immediate_execution) {
        if (!d.urgency) {
          out.push_back(Make("decision.immediate_execution", book.authorisation.conseil_etat_cite,
                             "immediate_execution: got true without urgency, want a duly "
                             "justified urgency"));
        }
      } else {
        a.starts_at = *a.conseil_etat_due;
      }
    }
  }

  if (t != nullptr) {
    CheckQuotaRoom(*t, d, quota, out);
    // A renewal takes over when the renewed authorisation ends.
    if (IsRenewal(d) && renewed != nullptr && renewed->id == d.renews &&
        renewed->ends_at > a.starts_at) {
      a.starts_at = renewed->ends_at;
    }
    Time cap = MaxPeriod(book, *t, IsRenewal(d)).After(a.starts_at);
    a.ends_at = std::min(a.starts_at + std::max(d.duration_days, 0) * kDay, cap);
    if (std::optional<Time> hard = HardEnd(*t); hard && *hard < a.ends_at) {
      a.ends_at = *hard;
      bool reported = std::any_of(out.begin(), out.end(),
                                  [](const Violation& v) { return v.rule == "technique.window"; });
      if (a.ends_at <= a.starts_at && !reported) {
        const Cite& cite = t->window ? t->window->cite : t->cite;
        out.push_back(Make(
            "technique.window", cite,
            "starts_at: got " + FormatTime(a.starts_at) + ", want before " + FormatTime(*hard)));
      }
    }
  }

  if (out.empty()) outcome.authorisation = std::move(a);
  return outcome;
}

AuthorisationState StateAt(const Authorisation& a, Time now) {
  if (a.terminated_at && *a.terminated_at <= now) return AuthorisationState::kCancelled;
  switch (a.state) {
    case AuthorisationState::kSuspended:
    case AuthorisationState::kCancelled:
    case AuthorisationState::kExpired:
      return a.state;
    case AuthorisationState::kAwaitingConseilEtat:
      if (now >= a.ends_at) return AuthorisationState::kExpired;
      if (a.conseil_etat_due && now >= *a.conseil_etat_due) return AuthorisationState::kApproved;
      return a.state;
    case AuthorisationState::kEmergencyApproval:
    case AuthorisationState::kApproved:
      if (now >= a.ends_at) return AuthorisationState::kExpired;
      return a.state;
  }
  return a.state;
}

namespace {
bool Granted(AuthorisationState s) {
  return s == AuthorisationState::kApproved || s == AuthorisationState::kEmergencyApproval ||
         s == AuthorisationState::kAwaitingConseilEtat;
}
}  // namespace

bool InForce(const Authorisation& a, Time now) {
  // An authorisation awaiting the Conseil d'État has starts_at at the ruling,
  // unless immediate execution was ordered (L. 821-1).
  return Granted(StateAt(a, now)) && a.starts_at <= now && now < a.ends_at;
}

bool CountsTowardQuota(const Authorisation& a, Time now) {
  AuthorisationState s = StateAt(a, now);
  return (Granted(s) || s == AuthorisationState::kSuspended) && now < a.ends_at;
}

bool JustificationLate(const Authorisation& a, Time now) {
  if (!a.urgency || !a.justification_due) return false;
  if (a.justified_at) return *a.justified_at > *a.justification_due;
  return now > *a.justification_due;
}

std::vector<Violation> CheckQuota(const Rulebook& book, const Quota& quota) {
  std::vector<Violation> out;
  const Technique* t = book.FindTechnique(quota.technique);
  if (t == nullptr || !t->quota_required) {
    // Cite where quotas come from: the first technique that has one.
    Cite cite = t != nullptr ? t->cite : book.authorisation.request_content_cite;
    for (const auto& other : book.techniques) {
      if (other.quota_required) {
        cite = Or(other.quota_cite, other.cite);
        break;
      }
    }
    out.push_back(
        Make("quota.technique", cite,
             "technique: got " + quota.technique + ", want a technique that has a quota"));
    return out;
  }
  const Cite& cite = Or(t->quota_cite, t->cite);
  if (quota.limit < 0) {
    out.push_back(
        Make("quota.limit", cite, "limit: got " + std::to_string(quota.limit) + ", want >= 0"));
  }
  long long sum = 0;
  for (const auto& [minister, n] : quota.allocation) {
    if (book.FindMinister(minister) == nullptr) {
      out.push_back(
          Make("quota.unknown_minister", cite,
               "allocation: got minister " + minister + ", want a minister of the rulebook"));
    }
    if (n < 0) {
      out.push_back(Make("quota.allocation", cite,
                         "allocation[" + minister + "]: got " + std::to_string(n) + ", want >= 0"));
    }
    sum += n;
  }
  if (sum > quota.limit) {
    out.push_back(Make("quota.allocation", cite,
                       "allocation: got a total of " + std::to_string(sum) +
                           ", want <= " + std::to_string(quota.limit) + " (limit)"));
  }
  if (quota.cnctr_opinion_ref.empty()) {
    out.push_back(Make("quota.opinion_ref", cite,
                       "cnctr_opinion_ref: got empty, want the CNCTR opinion the quota "
                       "follows"));
  }
  return out;
}

}  // namespace cloison::authz
