#include "service/rnd.h"

#include <algorithm>
#include <array>
#include <utility>

#include "crypto/sha256.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/rnd_json.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr std::array<std::pair<ProgrammeState, std::string_view>, 6> kStates{{
    {ProgrammeState::kAwaitingOpinion, "awaiting_opinion"},
    {ProgrammeState::kOpinionGiven, "opinion_given"},
    {ProgrammeState::kGranted, "granted"},
    {ProgrammeState::kRefused, "refused"},
    {ProgrammeState::kSuspended, "suspended"},
    {ProgrammeState::kClosed, "closed"},
}};


Result<Programme> FromBody(const std::string& id, const std::string& body) {
  std::string what = std::string(kRndProgrammeKind) + " " + id;
  ASSIGN_OR_RETURN(json::object o, ParseObject(body, what));
  JsonFields f(o, what);
  Programme p;
  p.id = f.Str("id");
  p.draft.service = f.Str("service");
  p.draft.title = f.Str("title");
  p.draft.purpose = f.Str("purpose");
  p.draft.technical_parameters = f.Str("technical_parameters");
  p.draft.algorithm_criteria = f.Str("algorithm_criteria");
  auto state = ParseProgrammeState(f.Str("state"));
  p.submitted_by = f.Str("submitted_by");
  p.submitted_at = f.At("submitted_at");
  p.agents = f.Strs("agents");
  p.violations = f.Violations("violations");
  if (const json::object* op = f.Obj("opinion")) {
    JsonFields g(*op, what + " opinion");
    auto verdict = authz::ParseVerdict(g.Str("verdict"));
    p.opinion = ProgrammeOpinion{verdict.value_or(authz::Verdict::kUnfavourable), g.Str("reasons"),
                                 g.Str("by"), g.At("at")};
    RETURN_IF_ERROR(g.status());
    if (!verdict) return Status::Corruption(what + ": opinion.verdict: unknown");
  }
  if (const json::object* d = f.Obj("decision")) {
    JsonFields g(*d, what + " decision");
    p.decision = ProgrammeDecision{g.Bool("grant"), g.Str("reasons"), g.Str("by"), g.At("at"),
                                   g.Bool("against_opinion")};
    RETURN_IF_ERROR(g.status());
  }
  if (const json::object* s = f.Obj("suspension")) {
    JsonFields g(*s, what + " suspension");
    p.suspension = ProgrammeSuspension{g.Str("recommendation"), g.Str("by"), g.At("at")};
    RETURN_IF_ERROR(g.status());
  }
  if (const json::object* r = f.Obj("resumption")) {
    JsonFields g(*r, what + " resumption");
    p.resumption = ProgrammeResumption{g.Str("reasons"), g.Str("by"), g.At("at")};
    RETURN_IF_ERROR(g.status());
  }
  if (const json::object* c = f.Obj("closure")) {
    JsonFields g(*c, what + " closure");
    p.closure =
        ProgrammeClosure{g.Str("reasons"), g.Str("by"), g.At("at"), g.Int("copies_destroyed")};
    RETURN_IF_ERROR(g.status());
  }
  RETURN_IF_ERROR(f.status());
  if (!state) return Status::Corruption(what + ": state: unknown");
  p.state = *state;
  return p;
}

store::Record RecordOf(const Programme& p) {
  store::Record rec;
  rec.kind = kRndProgrammeKind;
  rec.id = p.id;
  rec.state = std::string(ProgrammeStateName(p.state));
  rec.service = p.draft.service;
  rec.starts_at = ToMicros(p.submitted_at);
  rec.body = json::serialize(ProgrammeJson(p));
  return rec;
}

json::array ViolationRefs(const std::vector<rules::Violation>& vs) {
  json::array a;
  for (const auto& v : vs) a.push_back(json::object{{"rule", v.rule}, {"article", v.article}});
  return a;
}

Status RequireText(std::string_view field, const std::string& value) {
  if (value.empty()) return Status::InvalidArgument(std::string(field) + ": missing, want a text");
  return Status::Ok();
}

std::string StateError(const Programme& p, std::string_view want) {
  return "rnd programme " + p.id + " is " + std::string(ProgrammeStateName(p.state)) + ", want " +
         std::string(want);
}

