#include "service/workflow.h"

#include <algorithm>

#include "authz/workflow.h"
#include "base/utf8.h"
#include "crypto/sha256.h"
#include "service/codec.h"
#include "service/event.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr const char* kRequest = "request";
constexpr const char* kAuthorisation = "authorisation";
constexpr const char* kQuota = "quota";
constexpr const char* kPrincipal = "principal";

store::Record RecordOf(const authz::Request& r) {
  store::Record rec;
  rec.kind = kRequest;
  rec.id = r.id;
  rec.state = std::string(authz::RequestStateName(r.state));
  rec.technique = r.draft.technique;
  rec.minister = r.draft.minister;
  rec.service = r.draft.service;
  rec.starts_at = ToMicros(r.created_at);
  rec.body = json::serialize(ToJson(r));
  return rec;
}

store::Record RecordOf(const authz::Authorisation& a) {
  store::Record rec;
  rec.kind = kAuthorisation;
  rec.id = a.id;
  rec.state = std::string(authz::AuthorisationStateName(a.state));
  rec.technique = a.technique;
  rec.minister = a.minister;
  rec.service = a.service;
  rec.starts_at = ToMicros(a.starts_at);
  rec.ends_at = ToMicros(a.ends_at);
  rec.body = json::serialize(ToJson(a));
  return rec;
}

store::Record RecordOf(const authz::Quota& q) {
  store::Record rec;
  rec.kind = kQuota;
  rec.id = q.technique;
  rec.technique = q.technique;
  rec.body = json::serialize(ToJson(q));
  return rec;
}

store::Record RecordOf(const Principal& p) {
  store::Record rec;
  rec.kind = kPrincipal;
  rec.id = p.id;
  rec.state = std::string(RoleName(p.role));
  rec.minister = p.minister;
  rec.service = p.service;
  rec.body = json::serialize(ToJson(p));
  return rec;
}

json::array ViolationRefs(const std::vector<rules::Violation>& vs) {
  // The ledger cites rules and articles; the full messages stay in the record.
  json::array a;
  for (const auto& v : vs) a.push_back(json::object{{"rule", v.rule}, {"article", v.article}});
  return a;
}

Status Require(const Principal& actor, std::initializer_list<Role> roles, std::string_view what) {
  for (Role r : roles)
    if (actor.role == r) return Status::Ok();
  return Status::PermissionDenied("role " + std::string(RoleName(actor.role)) + " may not " +
                                  std::string(what));
}

Result<authz::Request> LoadRequest(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kRequest, id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound) return Status::NotFound("request: no request " + id);
    return rec.status();
  }
  return RequestFromJson(rec->body);
}

Result<authz::Authorisation> LoadAuthorisation(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kAuthorisation, id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound)
      return Status::NotFound("authorisation: no authorisation " + id);
    return rec.status();
  }
  return AuthorisationFromJson(rec->body);
}

// The states an authorisation is stored in while it may still count.
const std::vector<std::string>& LiveStates() {
  static const std::vector<std::string> kLive = {
      std::string(authz::AuthorisationStateName(authz::AuthorisationState::kApproved)),
      std::string(authz::AuthorisationStateName(authz::AuthorisationState::kEmergencyApproval)),
      std::string(authz::AuthorisationStateName(authz::AuthorisationState::kAwaitingConseilEtat)),
  };
  return kLive;
}

}  // namespace

Workflow::Workflow(store::Store& store, const rules::Rulebook& book, const Clock& clock,
                   IdGenerator& ids)
    : store_(store), book_(book), clock_(clock), ids_(ids) {}

