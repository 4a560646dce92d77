// The HTTP API of API.md over the service use cases, without sockets: the
// server hands each parsed request to Api::Handle and writes the answer back.
// Unit tests call Handle directly.
//
// Order of checks for every request: route (404, 405), credentials (401)
// unless the operation is anonymous, the access table (403), the body's
// media type (415), then the handler: a Status maps through errors.h, a
// legal refusal is 422 LEGAL_REFUSAL. Capabilities not built yet, or whose
// use cases were not given in ApiOptions, answer 501.
//
// Item ingest (POST /v1/items) has an asynchronous entry too, HandleAsync:
// the checks run on the caller's thread, then the item waits for its group
// commit without holding any thread, and the answer is handed back through
// a callback.
//
// Thread-safety: Handle, HandleAsync and RunSweep are thread-safe (the use cases are; the
// router is built in the constructor and never changed; sweeps are
// serialised by a mutex of their own; item ingest goes through an
// IngestBatcher, whose committer and syncer threads the Api owns and joins
// when destroyed, after answering every item submitted).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "api/http.h"
#include "api/ingest_batcher.h"
#include "api/metrics.h"
#include "api/router.h"
#include "base/clock.h"
#include "service/certificates.h"
#include "service/exploitation.h"
#include "service/ledger.h"
#include "service/recommendation.h"
#include "service/rnd.h"
#include "service/rnd_copy.h"
#include "service/vault.h"
#include "service/workflow.h"

namespace cloison::api {

struct ApiOptions {
  // Set only by `serve --test-clock`: PUT /v1/test/clock drives it. Without
  // it the route does not exist (404). The workflow must read this clock.
  FakeClock* test_clock = nullptr;
  // The instance's ledger: /v1/ledger/* serve its checkpoint, tiles, proofs
  // and key. Null: those routes answer 501.
  service::Ledger* ledger = nullptr;
  // The vault (service/vault.h): items, holds, the sweep, destructions.
  // Null: those routes answer 501. It must read the same clock as the
  // workflow (the test clock when there is one).
  service::Vault* vault = nullptr;
  // R&D programmes and their pseudonymised copies (service/rnd.h,
  // rnd_copy.h). Null: the R&D routes answer 501.
  service::Rnd* rnd = nullptr;
  service::RndCopies* rnd_copies = nullptr;
  // Transcriptions, extractions, transmissions and the CNCTR's queue
  // (service/exploitation.h); the CNCTR's recommendations
  // (service/recommendation.h). Null: those routes answer 501.
  service::Exploitation* exploitation = nullptr;
  service::Recommendations* recommendations = nullptr;
  // Largest body accepted, except for item ingest which has its own: the
  // vault's max_item_size when there is a vault (a larger item is 413).
  size_t body_limit = size_t{1} << 20;
  size_t item_body_limit = size_t{64} << 20;
  // The group commit of item ingest (api/ingest_batcher.h).
  IngestBatcherOptions ingest;
  // Lists: default and largest page.
  int page_size = 100;
  int max_page_size = 1000;
};

class Api {
 public:
  // Requests are authenticated by reading the workflow's store (tokens,
  // client certificates, principals: service::Authenticate), once each.
  Api(service::Workflow& workflow, Metrics& metrics, ApiOptions options = {});

  HttpResponse Handle(const HttpRequest& request);