// What each reader may see (PRODUCT.md, "Who uses it"): nobody but the
// CNCTR, the PM and the submitting service reads the opinion's and the
// decision's reasons.
Result<Programme> ViewFor(const Principal& actor, Programme p) {
  switch (actor.role) {
    case Role::kCnctr:
    case Role::kPm:
      return p;
    case Role::kServiceAgent:
      if (actor.service != p.draft.service)
        return Status::PermissionDenied("rnd programme " + p.id + " belongs to another service");
      return p;
    case Role::kRndAgent:
      if (std::find(p.agents.begin(), p.agents.end(), actor.id) == p.agents.end())
        return Status::PermissionDenied("rnd programme " + p.id + ": agent " + actor.id +
                                        " is not assigned to it");
      [[fallthrough]];
    case Role::kAdmin:
      if (p.opinion) p.opinion->reasons.clear();
      if (p.decision) p.decision->reasons.clear();
      if (p.resumption) p.resumption->reasons.clear();
      if (p.closure) p.closure->reasons.clear();
      return p;
    default:
      return Status::PermissionDenied("role " + std::string(RoleName(actor.role)) +
                                      " may not read rnd programmes");
  }
}

}  // namespace

json::object ProgrammeJson(const Programme& p) {
  json::object o{{"id", p.id},
                 {"service", p.draft.service},
                 {"title", p.draft.title},
                 {"purpose", p.draft.purpose},
                 {"technical_parameters", p.draft.technical_parameters},
                 {"algorithm_criteria", p.draft.algorithm_criteria},
                 {"state", ProgrammeStateName(p.state)},
                 {"submitted_by", p.submitted_by},
                 {"submitted_at", FormatTime(p.submitted_at)},
                 {"agents", StringsJson(p.agents)},
                 {"violations", service::ToJson(p.violations)}};
  o["opinion"] = nullptr;
  if (p.opinion)
    o["opinion"] = json::object{{"verdict", authz::VerdictName(p.opinion->verdict)},
                                {"reasons", p.opinion->reasons},
                                {"by", p.opinion->by},
                                {"at", FormatTime(p.opinion->at)}};
  o["decision"] = nullptr;
  if (p.decision)
    o["decision"] = json::object{{"grant", p.decision->grant},
                                 {"reasons", p.decision->reasons},
                                 {"by", p.decision->by},
                                 {"at", FormatTime(p.decision->at)},
                                 {"against_opinion", p.decision->against_opinion}};
  o["suspension"] = nullptr;
  if (p.suspension)
    o["suspension"] = json::object{{"recommendation", p.suspension->recommendation},
                                   {"by", p.suspension->by},
                                   {"at", FormatTime(p.suspension->at)}};
  o["resumption"] = nullptr;
  if (p.resumption)
    o["resumption"] = json::object{{"reasons", p.resumption->reasons},
                                   {"by", p.resumption->by},
                                   {"at", FormatTime(p.resumption->at)}};
  o["closure"] = nullptr;
  if (p.closure)
    o["closure"] = json::object{{"reasons", p.closure->reasons},
                                {"by", p.closure->by},
                                {"at", FormatTime(p.closure->at)},
                                {"copies_destroyed", p.closure->copies_destroyed}};
  return o;
}

std::string_view ProgrammeStateName(ProgrammeState s) {
  for (const auto& [state, name] : kStates)
    if (state == s) return name;
  return "?";
}

std::optional<ProgrammeState> ParseProgrammeState(std::string_view s) {
  for (const auto& [state, name] : kStates)
    if (name == s) return state;
  return std::nullopt;
}

Rnd::Rnd(store::Store& store, const rules::Rulebook& book, const Clock& clock, IdGenerator& ids)
    : store_(store), book_(book), clock_(clock), ids_(ids) {}

Result<Programme> Rnd::Load(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kRndProgrammeKind, id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound)
      return Status::NotFound("rnd programme: no programme " + id);
    return rec.status();
  }
  return FromBody(id, rec->body);
}