Result<Principal> Workflow::AddPrincipal(Principal p) {
  if (p.name.empty()) return Status::InvalidArgument("name: missing");
  // Its record is JSON, which is UTF-8: a name given on a command line may
  // not be.
  if (!IsUtf8(p.name)) return Status::InvalidArgument("name: not UTF-8");
  if (p.role == Role::kServiceAgent || p.role == Role::kRndAgent) {
    if (p.service.empty()) return Status::InvalidArgument("service: required for this role");
    if (!book_.FindService(p.service))
      return Status::InvalidArgument("service: got \"" + p.service + "\", not in the rulebook");
  }
  if (p.role == Role::kMinister) {
    if (p.minister.empty()) return Status::InvalidArgument("minister: required for role minister");
    if (!book_.FindMinister(p.minister))
      return Status::InvalidArgument("minister: got \"" + p.minister + "\", not in the rulebook");
  }
  p.id = ids_.Next("prn");
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"principal.added", "system", p.id}, rec,
                              {{"role", std::string(RoleName(p.role))},
                               {"service", p.service},
                               {"minister", p.minister}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return p;
}

Result<Principal> Workflow::GetPrincipal(const std::string& id) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  auto rec = tx->Get(kPrincipal, id);
  if (!rec.ok()) return rec.status();
  return PrincipalFromJson(rec->body);
}

Result<Outcome<authz::Request>> Workflow::SubmitRequest(const Principal& actor,
                                                        const authz::RequestDraft& draft) {
  RETURN_IF_ERROR(Require(actor, {Role::kServiceAgent, Role::kMinister}, "submit requests"));
  if (actor.role == Role::kServiceAgent && actor.service != draft.service)
    return Status::PermissionDenied("service: an agent of " + actor.service +
                                    " may not draft for " + draft.service);
  if (actor.role == Role::kMinister && actor.minister != draft.minister)
    return Status::PermissionDenied("minister: the " + actor.minister + " minister may not sign for " +
                                    draft.minister);
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  const authz::Authorisation* renewed_ptr = nullptr;
  authz::Authorisation renewed;
  if (!draft.renews.empty()) {
    auto r = LoadAuthorisation(*tx, draft.renews);
    if (!r.ok() && r.status().code() != Code::kNotFound) return r.status();
    if (r.ok()) {
      renewed = std::move(r).value();
      renewed_ptr = &renewed;
    }
  }
  authz::Request req;
  req.id = ids_.Next("req");
  req.draft = draft;
  req.drafted_by = actor.id;
  req.created_at = now;
  req.opinion_due = authz::OpinionDue(book_, draft, now);
  std::vector<rules::Violation> violations = authz::CheckRequest(book_, draft, renewed_ptr, now);
  if (!violations.empty()) {
    req.state = authz::RequestState::kRefused;
    req.decision = authz::DecisionRecord{false, "refused on submission", false, "system", now, violations};
  }
  store::Record rec = RecordOf(req);
  RETURN_IF_ERROR(tx->Put(rec));
  json::object data{{"technique", draft.technique},
                    {"service", draft.service},
                    {"minister", draft.minister},
                    {"duration_days", draft.duration_days},
                    {"urgency", draft.urgency},
                    {"protected_profession", draft.protected_profession},
                    {"renews", draft.renews},
                    {"opinion_due", FormatTime(req.opinion_due)}};
  if (violations.empty()) {
    RETURN_IF_ERROR(
        AppendEvent(*tx, clock_, now, {"request.submitted", actor.id, req.id}, rec, std::move(data))
            .status());
  } else {
    data["violations"] = ViolationRefs(violations);
    RETURN_IF_ERROR(
        AppendEvent(*tx, clock_, now, {"request.refused", actor.id, req.id}, rec, std::move(data))
            .status());
  }
  RETURN_IF_ERROR(tx->Commit());
  return Outcome<authz::Request>{std::move(req), std::move(violations)};
}

