#include "server/serve.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "api/api.h"
#include "api/metrics.h"
#include "base/id.h"
#include "base/log.h"
#include "server/pki.h"
#include "service/exploitation.h"
#include "service/ledger.h"
#include "service/recommendation.h"
#include "service/rnd.h"
#include "service/rnd_copy.h"
#include "service/vault.h"
#include "service/workflow.h"

namespace cloison::server {
namespace {

// Runs each task on its own thread every `interval` until Stop(). Stop
// waits for a task that is running (a sweep half done is finished, not cut).
class Schedule {
 public:
  void Every(std::chrono::milliseconds interval, bool at_start, std::function<void()> task) {
    threads_.emplace_back([this, interval, at_start, task = std::move(task)] {
      std::unique_lock lock(mu_);
      if (at_start && !stopping_) {
        lock.unlock();
        task();
        lock.lock();
      }
      while (!cv_.wait_for(lock, interval, [&] { return stopping_; })) {
        lock.unlock();
        task();
        lock.lock();
      }
    });
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  ~Schedule() { Stop(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

Status Serve(service::Instance& instance, const Clock& clock, const ServeOptions& options,
             std::ostream& out) {
  if (!instance.store) return Status::FailedPrecondition("instance: not opened");
  // The vault cannot read or destroy anything without its root keys; a
  // server that started without them would answer every item with errors.
  if (!instance.root_keys)
    return Status::FailedPrecondition("vault: no root key provider opened for " + instance.dir +
                                      " (cloison.toml [vault] root_key_dir)");
  // Certificates follow real time, whatever clock the workflow reads.
  SystemClock system_clock;
  ASSIGN_OR_RETURN(PkiPaths pki, EnsurePki(instance.dir, system_clock));
  const Clock& wf_clock = options.test_clock ? *options.test_clock : clock;
  // Random ids, except for the vault's: its items come in great numbers,
  // and time-ordered ids keep their inserts in the last pages of each
  // index (base/id.h); the vault checks each new id is unused (FreshId).
  RandomIdGenerator ids;
  TimeOrderedIdGenerator vault_ids;
  service::Workflow workflow(*instance.store, instance.rulebook, wf_clock, ids);
  api::Metrics metrics;
  ASSIGN_OR_RETURN(auto ledger,
                   service::Ledger::Open(*instance.store, instance.ledger_key, wf_clock));
  service::VaultOptions vault_options;
  vault_options.max_item_size = instance.max_item_size;
  vault_options.centralising = &instance.centralising;
  service::Vault vault(*instance.store, instance.rulebook, wf_clock, vault_ids, *instance.root_keys,
                       instance.dir, vault_options);
  if (Status s = vault.Open(); !s.ok())
    return Status(s.code(), "vault: cannot open with the root keys of " + instance.root_key_dir +
                                " (cloison.toml [vault] root_key_dir): " + s.message());
  service::Rnd rnd(*instance.store, instance.rulebook, wf_clock, ids);
  service::RndCopies rnd_copies(*instance.store, instance.rulebook, wf_clock, vault,
                                *instance.root_keys);
  service::Exploitation exploitation(*instance.store, instance.rulebook, wf_clock, ids, vault,
                                     instance.dir);
  service::Recommendations recommendations(*instance.store, wf_clock, ids, vault, exploitation,
                                           rnd);
  api::ApiOptions api_options;
  api_options.test_clock = options.test_clock;
  api_options.ledger = ledger.get();
  api_options.vault = &vault;
  api_options.rnd = &rnd;
  api_options.rnd_copies = &rnd_copies;
  api_options.exploitation = &exploitation;
  api_options.recommendations = &recommendations;
  api::Api api(workflow, metrics, api_options);

  ServerOptions so = options.server;
  so.listen = options.listen;
  so.handle_signals = true;
  TlsFiles tls{pki.server_cert, pki.server_key, pki.ca_cert};
  ASSIGN_OR_RETURN(auto server, Server::Start(api, tls, so));
  std::string host = so.listen.substr(0, so.listen.rfind(':'));
  out << "serving https://" << host << ":" << server->port()
      << "/v1/ (CA certificate: " << pki.ca_cert << ")"
      << (options.test_clock ? " with the manual test clock" : "") << "\n"
      << std::flush;
  Schedule schedule;
  // Checkpoints on an interval (PRODUCT.md, ledger), until the server stops.
  schedule.Every(options.checkpoint_interval, false, [&] {
    if (auto cp = ledger->IssueCheckpoint(); !cp.ok())
      Log(LogLevel::kError, "ledger.checkpoint_failed",
          "code=" + std::string(CodeName(cp.status().code())));
  });
  // The retention sweep (L. 822-2: destroyed on time), at start to catch up
  // on what fell due while stopped, then on an interval.
  schedule.Every(options.sweep_interval, true, [&] { RunScheduledSweep(api); });
  server->Wait();
  // In-flight requests are done; a sweep under way finishes before the
  // store closes.
  schedule.Stop();
  out << "stopped\n";
  return Status::Ok();
}

void RunScheduledSweep(api::Api& api) {
  auto swept = api.RunSweep();
  if (!swept.ok()) {
    Log(LogLevel::kError, "retention.sweep_failed",
        "code=" + std::string(CodeName(swept.status().code())));
  } else if (swept->items > 0 || swept->buckets > 0) {
    Log(LogLevel::kInfo, "retention.swept",
        "destroyed=" + std::to_string(swept->items) + " buckets=" + std::to_string(swept->buckets) +
            " root_epoch=" + std::to_string(swept->root_epoch));
  }
}

}  // namespace cloison::server
