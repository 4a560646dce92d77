// Group commit for item ingest (POST /v1/items). Each request submits its
// item, and either waits (Ingest) or is called back once it is durable
// (Submit: nothing holds a thread while the commit runs); one committer
// thread takes everything that queued while the previous commit ran (up to
// a cap), and stores it with one Vault::IngestBatch per actor: one
// fdatasync per segment touched and one commit for the lot, instead of one
// of each per item. Nothing waits for more items to arrive: under light
// load a batch is one item and costs what Vault::Ingest costs.
//
// Guarantees are those of Vault::Ingest, item by item: Ingest returns an
// accepted item only after its envelope is durable and its record and
// item.ingested event are committed; a refusal carries the item's own
// violations (its item.refused event committed); an error is the item's
// own. A batch that fails on bad input (InvalidArgument, which stores none
// of it) is retried item by item, so bad input answers only the request
// that sent it and never fails other clients' items.
//
// Thread-safety: Ingest and Submit may be called from any number of threads
// at once. Submit's callbacks run on the committer thread, one after the
// other, after the commit of their item's group; a callback must not block
// (it should hand the answer to its own thread) nor call Submit or Stop.
// Stop may be called from any thread; it drains the queue (every item
// submitted before it gets its answer) and joins the committer. After Stop,
// Ingest and Submit store the item directly with Vault::Ingest, on the
// caller's thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "api/metrics.h"
#include "service/vault.h"

namespace cloison::api {

struct IngestBatcherOptions {
  // A batch is at most this many items and this many bytes of content (an
  // item larger than max_bytes still goes, alone): bounds a commit's
  // latency and the memory its envelopes take.
  size_t max_items = 512;
  size_t max_bytes = size_t{16} << 20;
  // Tests only: called by the committer with the items it has just taken,
  // before committing them (a test holds the committer here to gather a
  // batch of its choosing). Null: nothing.
  std::function<void(size_t)> before_commit;
};

class IngestBatcher {
 public:
  // `metrics` may be null; both must outlive the batcher.
  IngestBatcher(service::Vault& vault, Metrics* metrics, IngestBatcherOptions options = {});
  ~IngestBatcher();  // Stop()
  IngestBatcher(const IngestBatcher&) = delete;
  IngestBatcher& operator=(const IngestBatcher&) = delete;

  // Vault::Ingest(actor, in), committed with whatever else is pending.
  // Blocks until it is; `actor` and `in` (and the bytes it points to) must
  // stay valid until it returns, which they do as the caller's own.
  Result<service::Outcome<service::Ingested>> Ingest(const service::Principal& actor,
                                                     const service::IngestInput& in);

  using Callback = std::function<void(Result<service::Outcome<service::Ingested>>)>;
  // The same without waiting: `done` gets Ingest's result, called once,
  // on the committer thread after the commit (or on this thread, before
  // Submit returns, after Stop). `actor` and `in` (and the bytes it points
  // to) must stay valid until `done` is called: `done` may own them.
  void Submit(const service::Principal& actor, const service::IngestInput& in, Callback done);

  // Items submitted and not yet taken by the committer (for tests).
  size_t queued() const;

  // Idempotent.
  void Stop();

 private:
  struct Waiter;
  void Run();
  // Stores `batch` (all of one actor) and fills in each waiter's result.
  void Commit(const std::vector<Waiter*>& batch);

  service::Vault& vault_;
  Metrics* metrics_;
  const IngestBatcherOptions options_;
  mutable std::mutex mu_;
  std::condition_variable work_;  // the committer waits here for items or Stop
  std::deque<Waiter*> queue_;     // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  bool committer_idle_ = false;   // waiting on work_; guarded by mu_
  std::thread committer_;
  std::once_flag stopped_;
};

}  // namespace cloison::api
