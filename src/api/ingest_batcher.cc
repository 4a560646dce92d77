#include "api/ingest_batcher.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"

namespace cloison::api {

// One submitted item, owned by the queue, then by the committer, which
// deletes it after calling `done`.
struct IngestBatcher::Waiter {
  const service::Principal* actor;
  const service::IngestInput* in;
  Callback done;
  std::optional<Result<service::Outcome<service::Ingested>>> result;
};

IngestBatcher::IngestBatcher(service::Vault& vault, Metrics* metrics, IngestBatcherOptions options)
    : vault_(vault), metrics_(metrics), options_(options) {
  syncer_ = std::thread([this] { RunSyncer(); });
  committer_ = std::thread([this] { Run(); });
}

IngestBatcher::~IngestBatcher() {
  Stop();
}

void IngestBatcher::Stop() {
  std::call_once(stopped_, [this] {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_.notify_one();
    // The committer drains the queue, then tells the syncer it is done;
    // the syncer drains what was committed.
    committer_.join();
    syncer_.join();
  });
}

Result<service::Outcome<service::Ingested>> IngestBatcher::Ingest(const service::Principal& actor,
                                                                  const service::IngestInput& in) {
  // The answer, handed over under a mutex of its own: the committer then
  // touches nothing of this frame once `result` is set and the lock let go.
  struct Slot {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result<service::Outcome<service::Ingested>>> result;  // guarded by mu
  } slot;
  Submit(actor, in, [&slot](Result<service::Outcome<service::Ingested>> r) {
    std::lock_guard lock(slot.mu);
    slot.result = std::move(r);
    // Under the lock: the waiter cannot return and free `cv` before this.
    slot.cv.notify_one();
  });
  std::unique_lock lock(slot.mu);
  slot.cv.wait(lock, [&] { return slot.result.has_value(); });
  return std::move(*slot.result);
}

void IngestBatcher::Submit(const service::Principal& actor, const service::IngestInput& in,
                           Callback done) {
  auto w = std::make_unique<Waiter>(Waiter{&actor, &in, std::move(done), std::nullopt});
  std::unique_lock lock(mu_);
  if (stopping_) {
    lock.unlock();
    w->done(vault_.Ingest(actor, in));
    return;
  }
  queue_.push_back(w.release());
  bool idle = committer_idle_;
  lock.unlock();
  // Only a committer asleep needs a wake-up (a futex call, dear here); a
  // busy one looks at the queue before it sleeps again.
  if (idle) work_.notify_one();
}

size_t IngestBatcher::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void IngestBatcher::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    committer_idle_ = true;
    work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    committer_idle_ = false;
    // Stop drains: the loop ends only once nothing is left.
    if (queue_.empty()) {
      lock.unlock();
      {
        std::lock_guard sync_lock(sync_mu_);
        committer_done_ = true;
      }
      committed_cv_.notify_one();
      return;
    }
    std::vector<Waiter*> taken;
    size_t bytes = 0;
    while (!queue_.empty() && taken.size() < options_.max_items) {
      size_t size = queue_.front()->in->bytes.size();
      if (!taken.empty() && bytes + size > options_.max_bytes) break;
      bytes += size;
      taken.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    if (options_.before_commit) options_.before_commit(taken.size());
    // IngestBatch takes one actor: one batch per principal, in the order
    // the first item of each arrived.
    std::vector<std::vector<Waiter*>> groups;
    for (Waiter* w : taken) {
      auto g = groups.begin();
      while (g != groups.end() &&
             (g->front()->actor->id != w->actor->id || g->front()->actor->role != w->actor->role))
        ++g;
      if (g == groups.end())
        groups.push_back({w});
      else
        g->push_back(w);
    }
    for (auto& g : groups) {
      Commit(g);
      // To the syncer, which answers once the commit is durable; meanwhile
      // this thread goes on with the next group or batch.
      {
        std::lock_guard sync_lock(sync_mu_);
        committed_.push_back(std::move(g));
      }
      committed_cv_.notify_one();
    }
    lock.lock();
  }
}

void IngestBatcher::RunSyncer() {
  std::unique_lock lock(sync_mu_);
  for (;;) {
    committed_cv_.wait(lock, [&] { return committer_done_ || !committed_.empty(); });
    // The committer hands its last group over before it says it is done.
    if (committed_.empty()) return;
    std::deque<std::vector<Waiter*>> groups;
    groups.swap(committed_);
    lock.unlock();
    // One sync for every group committed so far, however many.
    Status synced = vault_.SyncCommitted();
    if (!synced.ok())
      Log(LogLevel::kError, "ingest.sync_failed", "error=\"" + synced.ToString() + "\"");
    for (const auto& g : groups) {
      // Counted before the answers: whoever reads the metrics after an
      // answer sees its commit.
      if (metrics_) {
        metrics_->Add("cloison_ingest_commits_total",
                      "Group commits of ingested items (Vault::IngestBatchDeferred calls).", 1);
        metrics_->Add("cloison_ingest_batched_items_total",
                      "Items submitted through group commits.", static_cast<int64_t>(g.size()));
      }
      for (Waiter* w : g) {
        std::unique_ptr<Waiter> owned(w);
        // Committed, but whether it reached the disk is unknown: the
        // client must not take it as stored (nor as refused).
        if (!synced.ok() && owned->result->ok())
          owned->result = Status::IoError(
              "ingest: the item was committed but the store could not make it durable (" +
              synced.message() + "): it may or may not be kept; check before sending it again");
        owned->done(std::move(*owned->result));
      }
    }
    lock.lock();
  }
}

void IngestBatcher::Commit(const std::vector<Waiter*>& batch) {
  std::vector<service::IngestInput> inputs;
  inputs.reserve(batch.size());
  for (Waiter* w : batch) inputs.push_back(*w->in);
  // Durable only once the syncer's SyncCommitted returns.
  auto out = vault_.IngestBatchDeferred(*batch.front()->actor, inputs);
  if (out.ok()) {
    if (out->size() != batch.size()) {
      for (Waiter* w : batch)
        w->result = Status::Internal("ingest: the vault answered " + std::to_string(out->size()) +
                                     " outcomes for " + std::to_string(batch.size()) + " items");
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move((*out)[i]);
    return;
  }
  if (out.status().code() != Code::kInvalidArgument || batch.size() == 1) {
    // Nothing of the batch was committed; the same failure is every item's.
    for (Waiter* w : batch) w->result = out.status();
    return;
  }
  // Bad input somewhere stored none of them: each item alone, so that only
  // the request that sent it is refused, with its own message (the one
  // Vault::Ingest gives, without the batch's "item N: ").
  for (Waiter* w : batch) w->result = vault_.Ingest(*w->actor, *w->in);
}

}  // namespace cloison::api
