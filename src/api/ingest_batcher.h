// Group commit for item ingest (POST /v1/items). Each request submits its
// item, and either waits (Ingest) or is called back once it is durable
// (Submit: nothing holds a thread while the commit runs); one committer
// thread takes everything that queued while the previous commit ran (up to
// a cap), and stores it with one Vault::IngestBatchDeferred per actor: one
// fdatasync per segment touched and one commit for the lot, instead of one
// of each per item. Nothing waits for more items to arrive: under light
// load a batch is one item and costs what Vault::Ingest costs.
//
// A pipeline of two threads: the committer commits a batch without waiting
// for the store's sync of it (store::Store::BeginDeferredWrite) and hands
// it to the syncer; the syncer makes everything committed so far durable
// with one Vault::SyncCommitted, then answers. So the next batch is sealed
// and written while the previous one's fdatasync runs, and one sync may
// serve several batches.
//
// Guarantees are those of Vault::Ingest, item by item: Ingest returns an
// accepted item only after its envelope is durable and its record and
// item.ingested event are committed and durable; a refusal carries the
// item's own violations (its item.refused event committed, durable); an
// error is the item's own. If the sync fails, every item it covered gets
// an IoError saying it may or may not be kept. Other readers of the store
// may see a batch between its commit and its sync (a power loss then takes
// it, and only the batches after it, none of them answered yet). A batch
// that fails on bad input (InvalidArgument, which stores none of it) is
// retried item by item, so bad input answers only the request that sent it
// and never fails other clients' items.
//
// Thread-safety: Ingest and Submit may be called from any number of threads
// at once. Submit's callbacks run on the syncer thread, one after the
// other, after the sync of their item's group; a callback must not block
// (it should hand the answer to its own thread) nor call Submit or Stop.
// Stop may be called from any thread; it drains the queue (every item
// submitted before it gets its answer) and joins both threads. After Stop,
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
  // on the syncer thread after the sync (or on this thread, before
  // Submit returns, after Stop). `actor` and `in` (and the bytes it points
  // to) must stay valid until `done` is called: `done` may own them.
  void Submit(const service::Principal& actor, const service::IngestInput& in, Callback done);

  // Items submitted and not yet taken by the committer (for tests).
  size_t queued() const;

  // Idempotent.
  void Stop();

 private:
  struct Waiter;
  void Run();        // the committer
  void RunSyncer();  // the syncer
  // Stores `batch` (all of one actor) and fills in each waiter's result;
  // durable once SyncCommitted returns.
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
  // Committed groups, from the committer to the syncer.
  std::mutex sync_mu_;
  std::condition_variable committed_cv_;        // the syncer waits here
  std::deque<std::vector<Waiter*>> committed_;  // guarded by sync_mu_
  bool committer_done_ = false;                 // guarded by sync_mu_
  std::thread syncer_;
  std::once_flag stopped_;
};

}  // namespace cloison::api