Result<authz::Request> Workflow::Withdraw(const Principal& actor, const std::string& request_id) {
  RETURN_IF_ERROR(Require(actor, {Role::kServiceAgent, Role::kMinister}, "withdraw requests"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(authz::Request req, LoadRequest(*tx, request_id));
  if ((actor.role == Role::kServiceAgent && actor.service != req.draft.service) ||
      (actor.role == Role::kMinister && actor.minister != req.draft.minister))
    return Status::PermissionDenied("request " + req.id + " belongs to another service or ministry");
  if (req.state != authz::RequestState::kAwaitingOpinion &&
      req.state != authz::RequestState::kOpinionGiven)
    return Status::FailedPrecondition("request " + req.id + " is " +
                                      std::string(authz::RequestStateName(req.state)) +
                                      ", want awaiting_opinion or opinion_given");
  req.state = authz::RequestState::kWithdrawn;
  store::Record rec = RecordOf(req);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(
      AppendEvent(*tx, clock_, now, {"request.withdrawn", actor.id, req.id}, rec, {}).status());
  RETURN_IF_ERROR(tx->Commit());
  return req;
}

Result<Outcome<authz::Request>> Workflow::GiveOpinion(const Principal& actor,
                                                      const std::string& request_id,
                                                      authz::Verdict verdict,
                                                      authz::Formation formation,
                                                      const std::string& reasons) {
  RETURN_IF_ERROR(Require(actor, {Role::kCnctr}, "give opinions"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(authz::Request req, LoadRequest(*tx, request_id));
  // A deemed opinion is only written down when a decision relies on it, so
  // a request still awaiting_opinion has none: the CNCTR may still give it.
  if (req.state != authz::RequestState::kAwaitingOpinion) {
    return Status::FailedPrecondition("request " + req.id + " is " +
                                      std::string(authz::RequestStateName(req.state)) +
                                      ", want awaiting_opinion");
  }
  if (req.drafted_by == actor.id)
    return Status::PermissionDenied("separation of duties: the drafter may not give the opinion");
  auto violations = authz::CheckOpinion(book_, req, verdict, formation);
  if (!violations.empty()) return Outcome<authz::Request>{std::move(req), std::move(violations)};
  // An opinion after the deadline is recorded, but the deemed one was already
  // in effect from the deadline (L. 821-3); the event says it was late.
  bool late = now > req.opinion_due;
  req.opinion = authz::Opinion{verdict, formation, reasons, actor.id, now, false};
  req.state = authz::RequestState::kOpinionGiven;
  store::Record rec = RecordOf(req);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"opinion.given", actor.id, req.id}, rec,
                              {{"verdict", std::string(authz::VerdictName(verdict))},
                               {"formation", std::string(authz::FormationName(formation))},
                               {"late", late}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return Outcome<authz::Request>{std::move(req), {}};
}

Result<authz::QuotaView> Workflow::LoadQuotaView(store::ReadTx& tx, const std::string& technique,
                                                 authz::Quota& quota_storage, Time now) {
  authz::QuotaView view;
  auto q = tx.Get(kQuota, technique);
  if (q.ok()) {
    ASSIGN_OR_RETURN(quota_storage, QuotaFromJson(q->body));
    view.quota = &quota_storage;
  } else if (q.status().code() != Code::kNotFound) {
    return q.status();
  }
  store::Filter f;
  f.kind = kAuthorisation;
  f.technique = technique;
  f.states = LiveStates();
  f.ends_after = ToMicros(now);
  ASSIGN_OR_RETURN(auto recs, tx.List(f));
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(auto a, AuthorisationFromJson(rec.body));
    if (authz::CountsTowardQuota(a, now)) ++view.in_force[a.minister];
  }
  return view;
}

Result<Outcome<Decided>> Workflow::Decide(const Principal& actor, const std::string& request_id,
                                          const authz::DecisionInput& input) {
  RETURN_IF_ERROR(Require(actor, {Role::kPm}, "decide on requests"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(authz::Request req, LoadRequest(*tx, request_id));
  if (req.state != authz::RequestState::kAwaitingOpinion &&
      req.state != authz::RequestState::kOpinionGiven) {
    return Status::FailedPrecondition("request " + req.id + " is " +
                                      std::string(authz::RequestStateName(req.state)) +
                                      ", want awaiting_opinion or opinion_given");
  }
  // Separation of duties (PRODUCT.md): never draft and authorise, nor give
  // the opinion and authorise.
  if (req.drafted_by == actor.id)
    return Status::PermissionDenied("separation of duties: the drafter may not decide");
  if (req.opinion && req.opinion->by == actor.id)
    return Status::PermissionDenied("separation of duties: the opinion's author may not decide");

  authz::Authorisation renewed;
  const authz::Authorisation* renewed_ptr = nullptr;
  if (!req.draft.renews.empty()) {
    auto r = LoadAuthorisation(*tx, req.draft.renews);
    if (r.ok()) {
      renewed = std::move(r).value();
      renewed_ptr = &renewed;
    } else if (r.status().code() != Code::kNotFound) {
      return r.status();
    }
  }
  authz::Quota quota;
  ASSIGN_OR_RETURN(authz::QuotaView view, LoadQuotaView(*tx, req.draft.technique, quota, now));
  authz::DecisionOutcome out = authz::Decide(book_, req, input, renewed_ptr, view, now);

  // A deemed opinion becomes part of the record the moment it is relied on.
  if (!req.opinion) {
    if (auto eff = authz::EffectiveOpinion(req, now)) req.opinion = *eff;
  }
  req.decision = authz::DecisionRecord{input.grant, input.reasons, input.immediate_execution,
                                       actor.id, now, out.violations};
  std::optional<authz::Authorisation> auth;
  std::string event_type;
  json::object data{{"grant", input.grant},
                    {"immediate_execution", input.immediate_execution},
                    {"technique", req.draft.technique},
                    {"minister", req.draft.minister}};
  if (!out.violations.empty()) {
    req.state = authz::RequestState::kRefused;
    event_type = "decision.refused_by_law";
    data["violations"] = ViolationRefs(out.violations);
  } else if (!input.grant) {
    req.state = authz::RequestState::kRefused;
    event_type = "decision.refused";
  } else {
    if (!out.authorisation) return Status::Internal("authz::Decide granted without an authorisation");
    auth = std::move(out.authorisation);
    auth->id = ids_.Next("auth");
    req.state = authz::RequestState::kGranted;
    req.authorisation = auth->id;
    event_type = "decision.granted";
    data["authorisation"] = auth->id;
    data["state"] = std::string(authz::AuthorisationStateName(auth->state));
    data["starts_at"] = FormatTime(auth->starts_at);
    data["ends_at"] = FormatTime(auth->ends_at);
  }
  store::Record rec = RecordOf(req);
  RETURN_IF_ERROR(tx->Put(rec));
  if (req.opinion && req.opinion->deemed) data["opinion_deemed"] = true;
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {event_type, actor.id, req.id}, rec, std::move(data))
                      .status());
  if (auth) {
    store::Record arec = RecordOf(*auth);
    RETURN_IF_ERROR(tx->Put(arec));
    RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"authorisation.issued", actor.id, auth->id}, arec,
                                {{"request", req.id},
                                 {"technique", auth->technique},
                                 {"service", auth->service},
                                 {"minister", auth->minister},
                                 {"state", std::string(authz::AuthorisationStateName(auth->state))},
                                 {"starts_at", FormatTime(auth->starts_at)},
                                 {"ends_at", FormatTime(auth->ends_at)}})
                        .status());
  }
  RETURN_IF_ERROR(tx->Commit());
  auto violations = req.decision->violations;
  return Outcome<Decided>{Decided{std::move(req), std::move(auth)}, std::move(violations)};
}

