// Handlers of the authorisation workflow (API.md: requests, opinions,
// decisions, authorisations, quotas). Each parses its input strictly, calls
// one use case, and shapes the answer; the law and the roles are decided
// below (authz, service) and in the access table (access.cc).
#include <algorithm>

#include "api/access.h"
#include "api/api.h"
#include "api/errors.h"
#include "api/json.h"
#include "api/params.h"
#include "service/codec.h"

namespace cloison::api {
namespace json = boost::json;
namespace {

// One page of `items` (ordered by id, as the store lists them):
// {"items": [...], "next": "<id to pass as after>"} ("next" absent at the end).
template <typename T, typename ToJsonFn>
json::object PageOf(const std::vector<T>& items, const PageQuery& page, ToJsonFn to_json) {
  auto it =
      page.after.empty()
          ? items.begin()
          : std::upper_bound(items.begin(), items.end(), page.after,
                             [](const std::string& after, const T& x) { return after < x.id; });
  json::array out;
  for (; it != items.end() && out.size() < page.limit; ++it) out.push_back(to_json(*it));
  json::object o{{"items", std::move(out)}};
  // More remain: the page is full (limit >= 1), so the previous one is on it.
  if (it != items.end()) o["next"] = std::prev(it)->id;
  return o;
}

// The request with its history: what happened to it, in order.
json::object RequestJson(const authz::Request& r) {
  json::object o = service::ToJson(r);
  json::array history;
  history.push_back(
      json::object{{"at", FormatTime(r.created_at)}, {"event", "submitted"}, {"by", r.drafted_by}});
  if (r.opinion) {
    history.push_back(
        json::object{{"at", FormatTime(r.opinion->at)},
                     {"event", r.opinion->deemed ? "opinion_deemed" : "opinion_given"},
                     {"by", r.opinion->by}});
  }
  if (r.decision) {
    std::string_view what = !r.decision->violations.empty() ? "refused_by_law"
                            : r.decision->grant             ? "granted"
                                                            : "refused";
    history.push_back(
        json::object{{"at", FormatTime(r.decision->at)}, {"event", what}, {"by", r.decision->by}});
  }
  if (r.state == authz::RequestState::kWithdrawn)
    history.push_back(json::object{{"event", "withdrawn"}});
  o["history"] = std::move(history);
  return o;
}

// A record the caller may not see answers as if it did not exist, so that
// other services' work does not even show its identifiers (PRODUCT.md).
Status Hidden(std::string_view kind, const std::string& id) {
  return Status::NotFound(std::string(kind) + ": no " + std::string(kind) + " " + id);
}

Result<std::string> OptionalReasons(const Call& c, bool required) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body, !required));
  FieldReader r(v);
  std::string reasons = r.Str("reasons", required);
  RETURN_IF_ERROR(r.Finish());
  if (required && reasons.empty()) return Status::InvalidArgument("reasons: empty");
  return reasons;
}

}  // namespace

Result<HttpResponse> Api::SubmitRequest(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  ASSIGN_OR_RETURN(authz::RequestDraft draft, service::DraftFromJson(v));
  ASSIGN_OR_RETURN(auto out, workflow_.SubmitRequest(*c.principal, draft));
  // A refused request is still recorded (with its violations): say under which id.
  if (out.refused()) return LegalRefusal(out.violations, out.value.id);
  HttpResponse r =
      JsonResponse(201, json::object{{"id", out.value.id},
                                     {"state", authz::RequestStateName(out.value.state)},
                                     {"opinion_due", FormatTime(out.value.opinion_due)}});
  r.headers.emplace_back("Location", "/v1/requests/" + out.value.id);
  return r;
}