Result<Outcome<Programme>> Rnd::SubmitProgramme(const Principal& actor,
                                                const ProgrammeDraft& draft) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kServiceAgent}, "submit rnd programmes"));
  if (actor.service != draft.service)
    return Status::PermissionDenied("service: an agent of " + actor.service +
                                    " may not submit for " + draft.service);
  RETURN_IF_ERROR(RequireText("title", draft.title));
  RETURN_IF_ERROR(RequireText("purpose", draft.purpose));
  RETURN_IF_ERROR(RequireText("technical_parameters", draft.technical_parameters));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  const rules::Service* service = book_.FindService(draft.service, now);
  if (service == nullptr)
    return Status::InvalidArgument("service: got \"" + draft.service +
                                   "\", not in the rulebook in force");
  std::vector<rules::Violation> violations;
  // L. 822-2 III: only the services of the first circle (L. 811-2).
  if (book_.rnd.first_circle_only && service->circle != 1)
    violations.push_back({std::string(kRuleRndFirstCircle), book_.rnd.cite.article,
                          "service: got " + draft.service + " (circle " +
                              std::to_string(service->circle) + "), want a first-circle service (" +
                              book_.rnd.cite.article + ")"});
  // Amendment no. 56, when the rulebook turns it on.
  if (book_.rnd.algorithm_criteria_required && draft.algorithm_criteria.empty())
    violations.push_back({std::string(kRuleRndAlgorithmCriteria), book_.rnd.amendments_cite.article,
                          "algorithm_criteria: missing, want the stated criteria of any "
                          "algorithmic processing (" +
                              book_.rnd.amendments_cite.article + ")"});
  Programme p;
  p.id = ids_.Next("rnp");
  p.draft = draft;
  p.submitted_by = actor.id;
  p.submitted_at = now;
  p.violations = violations;
  p.state = violations.empty() ? ProgrammeState::kAwaitingOpinion : ProgrammeState::kRefused;
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx->Put(rec));
  json::object data{{"service", draft.service},
                    {"algorithm_criteria", !draft.algorithm_criteria.empty()}};
  std::string_view type = "rnd.programme.submitted";
  if (!violations.empty()) {
    type = "rnd.programme.refused";
    data["by_law"] = true;
    data["violations"] = ViolationRefs(violations);
  }
  RETURN_IF_ERROR(
      AppendEvent(*tx, clock_, now, {type, actor.id, p.id}, rec, std::move(data)).status());
  RETURN_IF_ERROR(tx->Commit());
  return Outcome<Programme>{std::move(p), std::move(violations)};
}

Result<Programme> Rnd::GiveProgrammeOpinion(const Principal& actor, const std::string& id,
                                            authz::Verdict verdict, const std::string& reasons) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kCnctr}, "give opinions on rnd programmes"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Programme p, Load(*tx, id));
  if (p.state != ProgrammeState::kAwaitingOpinion)
    return Status::FailedPrecondition(StateError(p, "awaiting_opinion"));
  if (p.submitted_by == actor.id)
    return Status::PermissionDenied("separation of duties: the drafter may not give the opinion");
  p.opinion = ProgrammeOpinion{verdict, reasons, actor.id, now};
  p.state = ProgrammeState::kOpinionGiven;
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"rnd.programme.opinion", actor.id, p.id}, rec,
                              {{"verdict", authz::VerdictName(verdict)},
                               {"reasons_sha256", crypto::Hex(crypto::Sha256(reasons))}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return p;
}

Result<Outcome<Programme>> Rnd::DecideProgramme(const Principal& actor, const std::string& id,
                                                bool grant, const std::string& reasons) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kPm}, "decide on rnd programmes"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Programme p, Load(*tx, id));
  if (p.state != ProgrammeState::kAwaitingOpinion && p.state != ProgrammeState::kOpinionGiven)
    return Status::FailedPrecondition(StateError(p, "opinion_given"));
  // Separation of duties (PRODUCT.md).
  if (p.submitted_by == actor.id)
    return Status::PermissionDenied("separation of duties: the drafter may not decide");
  if (p.opinion && p.opinion->by == actor.id)
    return Status::PermissionDenied("separation of duties: the opinion's author may not decide");
  // L. 822-2 III: the PM authorises after the CNCTR's opinion; no opinion is
  // deemed given here (unlike L. 821-3 for techniques).
  if (!p.opinion) {
    std::vector<rules::Violation> vs{
        {std::string(kRuleRndOpinionRequired), book_.rnd.cite.article,
         "opinion: none yet, want the CNCTR's opinion before the decision (" +
             book_.rnd.cite.article + ")"}};
    return Outcome<Programme>{std::move(p), std::move(vs)};
  }
  bool against = grant && p.opinion->verdict == authz::Verdict::kUnfavourable;
  p.decision = ProgrammeDecision{grant, reasons, actor.id, now, against};
  p.state = grant ? ProgrammeState::kGranted : ProgrammeState::kRefused;
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(
      AppendEvent(*tx, clock_, now,
                  {grant ? "rnd.programme.granted" : "rnd.programme.refused", actor.id, p.id}, rec,
                  {{"service", p.draft.service},
                   {"by_law", false},
                   {"against_opinion", against},
                   {"reasons_sha256", crypto::Hex(crypto::Sha256(reasons))}})
          .status());
  RETURN_IF_ERROR(tx->Commit());
  return Outcome<Programme>{std::move(p), {}};
}