  // An answer still to build: call it once, on the thread that sends it
  // (building it costs some CPU, kept off the ingest batcher's threads).
  // It also records the request's metrics.
  using Answer = std::function<HttpResponse()>;
  // True for the requests HandleAsync serves without blocking on a commit
  // (item ingest through the group commit), from the request line alone.
  bool IsAsync(std::string_view method, std::string_view target) const;
  // Serves `request` as Handle does and calls `done` once with its answer.
  // For an IsAsync request, the checks (credentials, access, parameters,
  // body) run on this thread, which may block on reads of the store; the
  // item is then submitted to the group commit and `done` runs on the
  // batcher's syncer thread once it is durable (or here, for an early
  // refusal).
  // Otherwise `done` is called here, after Handle. `done` must not block.
  void HandleAsync(HttpRequest request, std::function<void(Answer)> done);
  // True for the requests whose Handle never blocks nor reads the store
  // (GET /healthz), which a server may answer on its I/O thread.
  bool IsTrivial(std::string_view method, std::string_view target) const;
  // True for the reads that never write nor wait for a commit, and whose
  // work is bounded (one read transaction, a few records; kQuickReads in
  // api.cc): a server may answer them on its I/O thread too, sparing the
  // hand-off to a handler thread and back, which cost more than the read.
  // A read transaction does not wait for writers (WAL), only, for a moment,
  // for a checkpoint that truncates the WAL.
  bool IsQuickRead(std::string_view method, std::string_view target) const;

  // The body limit for a request, known from its request line alone, so the
  // transport can refuse a large body before reading it.
  size_t BodyLimit(std::string_view method, std::string_view target) const;

  // The 413 answer for a body over BodyLimit (`length` when declared): for
  // item ingest it names the vault's max_item_size, which configures it.
  HttpResponse BodyTooLarge(std::string_view method, std::string_view target,
                            std::optional<uint64_t> length) const;

  // One retention sweep as "system" (the server's schedule; also after the
  // test clock moves). Sweeps never overlap: a second caller waits for the
  // running one. FailedPrecondition without a vault.
  Result<service::SweepResult> RunSweep();

  // /healthz answers 503 while not ready (starting, shutting down).
  void set_ready(bool ready) { ready_.store(ready); }

  const Router& router() const { return router_; }
  // Null without a vault.
  const IngestBatcher* ingest_batcher() const { return ingest_batcher_.get(); }
  Metrics& metrics() { return metrics_; }

 private:
  HttpResponse Dispatch(const HttpRequest& request);
  // The checks every request passes before its handler: route, credentials,
  // access table, query, media type. Returns the route to call with `call`
  // (whose principal points to `principal`), or null with the answer to
  // send in `early`. `call` points into `request` and `principal`.
  const Route* Prepare(const HttpRequest& request, Call& call, service::Principal& principal,
                       HttpResponse& early);
  // A handler's result as the answer to send (errors mapped and logged).
  HttpResponse Finish(const Route& route, const service::Principal& principal,
                      Result<HttpResponse> r);
  struct PendingIngest;
  void IngestAsync(std::shared_ptr<PendingIngest> p);
  // The principal behind the request's credentials, or the 401 to send.
  Result<service::Principal> Authenticate(const HttpRequest& request);
  void AddRoutes();