Result<HttpResponse> Api::ListRequests(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {"state", "limit", "after"}));
  ASSIGN_OR_RETURN(PageQuery page, ReadPage(c, options_.page_size, options_.max_page_size));
  std::optional<authz::RequestState> state;
  if (auto it = c.query.find("state"); it != c.query.end()) {
    state = authz::ParseRequestState(it->second);
    if (!state)
      return Status::InvalidArgument("state: got \"" + it->second +
                                     "\", want awaiting_opinion, opinion_given, granted, refused "
                                     "or withdrawn");
  }
  ASSIGN_OR_RETURN(auto all, workflow_.ListRequests(state));
  std::vector<authz::Request> visible;
  for (auto& r : all)
    if (MayRead(*c.principal, r.draft.service, r.draft.minister)) visible.push_back(std::move(r));
  return JsonResponse(200, PageOf(visible, page, RequestJson));
}

Result<HttpResponse> Api::GetRequest(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  const std::string& id = c.param("id");
  ASSIGN_OR_RETURN(authz::Request req, workflow_.GetRequest(id));
  if (!MayRead(*c.principal, req.draft.service, req.draft.minister)) return Hidden("request", id);
  return JsonResponse(200, RequestJson(req));
}

Result<HttpResponse> Api::WithdrawRequest(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body, true));
  RETURN_IF_ERROR(FieldReader(v).Finish());
  ASSIGN_OR_RETURN(authz::Request req, workflow_.Withdraw(*c.principal, c.param("id")));
  return JsonResponse(200,
                      json::object{{"id", req.id}, {"state", authz::RequestStateName(req.state)}});
}

Result<HttpResponse> Api::GiveOpinion(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  std::string verdict_s = r.Str("verdict");
  std::string formation_s = r.Str("formation");
  std::string reasons = r.Str("reasons");
  auto verdict = authz::ParseVerdict(verdict_s);
  auto formation = authz::ParseFormation(formation_s);
  if (!verdict_s.empty() && !verdict)
    r.Fail("verdict", "got \"" + verdict_s + "\", want favourable or unfavourable");
  if (!formation_s.empty() && !formation)
    r.Fail("formation", "got \"" + formation_s + "\", want single, restricted or plenary");
  RETURN_IF_ERROR(r.Finish());
  if (!verdict) return Status::InvalidArgument("verdict: empty");
  if (!formation) return Status::InvalidArgument("formation: empty");
  ASSIGN_OR_RETURN(
      auto out, workflow_.GiveOpinion(*c.principal, c.param("id"), *verdict, *formation, reasons));
  if (out.refused()) return LegalRefusal(out.violations);
  return JsonResponse(200, RequestJson(out.value));
}

Result<HttpResponse> Api::DecideRequest(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  authz::DecisionInput in;
  auto grant = r.Bool("grant");
  in.reasons = r.Str("reasons");
  in.immediate_execution = r.Bool("immediate_execution", false).value_or(false);
  RETURN_IF_ERROR(r.Finish());
  in.grant = *grant;
  ASSIGN_OR_RETURN(auto out, workflow_.Decide(*c.principal, c.param("id"), in));
  const authz::Request& req = out.value.request;
  json::object request{{"id", req.id}, {"state", authz::RequestStateName(req.state)}};
  if (out.refused()) return LegalRefusal(out.violations, req.id);
  if (!out.value.authorisation)
    return JsonResponse(200, json::object{{"request", std::move(request)}});
  const authz::Authorisation& a = *out.value.authorisation;
  HttpResponse resp = JsonResponse(
      201,
      json::object{{"authorisation", json::object{{"id", a.id},
                                                  {"state", authz::AuthorisationStateName(a.state)},
                                                  {"starts_at", FormatTime(a.starts_at)},
                                                  {"ends_at", FormatTime(a.ends_at)}}},
                   {"request", std::move(request)}});
  resp.headers.emplace_back("Location", "/v1/authorisations/" + a.id);
  return resp;
}