Result<Programme> Rnd::AssignAgent(const Principal& actor, const std::string& id,
                                   const std::string& agent_id) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kAdmin, Role::kPm}, "assign rnd agents"));
  if (agent_id.empty()) return Status::InvalidArgument("agent: missing, want a principal id");
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Programme p, Load(*tx, id));
  if (p.state != ProgrammeState::kGranted)
    return Status::FailedPrecondition(StateError(p, "granted"));
  auto rec_agent = tx->Get("principal", agent_id);
  if (!rec_agent.ok()) {
    if (rec_agent.status().code() == Code::kNotFound)
      return Status::NotFound("agent: no principal " + agent_id);
    return rec_agent.status();
  }
  ASSIGN_OR_RETURN(Principal agent, PrincipalFromJson(rec_agent->body));
  // L. 822-2 III: only agents specially cleared and assigned to that work,
  // of the service that runs the programme.
  if (agent.role != Role::kRndAgent)
    return Status::InvalidArgument("agent: " + agent_id + " has role " +
                                   std::string(RoleName(agent.role)) + ", want rnd_agent");
  if (agent.service != p.draft.service)
    return Status::InvalidArgument("agent: " + agent_id + " belongs to " + agent.service +
                                   ", want an agent of " + p.draft.service);
  if (std::find(p.agents.begin(), p.agents.end(), agent_id) != p.agents.end())
    return Status::AlreadyExists("agent: " + agent_id + " is already assigned to " + p.id);
  p.agents.push_back(agent_id);
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"rnd.agent.assigned", actor.id, p.id}, rec,
                              {{"agent", agent_id}, {"service", p.draft.service}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return p;
}

Result<Programme> Rnd::SuspendProgramme(store::WriteTx& tx, const Principal& actor,
                                        const std::string& id, const std::string& recommendation_id,
                                        Time now) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kCnctr}, "suspend rnd programmes"));
  ASSIGN_OR_RETURN(Programme p, Load(tx, id));
  if (p.state != ProgrammeState::kGranted)
    return Status::FailedPrecondition(StateError(p, "granted"));
  p.state = ProgrammeState::kSuspended;
  p.suspension = ProgrammeSuspension{recommendation_id, actor.id, now};
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx.Put(rec));
  RETURN_IF_ERROR(AppendEvent(tx, clock_, now, {"rnd.programme.suspended", actor.id, p.id}, rec,
                              {{"recommendation", recommendation_id}, {"service", p.draft.service}})
                      .status());
  return p;
}

Result<Programme> Rnd::ResumeProgramme(const Principal& actor, const std::string& id,
                                       const std::string& reasons) {
  // L. 822-2 III: the CNCTR checks the programme's compliance and recommends
  // its suspension; the suspension is lifted by the CNCTR alone, on finding
  // it complies again (see rnd.h).
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kCnctr}, "resume rnd programmes"));
  RETURN_IF_ERROR(RequireText("reasons", reasons));
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Programme p, Load(*tx, id));
  if (p.state != ProgrammeState::kSuspended)
    return Status::FailedPrecondition(StateError(p, "suspended"));
  p.state = ProgrammeState::kGranted;
  p.resumption = ProgrammeResumption{reasons, actor.id, now};
  store::Record rec = RecordOf(p);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"rnd.programme.resumed", actor.id, p.id}, rec,
                              {{"recommendation", p.suspension ? p.suspension->recommendation : ""},
                               {"service", p.draft.service},
                               {"reasons_sha256", crypto::Hex(crypto::Sha256(reasons))}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return p;
}

store::Record Rnd::Record(const Programme& p) {
  return RecordOf(p);
}

Result<Programme> Rnd::GetProgramme(const Principal& actor, const std::string& id) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(Programme p, Load(*tx, id));
  return ViewFor(actor, std::move(p));
}

Result<std::vector<Programme>> Rnd::ListProgrammes(const Principal& actor,
                                                   std::optional<ProgrammeState> state,
                                                   const Page& page) {
  RETURN_IF_ERROR(AllowRoles(
      actor, {Role::kCnctr, Role::kPm, Role::kServiceAgent, Role::kRndAgent, Role::kAdmin},
      "read rnd programmes"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  store::Filter f;
  f.kind = kRndProgrammeKind;
  f.after_id = page.after_id;
  f.limit = page.limit;
  if (state) f.states = {std::string(ProgrammeStateName(*state))};
  if (actor.role == Role::kServiceAgent) f.service = actor.service;
  std::vector<Programme> out;
  // An rnd_agent sees only its programmes: filter after reading, page by page.
  if (actor.role == Role::kRndAgent && page.limit > 0) f.limit = std::max(page.limit, 64);
  while (true) {
    ASSIGN_OR_RETURN(auto recs, tx->List(f));
    for (const auto& rec : recs) {
      ASSIGN_OR_RETURN(Programme p, FromBody(rec.id, rec.body));
      auto view = ViewFor(actor, std::move(p));
      if (!view.ok()) continue;  // an rnd_agent's other programmes
      out.push_back(std::move(view).value());
      if (page.limit > 0 && static_cast<int>(out.size()) == page.limit) return out;
    }
    if (f.limit == 0 || static_cast<int>(recs.size()) < f.limit) return out;
    f.after_id = recs.back().id;
  }
}

}  // namespace cloison::service
