// Handlers of the R&D programmes and their pseudonymised copies (API.md
// /rnd/...; service/rnd.h, service/rnd_copy.h; L. 822-2 III). A programme
// follows the request pattern: an agent of a first-circle service submits,
// the CNCTR gives its opinion, the PM decides; the PM or the administrator
// assigns the cleared rnd_agents; the GIC transfers items; assigned agents
// and the CNCTR read the copies; the CNCTR lifts a suspension it
// recommended, the PM or the service's minister closes a programme, which
// destroys its copies. What a reader may see of a programme is
// decided by the use case (Rnd::GetProgramme), not here.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/errors.h"
#include "api/json.h"
#include "api/params.h"

namespace cloison::api {
namespace json = boost::json;
namespace {

// The stored body, less the submission's violations, which the API's
// RndProgramme schema does not carry.
json::object ProgrammeView(const service::Programme& p) {
  json::object o = service::ProgrammeJson(p);
  o.erase("violations");
  return o;
}

// The body of resume and close: `{reasons}`, required.
Result<std::string> ReasonsBody(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  std::string reasons = r.Str("reasons");
  RETURN_IF_ERROR(r.Finish());
  if (reasons.empty()) return Status::InvalidArgument("reasons: empty, want a text");
  return reasons;
}

}  // namespace

Result<HttpResponse> Api::SubmitRndProgramme(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  service::ProgrammeDraft d;
  d.service = r.Str("service");
  d.title = r.Str("title");
  d.purpose = r.Str("purpose");
  d.technical_parameters = r.Str("technical_parameters");
  d.algorithm_criteria = r.Str("algorithm_criteria", false);
  RETURN_IF_ERROR(r.Finish());
  ASSIGN_OR_RETURN(auto out, options_.rnd->SubmitProgramme(*c.principal, d));
  // A programme the law refuses is stored as refused: say under which id.
  if (out.refused()) return LegalRefusal(out.violations, out.value.id);
  HttpResponse resp = JsonResponse(201, ProgrammeView(out.value));
  resp.headers.emplace_back("Location", "/v1/rnd/programmes/" + out.value.id);
  return resp;
}

Result<HttpResponse> Api::GetRndProgramme(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(service::Programme p, options_.rnd->GetProgramme(*c.principal, c.param("id")));
  return JsonResponse(200, ProgrammeView(p));
}

Result<HttpResponse> Api::GiveRndOpinion(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  std::string verdict_s = r.Str("verdict");
  std::string reasons = r.Str("reasons");
  auto verdict = authz::ParseVerdict(verdict_s);
  if (!verdict_s.empty() && !verdict)
    r.Fail("verdict", "got \"" + verdict_s + "\", want favourable or unfavourable");
  RETURN_IF_ERROR(r.Finish());
  if (!verdict) return Status::InvalidArgument("verdict: empty");
  ASSIGN_OR_RETURN(service::Programme p, options_.rnd->GiveProgrammeOpinion(
                                             *c.principal, c.param("id"), *verdict, reasons));
  return JsonResponse(200, ProgrammeView(p));
}

Result<HttpResponse> Api::DecideRndProgramme(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  auto grant = r.Bool("grant");
  std::string reasons = r.Str("reasons");
  RETURN_IF_ERROR(r.Finish());
  ASSIGN_OR_RETURN(auto out,
                   options_.rnd->DecideProgramme(*c.principal, c.param("id"), *grant, reasons));
  if (out.refused()) return LegalRefusal(out.violations, out.value.id);
  return JsonResponse(200, ProgrammeView(out.value));
}

Result<HttpResponse> Api::AssignRndAgent(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  std::string agent = r.Str("agent");
  RETURN_IF_ERROR(r.Finish());
  if (agent.empty()) return Status::InvalidArgument("agent: empty, want an rnd_agent's id");
  ASSIGN_OR_RETURN(service::Programme p,
                   options_.rnd->AssignAgent(*c.principal, c.param("id"), agent));
  return JsonResponse(200, ProgrammeView(p));
}

Result<HttpResponse> Api::TransferRndItem(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  std::string item = r.Str("item");
  RETURN_IF_ERROR(r.Finish());
  if (item.empty()) return Status::InvalidArgument("item: empty, want an item id");
  ASSIGN_OR_RETURN(auto out,
                   options_.rnd_copies->TransferToProgramme(*c.principal, c.param("id"), item));
  // Past the R&D limit (5 years from the original collection): nothing is
  // stored, and the refusal says which rule.
  if (out.refused()) return LegalRefusal(out.violations);
  const service::RndCopy& copy = out.value;
  HttpResponse resp = JsonResponse(201, json::object{{"id", copy.id},
                                                     {"programme", copy.programme},
                                                     {"kind", rules::ItemKindName(copy.kind)},
                                                     {"copied_at", FormatTime(copy.copied_at)},
                                                     {"destroy_by", FormatTime(copy.destroy_by)},
                                                     {"identifiers", copy.identifiers}});
  return resp;
}

Result<HttpResponse> Api::ResumeRndProgramme(const Call& c) {
  ASSIGN_OR_RETURN(std::string reasons, ReasonsBody(c));
  ASSIGN_OR_RETURN(service::Programme p,
                   options_.rnd->ResumeProgramme(*c.principal, c.param("id"), reasons));
  return JsonResponse(200, ProgrammeView(p));
}

Result<HttpResponse> Api::CloseRndProgramme(const Call& c) {
  ASSIGN_OR_RETURN(std::string reasons, ReasonsBody(c));
  ASSIGN_OR_RETURN(service::Programme p,
                   options_.rnd_copies->CloseProgramme(*c.principal, c.param("id"), reasons));
  return JsonResponse(200, ProgrammeView(p));
}

Result<HttpResponse> Api::GetRndItemContent(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(crypto::SecretBytes content,
                   options_.rnd_copies->ReadRndContent(*c.principal, c.param("id")));
  HttpResponse r;
  r.content_type = "application/octet-stream";
  r.body.assign(reinterpret_cast<const char*>(content.view().data()), content.size());
  return r;
}

}  // namespace cloison::api