  // handlers.cc: the authorisation workflow.
  Result<HttpResponse> SubmitRequest(const Call& c);
  Result<HttpResponse> ListRequests(const Call& c);
  Result<HttpResponse> GetRequest(const Call& c);
  Result<HttpResponse> WithdrawRequest(const Call& c);
  Result<HttpResponse> GiveOpinion(const Call& c);
  Result<HttpResponse> DecideRequest(const Call& c);
  Result<HttpResponse> ListAuthorisations(const Call& c);
  Result<HttpResponse> GetAuthorisation(const Call& c);
  Result<HttpResponse> TerminateAuthorisation(const Call& c);
  Result<HttpResponse> JustifyUrgency(const Call& c);
  Result<HttpResponse> RecordConseilEtatRuling(const Call& c);
  Result<HttpResponse> SetQuota(const Call& c);
  Result<HttpResponse> ListQuotas(const Call& c);
  // ledger_handlers.cc: the ledger's read API (C2SP formats).
  Result<HttpResponse> LedgerCheckpoint(const Call& c);
  Result<HttpResponse> LedgerTile(const Call& c);
  Result<HttpResponse> LedgerProof(const Call& c);
  Result<HttpResponse> LedgerKey(const Call& c);
  // vault_handlers.cc: items, holds, the sweep, destructions (service/vault.h).
  Result<HttpResponse> IngestItem(const Call& c);
  // IngestItem's parts: the request's checks into `in` (an error, or the
  // answer to send instead, or nothing to go on), and the answer to an
  // ingest's outcome.
  Result<std::optional<HttpResponse>> ParseIngest(const Call& c, service::IngestInput& in);
  Result<HttpResponse> IngestAnswer(Result<service::Outcome<service::Ingested>> out);
  Result<HttpResponse> GetItem(const Call& c);
  Result<HttpResponse> GetItemContent(const Call& c);
  Result<HttpResponse> OpenSealedItem(const Call& c);
  Result<HttpResponse> RecordDecryption(const Call& c);
  Result<HttpResponse> RecordTechnicalAnalysis(const Call& c);
  Result<HttpResponse> MarkItemUnrelated(const Call& c);
  Result<HttpResponse> PlaceHold(const Call& c);
  Result<HttpResponse> GetHold(const Call& c);
  Result<HttpResponse> ReleaseHold(const Call& c);
  Result<HttpResponse> SweepRetention(const Call& c);
  Result<HttpResponse> ListDestructions(const Call& c);
  // rnd_handlers.cc: R&D programmes and copies (service/rnd.h, rnd_copy.h).
  Result<HttpResponse> SubmitRndProgramme(const Call& c);
  Result<HttpResponse> GetRndProgramme(const Call& c);
  Result<HttpResponse> GiveRndOpinion(const Call& c);
  Result<HttpResponse> DecideRndProgramme(const Call& c);
  Result<HttpResponse> AssignRndAgent(const Call& c);
  Result<HttpResponse> TransferRndItem(const Call& c);
  Result<HttpResponse> GetRndItemContent(const Call& c);
  Result<HttpResponse> ResumeRndProgramme(const Call& c);
  Result<HttpResponse> CloseRndProgramme(const Call& c);
  // exploitation_handlers.cc: exploitation and recommendations.
  Result<HttpResponse> TranscribeItem(const Call& c);
  Result<HttpResponse> ExtractFromItem(const Call& c);
  Result<HttpResponse> GetTranscription(const Call& c);
  Result<HttpResponse> GetTranscriptionContent(const Call& c);
  Result<HttpResponse> DestroyTranscription(const Call& c);
  Result<HttpResponse> TransmitTranscription(const Call& c);
  Result<HttpResponse> ListCnctrQueue(const Call& c);
  Result<HttpResponse> AcknowledgeQueueEntry(const Call& c);
  Result<HttpResponse> CreateRecommendation(const Call& c);
  Result<HttpResponse> GetRecommendation(const Call& c);
  Result<HttpResponse> RecordFollowUp(const Call& c);
  // report_handlers.cc: the annual report (service/report.h).
  Result<HttpResponse> AnnualReport(const Call& c);
  // api.cc: the service itself.
  Result<HttpResponse> SetTestClock(const Call& c);
  Result<HttpResponse> Health(const Call& c);
  Result<HttpResponse> MetricsText(const Call& c);
  Result<HttpResponse> OpenApi(const Call& c);

  // Credentials are checked over the workflow's store and clock
  // (service::CredentialCache: credentials accepted before, while no
  // credential record has changed, from memory; otherwise the token, the
  // client certificate register and the principal in one read transaction).
  service::Workflow& workflow_;
  Metrics& metrics_;
  ApiOptions options_;
  Router router_;
  service::CredentialCache credentials_;
  std::atomic<bool> ready_{true};
  std::mutex sweep_mu_;  // one sweep at a time (RunSweep, POST /retention/sweep)
  // With a vault: POST /v1/items goes through it (group commit). Declared
  // last, destroyed first: its threads drain before the rest goes.
  std::unique_ptr<IngestBatcher> ingest_batcher_;
};

}  // namespace cloison::api