Result<HttpResponse> Api::ListAuthorisations(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {"state", "limit", "after"}));
  ASSIGN_OR_RETURN(PageQuery page, ReadPage(c, options_.page_size, options_.max_page_size));
  std::optional<authz::AuthorisationState> state;
  if (auto it = c.query.find("state"); it != c.query.end()) {
    state = authz::ParseAuthorisationState(it->second);
    if (!state)
      return Status::InvalidArgument("state: got \"" + it->second +
                                     "\", want an authorisation state (see openapi.json)");
  }
  ASSIGN_OR_RETURN(auto all, workflow_.ListAuthorisations());
  std::vector<authz::Authorisation> visible;
  for (auto& a : all) {
    if (state && a.state != *state) continue;
    if (MayRead(*c.principal, a.service, a.minister)) visible.push_back(std::move(a));
  }
  return JsonResponse(200, PageOf(visible, page, [](const authz::Authorisation& a) {
                        return json::value(service::ToJson(a));
                      }));
}

Result<HttpResponse> Api::GetAuthorisation(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  const std::string& id = c.param("id");
  ASSIGN_OR_RETURN(authz::Authorisation a, workflow_.GetAuthorisation(id));
  if (!MayRead(*c.principal, a.service, a.minister)) return Hidden("authorisation", id);
  return JsonResponse(200, service::ToJson(a));
}

Result<HttpResponse> Api::TerminateAuthorisation(const Call& c) {
  ASSIGN_OR_RETURN(std::string reasons, OptionalReasons(c, false));
  ASSIGN_OR_RETURN(authz::Authorisation a,
                   workflow_.Terminate(*c.principal, c.param("id"), reasons));
  return JsonResponse(200, service::ToJson(a));
}

Result<HttpResponse> Api::JustifyUrgency(const Call& c) {
  ASSIGN_OR_RETURN(std::string reasons, OptionalReasons(c, true));
  ASSIGN_OR_RETURN(authz::Authorisation a,
                   workflow_.JustifyUrgency(*c.principal, c.param("id"), reasons));
  return JsonResponse(200, service::ToJson(a));
}

Result<HttpResponse> Api::RecordConseilEtatRuling(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  auto upheld = r.Bool("upheld");
  std::string case_ref = r.Str("case");
  RETURN_IF_ERROR(r.Finish());
  ASSIGN_OR_RETURN(authz::Authorisation a, workflow_.RecordConseilEtatRuling(
                                               *c.principal, c.param("id"), *upheld, case_ref));
  return JsonResponse(200, service::ToJson(a));
}

Result<HttpResponse> Api::SetQuota(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  authz::Quota q;
  q.technique = c.param("technique");
  q.limit = static_cast<int>(r.Int("limit", 0, 1000000).value_or(0));
  if (const json::object* alloc = r.Object("allocation")) {
    json::value alloc_value(*alloc);
    FieldReader ar(alloc_value, "allocation");
    for (const auto& kv : *alloc) {
      if (auto n = ar.Int(kv.key(), 0, 1000000))
        q.allocation[std::string(kv.key())] = static_cast<int>(*n);
    }
    RETURN_IF_ERROR(ar.Finish());
  }
  q.cnctr_opinion_ref = r.Str("cnctr_opinion_ref");
  RETURN_IF_ERROR(r.Finish());
  ASSIGN_OR_RETURN(auto out, workflow_.SetQuota(*c.principal, q));
  if (out.refused()) return LegalRefusal(out.violations);
  return JsonResponse(200, service::ToJson(out.value));
}

Result<HttpResponse> Api::ListQuotas(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(auto uses, workflow_.Quotas());
  json::array out;
  for (const auto& u : uses) {
    json::object o = service::ToJson(u.quota);
    json::object in_force;
    for (const auto& [m, n] : u.in_force) in_force[m] = n;
    o["in_force"] = std::move(in_force);
    o["issued"] = u.issued;
    out.push_back(std::move(o));
  }
  return JsonResponse(200, out);
}

}  // namespace cloison::api
