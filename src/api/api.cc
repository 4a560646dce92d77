#include "api/api.h"

#include <chrono>
#include <exception>

#include "api/access.h"
#include "api/errors.h"
#include "api/json.h"
#include "api/openapi.h"
#include "base/log.h"

namespace cloison::api {
namespace json = boost::json;
namespace {

// A capability whose module is not built yet: 501 with the error format.
Handler NotBuilt(std::string_view what) {
  std::string message = std::string(what) + " is not built yet (see README.md, What works today)";
  return [message](const Call&) -> Result<HttpResponse> { return Status::Unimplemented(message); };
}

bool IsJson(std::string_view content_type) {
  std::string_view base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  return base == "application/json";
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

Api::Api(service::Workflow& workflow, Metrics& metrics, ApiOptions options)
    : workflow_(workflow), metrics_(metrics), options_(options) {
  if (options_.vault)
    ingest_batcher_ = std::make_unique<IngestBatcher>(*options_.vault, &metrics_, options_.ingest);
  AddRoutes();
}

void Api::AddRoutes() {
  auto h = [this](Result<HttpResponse> (Api::*fn)(const Call&)) {
    return [this, fn](const Call& c) { return (this->*fn)(c); };
  };
  Router& r = router_;
  r.Add("GET", "/v1/openapi.json", "getOpenApi", h(&Api::OpenApi));
  r.Add("GET", "/healthz", "getHealth", h(&Api::Health));
  r.Add("GET", "/metrics", "getMetrics", h(&Api::MetricsText));

  r.Add("POST", "/v1/requests", "submitRequest", h(&Api::SubmitRequest));
  r.Add("GET", "/v1/requests", "listRequests", h(&Api::ListRequests));
  r.Add("GET", "/v1/requests/{id}", "getRequest", h(&Api::GetRequest));
  r.Add("POST", "/v1/requests/{id}/withdraw", "withdrawRequest", h(&Api::WithdrawRequest));
  r.Add("POST", "/v1/requests/{id}/opinion", "giveOpinion", h(&Api::GiveOpinion));
  r.Add("POST", "/v1/requests/{id}/decision", "decideRequest", h(&Api::DecideRequest));
  r.Add("GET", "/v1/authorisations", "listAuthorisations", h(&Api::ListAuthorisations));
  r.Add("GET", "/v1/authorisations/{id}", "getAuthorisation", h(&Api::GetAuthorisation));
  r.Add("POST", "/v1/authorisations/{id}/terminate", "terminateAuthorisation",
        h(&Api::TerminateAuthorisation));
  r.Add("POST", "/v1/authorisations/{id}/urgency-justification", "justifyUrgency",
        h(&Api::JustifyUrgency));
  r.Add("POST", "/v1/authorisations/{id}/conseil-etat-ruling", "recordConseilEtatRuling",
        h(&Api::RecordConseilEtatRuling));
  r.Add("PUT", "/v1/quotas/{technique}", "setQuota", h(&Api::SetQuota));
  r.Add("GET", "/v1/quotas", "listQuotas", h(&Api::ListQuotas));
  r.Add("GET", "/v1/reports/annual", "getAnnualReport", h(&Api::AnnualReport));
  if (options_.test_clock) r.Add("PUT", "/v1/test/clock", "setTestClock", h(&Api::SetTestClock));

  // The vault (service/vault.h). API.md names ingest, reads, unrelated,
  // holds, the sweep and destructions; opening a sealed item, recording a
  // decryption and the technical-analysis exception are this API's own
  // additions (documented in openapi.json), as is reading a hold.
  // A capability whose service was not given to this Api (tests build one
  // without them) is routed and guarded, and answers 501.
  auto when = [&](bool have, Result<HttpResponse> (Api::*fn)(const Call&), std::string_view what) {
    return have ? h(fn) : NotBuilt(std::string(what) + " (not opened for this API)");
  };
  const bool vault = options_.vault != nullptr;
  auto v = [&](Result<HttpResponse> (Api::*fn)(const Call&), std::string_view what) {
    return when(vault, fn, what);
  };
  r.Add("POST", "/v1/items", "ingestItem", v(&Api::IngestItem, "item ingest"));
  r.Add("GET", "/v1/items/{id}", "getItem", v(&Api::GetItem, "items"));
  r.Add("GET", "/v1/items/{id}/content", "getItemContent", v(&Api::GetItemContent, "item content"));
  r.Add("POST", "/v1/items/{id}/open", "openSealedItem", v(&Api::OpenSealedItem, "sealed items"));
  r.Add("POST", "/v1/items/{id}/decryption", "recordDecryption",
        v(&Api::RecordDecryption, "decryptions"));
  r.Add("POST", "/v1/items/{id}/technical-analysis", "recordTechnicalAnalysis",
        v(&Api::RecordTechnicalAnalysis, "technical analysis"));
  r.Add("POST", "/v1/items/{id}/unrelated", "markItemUnrelated",
        v(&Api::MarkItemUnrelated, "unrelated items"));
  r.Add("POST", "/v1/holds", "placeHold", v(&Api::PlaceHold, "litigation holds"));
  r.Add("GET", "/v1/holds/{id}", "getHold", v(&Api::GetHold, "litigation holds"));
  r.Add("DELETE", "/v1/holds/{id}", "releaseHold", v(&Api::ReleaseHold, "litigation holds"));
  r.Add("POST", "/v1/retention/sweep", "sweepRetention",
        v(&Api::SweepRetention, "the retention sweep"));
  r.Add("GET", "/v1/destructions", "listDestructions",
        v(&Api::ListDestructions, "destruction records"));
  // R&D (service/rnd.h, rnd_copy.h). Reading a programme and assigning its
  // agents are this API's additions: an rnd_agent reads only the programmes
  // it is assigned to (L. 822-2 III).
  const bool rnd = options_.rnd != nullptr;
  const bool copies = rnd && options_.rnd_copies != nullptr && vault;
  auto p = [&](Result<HttpResponse> (Api::*fn)(const Call&), bool have) {
    return when(have, fn, "R&D programmes");
  };
  r.Add("POST", "/v1/rnd/programmes", "submitRndProgramme", p(&Api::SubmitRndProgramme, rnd));
  r.Add("GET", "/v1/rnd/programmes/{id}", "getRndProgramme", p(&Api::GetRndProgramme, rnd));
  r.Add("POST", "/v1/rnd/programmes/{id}/opinion", "giveRndOpinion", p(&Api::GiveRndOpinion, rnd));
  r.Add("POST", "/v1/rnd/programmes/{id}/decision", "decideRndProgramme",
        p(&Api::DecideRndProgramme, rnd));
  r.Add("POST", "/v1/rnd/programmes/{id}/agents", "assignRndAgent", p(&Api::AssignRndAgent, rnd));
  r.Add("POST", "/v1/rnd/programmes/{id}/items", "transferRndItem",
        p(&Api::TransferRndItem, copies));
  r.Add("GET", "/v1/rnd/items/{id}/content", "getRndItemContent",
        p(&Api::GetRndItemContent, copies));
  r.Add("POST", "/v1/rnd/programmes/{id}/resume", "resumeRndProgramme",
        p(&Api::ResumeRndProgramme, rnd));
  r.Add("POST", "/v1/rnd/programmes/{id}/close", "closeRndProgramme",
        p(&Api::CloseRndProgramme, copies));
  // Exploitation and recommendations (service/exploitation.h,
  // recommendation.h). API.md names transcriptions, transmissions and making
  // a recommendation; extractions, reading a transcription, destroying it
  // early (L. 822-3), the CNCTR's queue (L. 822-4) and a recommendation's
  // reading and follow-up (L. 833-6) are this API's additions.
  const bool exploitation = options_.exploitation != nullptr;
  const bool recommendations = options_.recommendations != nullptr;
  auto x = [&](Result<HttpResponse> (Api::*fn)(const Call&), bool have, std::string_view what) {
    return when(have, fn, what);
  };
  r.Add("POST", "/v1/items/{id}/transcriptions", "transcribeItem",
        x(&Api::TranscribeItem, exploitation, "transcriptions"));
  r.Add("POST", "/v1/items/{id}/extractions", "extractFromItem",
        x(&Api::ExtractFromItem, exploitation, "extractions"));
  r.Add("GET", "/v1/transcriptions/{id}", "getTranscription",
        x(&Api::GetTranscription, exploitation, "transcriptions"));
  r.Add("GET", "/v1/transcriptions/{id}/content", "getTranscriptionContent",
        x(&Api::GetTranscriptionContent, exploitation, "transcriptions"));
  r.Add("POST", "/v1/transcriptions/{id}/destroy", "destroyTranscription",
        x(&Api::DestroyTranscription, exploitation, "transcriptions"));
  r.Add("POST", "/v1/transcriptions/{id}/transmissions", "transmitTranscription",
        x(&Api::TransmitTranscription, exploitation, "transmissions"));
  r.Add("GET", "/v1/cnctr-queue", "listCnctrQueue",
        x(&Api::ListCnctrQueue, exploitation, "the CNCTR's queue"));
  r.Add("POST", "/v1/cnctr-queue/{id}/acknowledgement", "acknowledgeQueueEntry",
        x(&Api::AcknowledgeQueueEntry, exploitation, "the CNCTR's queue"));
  r.Add("POST", "/v1/recommendations", "createRecommendation",
        x(&Api::CreateRecommendation, recommendations, "recommendations"));
  r.Add("GET", "/v1/recommendations/{id}", "getRecommendation",
        x(&Api::GetRecommendation, recommendations, "recommendations"));
  r.Add("POST", "/v1/recommendations/{id}/follow-up", "recordFollowUp",
        x(&Api::RecordFollowUp, recommendations, "recommendations"));
  const bool ledger = options_.ledger != nullptr;
  const Handler no_ledger = NotBuilt("the ledger (no ledger opened for this API)");
  r.Add("GET", "/v1/ledger/checkpoint", "getLedgerCheckpoint",
        ledger ? h(&Api::LedgerCheckpoint) : no_ledger);
  r.Add("GET", "/v1/ledger/tile/{path...}", "getLedgerTile",
        ledger ? h(&Api::LedgerTile) : no_ledger);
  r.Add("GET", "/v1/ledger/proof/{index}", "getLedgerProof",
        ledger ? h(&Api::LedgerProof) : no_ledger);
  r.Add("GET", "/v1/ledger/key", "getLedgerKey", ledger ? h(&Api::LedgerKey) : no_ledger);
}

namespace {
bool IsIngest(std::string_view method, std::string_view target) {
  return method == "POST" && target.substr(0, target.find('?')) == "/v1/items";
}
}  // namespace

size_t Api::BodyLimit(std::string_view method, std::string_view target) const {
  if (!IsIngest(method, target)) return options_.body_limit;
  if (options_.vault) return static_cast<size_t>(options_.vault->options().max_item_size);
  return options_.item_body_limit;
}

HttpResponse Api::BodyTooLarge(std::string_view method, std::string_view target,
                               std::optional<uint64_t> length) const {
  std::string got = length ? std::to_string(*length) + " bytes" : "more";
  std::string message =
      "body: " + got + ", want at most " + std::to_string(BodyLimit(method, target)) + " bytes";
  if (IsIngest(method, target) && options_.vault)
    message += " (the instance's vault.max_item_size in cloison.toml)";
  return ErrorResponse(HttpError::kPayloadTooLarge, std::move(message));
}

Result<service::SweepResult> Api::RunSweep() {
  if (!options_.vault) return Status::FailedPrecondition("sweep: no vault opened for this API");
  std::lock_guard lock(sweep_mu_);
  return options_.vault->Sweep();
}

HttpResponse Api::Handle(const HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  HttpResponse resp;
  try {
    resp = Dispatch(request);
  } catch (const std::exception& e) {
    // Handlers return Status; a throw is a bug or memory exhaustion.
    Log(LogLevel::kError, "api.exception", "what=\"" + std::string(e.what()) + "\"");
    resp = ErrorResponse(Status::Internal("exception"));
  }
  metrics_.RecordRequest(resp.operation, resp.status, std::chrono::steady_clock::now() - start);
  return resp;
}

bool Api::IsAsync(std::string_view method, std::string_view target) const {
  return ingest_batcher_ != nullptr && IsIngest(method, target);
}

bool Api::IsTrivial(std::string_view method, std::string_view target) const {
  // The path exactly, query or not: Health reads ready_ and builds {"status"}.
  return method == "GET" && target.substr(0, target.find('?')) == "/healthz";
}

namespace {
// Operations that only read (IsQuickRead); QuickReadsDoNotWrite in
// api_test.cc checks that each leaves the ledger as it was.
constexpr std::string_view kQuickReads[] = {"getOpenApi",    "getRequest",     "getAuthorisation",
                                            "getLedgerTile", "getLedgerProof", "getLedgerKey"};
}  // namespace

bool Api::IsQuickRead(std::string_view method, std::string_view target) const {
  if (method != "GET") return false;
  auto m = router_.Find(method, target.substr(0, target.find('?')));
  if (m.outcome != Router::Outcome::kFound) return false;
  for (std::string_view op : kQuickReads)
    if (m.route->operation == op) return true;
  return false;
}

// One ingest between its checks and its answer; owned by the callback
// given to the batcher, so the request's body (the item's bytes) lives
// until the commit is done with it.
struct Api::PendingIngest {
  HttpRequest request;
  std::function<void(Answer)> done;
  std::chrono::steady_clock::time_point start;
  Call call;
  service::Principal principal;
  service::IngestInput in;
  const Route* route = nullptr;
};

void Api::HandleAsync(HttpRequest request, std::function<void(Answer)> done) {
  if (!IsAsync(request.method, request.target)) {
    HttpResponse resp = Handle(request);
    done([resp = std::move(resp)]() mutable { return std::move(resp); });
    return;
  }
  auto p = std::make_shared<PendingIngest>();
  p->start = std::chrono::steady_clock::now();
  p->request = std::move(request);
  p->done = std::move(done);
  IngestAsync(std::move(p));
}

void Api::IngestAsync(std::shared_ptr<PendingIngest> p) {
  // Answers built here (refusals before the commit) or by the Answer.
  auto answer = [this](std::shared_ptr<PendingIngest> p, HttpResponse resp) {
    p->done([this, p, resp = std::move(resp)]() mutable {
      metrics_.RecordRequest(resp.operation, resp.status,
                             std::chrono::steady_clock::now() - p->start);
      return std::move(resp);
    });
  };
  HttpResponse early;
  try {
    p->route = Prepare(p->request, p->call, p->principal, early);
    if (p->route && p->route->operation != "ingestItem") {
      // IsIngest saw POST /v1/items, the router another route: cannot
      // happen, but the route's own handler is what would answer.
      early = Finish(*p->route, p->principal, p->route->handler(p->call));
    } else if (p->route) {
      auto parsed = ParseIngest(p->call, p->in);
      if (!parsed.ok()) {
        early = Finish(*p->route, p->principal, parsed.status());
      } else if (parsed->has_value()) {
        early = Finish(*p->route, p->principal, std::move(**parsed));
      } else {
        // Committed with the items other requests sent meanwhile (group
        // commit); answered only once durable, as Vault::Ingest. The
        // batcher's syncer only hands the outcome over: the answer is built
        // by whoever calls the Answer.
        PendingIngest* raw = p.get();
        ingest_batcher_->Submit(
            raw->principal, raw->in,
            [this, p = std::move(p)](Result<service::Outcome<service::Ingested>> out) mutable {
              auto shared_out =
                  std::make_shared<Result<service::Outcome<service::Ingested>>>(std::move(out));
              p->done([this, p, shared_out]() {
                HttpResponse resp;
                try {
                  resp = Finish(*p->route, p->principal, IngestAnswer(std::move(*shared_out)));
                } catch (const std::exception& e) {
                  Log(LogLevel::kError, "api.exception", "what=\"" + std::string(e.what()) + "\"");
                  resp = ErrorResponse(Status::Internal("exception"));
                  resp.operation = p->route->operation;
                  resp.principal = p->principal.id;
                }
                metrics_.RecordRequest(resp.operation, resp.status,
                                       std::chrono::steady_clock::now() - p->start);
                return resp;
              });
            });
        return;
      }
    }
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "api.exception", "what=\"" + std::string(e.what()) + "\"");
    early = ErrorResponse(Status::Internal("exception"));
  }
  answer(std::move(p), std::move(early));
}

HttpResponse Api::Dispatch(const HttpRequest& request) {
  Call call;
  service::Principal principal;
  HttpResponse early;
  const Route* route = Prepare(request, call, principal, early);
  if (!route) return early;
  return Finish(*route, principal, route->handler(call));
}

HttpResponse Api::Finish(const Route& route, const service::Principal& principal,
                         Result<HttpResponse> r) {
  HttpResponse resp;
  if (r.ok()) {
    resp = std::move(r).value();
  } else {
    if (HttpStatusOf(r.status().code()) >= 500 && r.status().code() != Code::kUnimplemented)
      Log(LogLevel::kError, "api.error",
          "operation=" + route.operation + " code=" + std::string(CodeName(r.status().code())));
    resp = ErrorResponse(r.status());
  }
  resp.operation = route.operation;
  resp.principal = principal.id;
  return resp;
}

const Route* Api::Prepare(const HttpRequest& request, Call& call, service::Principal& principal,
                          HttpResponse& early) {
  std::string_view target = request.target;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  Router::Match m = router_.Find(request.method, path);
  if (m.outcome == Router::Outcome::kNoPath) {
    early = ErrorResponse(HttpError::kNotFound, "no route for " + std::string(path));
    return nullptr;
  }
  if (m.outcome == Router::Outcome::kWrongMethod) {
    std::string allow;
    for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
    early = ErrorResponse(HttpError::kMethodNotAllowed,
                          request.method + " " + std::string(path) + ": want " + allow);
    early.headers.emplace_back("Allow", allow);
    return nullptr;
  }
  const Route& route = *m.route;

  call.params = std::move(m.params);
  call.content_type = request.content_type;
  call.body = request.body;

  if (!IsAnonymous(route.operation)) {
    auto who = Authenticate(request);
    if (!who.ok()) {
      early = who.status().code() == Code::kIoError
                  ? ErrorResponse(who.status())
                  : ErrorResponse(HttpError::kUnauthenticated, who.status().message());
      early.operation = route.operation;
      return nullptr;
    }
    principal = std::move(who).value();
    call.principal = &principal;
    if (!MayCall(route.operation, principal.role)) {
      early = ErrorResponse(Status::PermissionDenied(
          "role " + std::string(RoleName(principal.role)) + " may not " + route.operation));
      early.operation = route.operation;
      early.principal = principal.id;
      return nullptr;
    }
  }

  auto query_params = ParseQuery(query);
  if (!query_params.ok()) {
    early = ErrorResponse(query_params.status());
  } else if (!request.body.empty() && !IsJson(request.content_type) &&
             route.operation != "ingestItem") {
    early =
        ErrorResponse(HttpError::kUnsupportedMediaType,
                      "Content-Type: got \"" + request.content_type + "\", want application/json");
  } else {
    call.query = std::move(query_params).value();
    return &route;
  }
  early.operation = route.operation;
  early.principal = principal.id;
  return nullptr;
}

Result<service::Principal> Api::Authenticate(const HttpRequest& request) {
  service::Credentials credentials;
  credentials.cert_principal = request.client_cert_cn;
  if (!request.client_cert_cn.empty()) credentials.cert_serial = request.client_cert_serial;
  if (!request.authorization.empty()) {
    std::string_view h = request.authorization;
    if (!StartsWithNoCase(h, "bearer "))
      return Status::InvalidArgument("Authorization: want \"Bearer TOKEN\"");
    std::string_view token = h.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    credentials.token = token;
  }
  // A revocation committed before the request, by this process or by
  // `cloison user revoke` in another, is refused: the cache forgets
  // everything when any credential record changes, which it learns at every
  // request from the store's change stamp, kept in memory shared by the
  // processes (service/certificates.h, CredentialCache).
  return credentials_.Authenticate(workflow_.store(), workflow_.clock(), credentials);
}

Result<HttpResponse> Api::SetTestClock(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  auto now = r.TimeField("now");
  RETURN_IF_ERROR(r.Finish());
  Time current = options_.test_clock->Now();
  // Time never goes back: commit order and time order must agree.
  if (*now < current)
    return Status::FailedPrecondition("now: got " + FormatTime(*now) + ", want >= " +
                                      FormatTime(current) + " (the clock only moves forward)");
  options_.test_clock->Set(*now);
  Log(LogLevel::kInfo, "test_clock.set", "now=" + FormatTime(*now) + " by=" + c.principal->id);
  json::object out{{"now", FormatTime(*now)}};
  // Time moved: what fell due is destroyed before the answer, as the
  // server's schedule would have done by then, so that a month of
  // retention is tested in one request (API.md, test clock).
  if (options_.vault) {
    ASSIGN_OR_RETURN(service::SweepResult swept, RunSweep());
    out["destroyed"] = swept.items;
  }
  return JsonResponse(200, out);
}

Result<HttpResponse> Api::Health(const Call&) {
  if (!ready_.load()) return JsonResponse(503, json::object{{"status", "unavailable"}});
  return JsonResponse(200, json::object{{"status", "ok"}});
}

Result<HttpResponse> Api::MetricsText(const Call&) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.Render();
  return r;
}

Result<HttpResponse> Api::OpenApi(const Call&) {
  HttpResponse r;
  r.body = std::string(OpenApiDocument());
  return r;
}

}  // namespace cloison::api
