#include "server/serve.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/api.h"
#include "api/metrics.h"
#include "base/id.h"
#include "base/log.h"
#include "service/ledger.h"
#include "server/pki.h"
#include "service/tokens.h"
#include "service/workflow.h"

namespace cloison::server {

Status Serve(service::Instance& instance, const Clock& clock, const ServeOptions& options,
             std::ostream& out) {
  if (!instance.store) return Status::FailedPrecondition("instance: not opened");
  // Certificates follow real time, whatever clock the workflow reads.
  SystemClock system_clock;
  ASSIGN_OR_RETURN(PkiPaths pki, EnsurePki(instance.dir, system_clock));
  const Clock& wf_clock = options.test_clock ? *options.test_clock : clock;
  RandomIdGenerator ids;
  service::Workflow workflow(*instance.store, instance.rulebook, wf_clock, ids);
  service::Tokens tokens(*instance.store, wf_clock);
  api::Metrics metrics;
  ASSIGN_OR_RETURN(auto ledger, service::Ledger::Open(*instance.store, instance.ledger_key, wf_clock));
  api::ApiOptions api_options;
  api_options.test_clock = options.test_clock;
  api_options.ledger = ledger.get();
  api::Api api(workflow, tokens, metrics, api_options);

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
  // Checkpoints on an interval (PRODUCT.md, ledger), until the server stops.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread ticker([&] {
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, options.checkpoint_interval, [&] { return stopping; })) {
      lock.unlock();
      if (auto cp = ledger->IssueCheckpoint(); !cp.ok())
        Log(LogLevel::kError, "ledger.checkpoint_failed", "code=" + std::string(CodeName(cp.status().code())));
      lock.lock();
    }
  });
  server->Wait();
  {
    std::lock_guard lock(mu);
    stopping = true;
  }
  cv.notify_all();
  ticker.join();
  out << "stopped\n";
  return Status::Ok();
}

}  // namespace cloison::server