Result<Outcome<authz::Quota>> Workflow::SetQuota(const Principal& actor, const authz::Quota& input) {
  RETURN_IF_ERROR(Require(actor, {Role::kPm}, "set quotas"));
  authz::Quota q = input;
  q.set_by = actor.id;
  auto violations = authz::CheckQuota(book_, q);
  if (!violations.empty()) return Outcome<authz::Quota>{std::move(q), std::move(violations)};
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  q.set_at = now;
  store::Record rec = RecordOf(q);
  RETURN_IF_ERROR(tx->Put(rec));
  json::object alloc;
  for (const auto& [m, n] : q.allocation) alloc[m] = n;
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"quota.set", actor.id, q.technique}, rec,
                              {{"limit", q.limit},
                               {"allocation", std::move(alloc)},
                               {"cnctr_opinion_ref", q.cnctr_opinion_ref}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return Outcome<authz::Quota>{std::move(q), {}};
}

Result<authz::Authorisation> Workflow::Terminate(const Principal& actor,
                                                 const std::string& authorisation_id,
                                                 const std::string& reasons) {
  RETURN_IF_ERROR(Require(actor, {Role::kPm}, "terminate authorisations"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(authz::Authorisation a, LoadAuthorisation(*tx, authorisation_id));
  auto state = authz::StateAt(a, now);
  if (state == authz::AuthorisationState::kCancelled || state == authz::AuthorisationState::kExpired)
    return Status::FailedPrecondition("authorisation " + a.id + " is already " +
                                      std::string(authz::AuthorisationStateName(state)));
  a.state = authz::AuthorisationState::kCancelled;
  a.terminated_at = now;
  if (a.ends_at > now) a.ends_at = now;
  store::Record rec = RecordOf(a);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"authorisation.terminated", actor.id, a.id}, rec,
                              {{"technique", a.technique},
                               {"reasons_sha256", crypto::Hex(crypto::Sha256(reasons))}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return a;
}

Result<authz::Authorisation> Workflow::JustifyUrgency(const Principal& actor,
                                                      const std::string& authorisation_id,
                                                      const std::string& reasons) {
  RETURN_IF_ERROR(Require(actor, {Role::kPm}, "justify urgencies"));
  if (reasons.empty()) return Status::InvalidArgument("reasons: missing");
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(authz::Authorisation a, LoadAuthorisation(*tx, authorisation_id));
  if (!a.urgency) return Status::FailedPrecondition("authorisation " + a.id + " was not an urgency");
  if (a.justified_at) return Status::FailedPrecondition("authorisation " + a.id + " is already justified");
  bool late = authz::JustificationLate(a, now);
  a.justified_at = now;
  store::Record rec = RecordOf(a);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"urgency.justified", actor.id, a.id}, rec,
                              {{"late", late},
                               {"justification_due", a.justification_due
                                                         ? FormatTime(*a.justification_due)
                                                         : std::string()}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return a;
}

Result<authz::Authorisation> Workflow::RecordConseilEtatRuling(const Principal& actor,
                                                              const std::string& authorisation_id,
                                                              bool upheld,
                                                              const std::string& case_ref) {
  RETURN_IF_ERROR(Require(actor, {Role::kPm}, "record Conseil d'État rulings"));
  if (case_ref.empty()) return Status::InvalidArgument("case: missing");
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(authz::Authorisation a, LoadAuthorisation(*tx, authorisation_id));
  if (a.state != authz::AuthorisationState::kAwaitingConseilEtat)
    return Status::FailedPrecondition("authorisation " + a.id + " is " +
                                      std::string(authz::AuthorisationStateName(a.state)) +
                                      ", want awaiting_conseil_etat");
  if (upheld) {
    a.state = authz::AuthorisationState::kApproved;
    // The technique may start once the ruling is given (L. 821-1).
    if (a.starts_at > now) {
      auto length = a.ends_at - a.starts_at;
      a.starts_at = now;
      a.ends_at = now + length;
    }
  } else {
    a.state = authz::AuthorisationState::kCancelled;
    a.terminated_at = now;
    if (a.ends_at > now) a.ends_at = now;
    if (a.starts_at > now) a.starts_at = now;
  }
  store::Record rec = RecordOf(a);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"conseil_etat.ruled", actor.id, a.id}, rec,
                              {{"upheld", upheld},
                               {"case", case_ref},
                               {"starts_at", FormatTime(a.starts_at)},
                               {"ends_at", FormatTime(a.ends_at)}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return a;
}

Result<int> Workflow::ExpireDue() {
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  // Read the clock once the write lock is held, so that commit order and
  // time order agree (a decision never counts quotas at an earlier instant
  // than a decision committed before it).
  Time now = clock_.Now();
  store::Filter f;
  f.kind = kAuthorisation;
  f.states = LiveStates();
  ASSIGN_OR_RETURN(auto recs, tx->List(f));
  int expired = 0;
  for (const auto& r : recs) {
    if (r.ends_at > ToMicros(now)) continue;
    ASSIGN_OR_RETURN(auto a, AuthorisationFromJson(r.body));
    if (authz::StateAt(a, now) != authz::AuthorisationState::kExpired) continue;
    a.state = authz::AuthorisationState::kExpired;
    store::Record rec = RecordOf(a);
    RETURN_IF_ERROR(tx->Put(rec));
    RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"authorisation.expired", "system", a.id}, rec,
                                {{"technique", a.technique}, {"ends_at", FormatTime(a.ends_at)}})
                        .status());
    ++expired;
  }
  RETURN_IF_ERROR(tx->Commit());
  return expired;
}

