#include "api/ingest_batcher.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cloison::api {

// One submitted item, on its submitter's stack; the committer touches it
// only between taking it from the queue and setting `done` (under mu_).
struct IngestBatcher::Waiter {
  const service::Principal* actor;
  const service::IngestInput* in;
  std::optional<Result<service::Outcome<service::Ingested>>> result;
  bool done = false;  // guarded by mu_
  std::condition_variable cv;
};

IngestBatcher::IngestBatcher(service::Vault& vault, Metrics* metrics, IngestBatcherOptions options)
    : vault_(vault), metrics_(metrics), options_(options) {
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
    committer_.join();
  });
}

Result<service::Outcome<service::Ingested>> IngestBatcher::Ingest(const service::Principal& actor,
                                                                  const service::IngestInput& in) {
  Waiter w{&actor, &in, std::nullopt};
  std::unique_lock lock(mu_);
  if (stopping_) {
    lock.unlock();
    return vault_.Ingest(actor, in);
  }
  queue_.push_back(&w);
  lock.unlock();
  work_.notify_one();
  lock.lock();
  w.cv.wait(lock, [&] { return w.done; });
  return std::move(*w.result);
}

void IngestBatcher::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    // Stop drains: the loop ends only once nothing is left.
    if (queue_.empty()) return;
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
    for (const auto& g : groups) Commit(g);
    if (metrics_) {
      metrics_->Add("cloison_ingest_commits_total",
                    "Group commits of ingested items (Vault::IngestBatch calls).",
                    static_cast<int64_t>(groups.size()));
      metrics_->Add("cloison_ingest_batched_items_total", "Items submitted through group commits.",
                    static_cast<int64_t>(taken.size()));
    }
    lock.lock();
    for (Waiter* w : taken) {
      w->done = true;
      // Under mu_: the waiter cannot return and free `cv` before this.
      w->cv.notify_one();
    }
  }
}

void IngestBatcher::Commit(const std::vector<Waiter*>& batch) {
  std::vector<service::IngestInput> inputs;
  inputs.reserve(batch.size());
  for (Waiter* w : batch) inputs.push_back(*w->in);
  auto out = vault_.IngestBatch(*batch.front()->actor, inputs);
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