Result<authz::Request> Workflow::GetRequest(const std::string& id) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(authz::Request req, LoadRequest(*tx, id));
  if (!req.opinion) {
    if (auto eff = authz::EffectiveOpinion(req, clock_.Now())) req.opinion = *eff;
  }
  return req;
}

Result<std::vector<authz::Request>> Workflow::ListRequests(std::optional<authz::RequestState> state,
                                                          const Page& page) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  store::Filter f;
  f.kind = kRequest;
  f.after_id = page.after_id;
  f.limit = page.limit;
  if (state) f.states = {std::string(authz::RequestStateName(*state))};
  ASSIGN_OR_RETURN(auto recs, tx->List(f));
  std::vector<authz::Request> out;
  out.reserve(recs.size());
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(auto r, RequestFromJson(rec.body));
    out.push_back(std::move(r));
  }
  return out;
}

Result<authz::Authorisation> Workflow::GetAuthorisation(const std::string& id) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(authz::Authorisation a, LoadAuthorisation(*tx, id));
  a.state = authz::StateAt(a, clock_.Now());
  return a;
}

Result<std::vector<authz::Authorisation>> Workflow::ListAuthorisations(
    std::optional<authz::AuthorisationState> state, const Page& page) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  Time now = clock_.Now();
  std::vector<authz::Authorisation> out;
  store::Filter f;
  f.kind = kAuthorisation;
  f.after_id = page.after_id;
  // The state filter applies to the derived state, so read on until the page
  // is full rather than filtering the stored column.
  f.limit = page.limit > 0 ? std::max(page.limit, 64) : 0;
  while (true) {
    ASSIGN_OR_RETURN(auto recs, tx->List(f));
    for (const auto& rec : recs) {
      ASSIGN_OR_RETURN(auto a, AuthorisationFromJson(rec.body));
      a.state = authz::StateAt(a, now);
      if (state && a.state != *state) continue;
      out.push_back(std::move(a));
      if (page.limit > 0 && static_cast<int>(out.size()) == page.limit) return out;
    }
    if (f.limit == 0 || static_cast<int>(recs.size()) < f.limit) return out;
    f.after_id = recs.back().id;
  }
}

Result<std::vector<QuotaUse>> Workflow::Quotas() {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  store::Filter f;
  f.kind = kQuota;
  ASSIGN_OR_RETURN(auto recs, tx->List(f));
  Time now = clock_.Now();
  std::vector<QuotaUse> out;
  for (const auto& rec : recs) {
    QuotaUse use;
    ASSIGN_OR_RETURN(use.quota, QuotaFromJson(rec.body));
    authz::Quota scratch;
    ASSIGN_OR_RETURN(auto view, LoadQuotaView(*tx, use.quota.technique, scratch, now));
    use.in_force = std::move(view.in_force);
    store::Filter issued;
    issued.kind = kAuthorisation;
    issued.technique = use.quota.technique;
    ASSIGN_OR_RETURN(int64_t n, tx->Count(issued));
    use.issued = static_cast<int>(n);
    out.push_back(std::move(use));
  }
  return out;
}

}  // namespace cloison::service
