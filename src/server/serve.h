// `cloison serve` and `cloison demo`'s serving step: the API over an opened
// instance, on HTTPS with the instance's PKI, until SIGTERM or SIGINT. It
// builds the use cases over the instance (workflow, tokens, ledger, the
// vault over the instance's root keys, R&D, exploitation, recommendations)
// and runs two schedules while serving: a ledger checkpoint and the
// retention sweep, each every minute by default. With the test clock, moving it (PUT
// /v1/test/clock) also sweeps at once (api.h).
//
// Thread-safety: Serve blocks its caller; RunScheduledSweep may be called
// from any thread (Api::RunSweep serialises sweeps).
#pragma once

#include <ostream>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "server/server.h"
#include "service/instance.h"

namespace cloison::server {

struct ServeOptions {
  std::string listen = "127.0.0.1:8443";
  // Non-null with `--test-clock`: the workflow reads it and PUT
  // /v1/test/clock drives it. Null: the workflow reads `clock`.
  FakeClock* test_clock = nullptr;
  ServerOptions server;  // limits; `listen` and `handle_signals` are set from here
  // The ledger signs a checkpoint this often while serving (and on demand).
  std::chrono::seconds checkpoint_interval{60};
  // The retention sweep runs at start, then this often (and on demand,
  // POST /v1/retention/sweep).
  std::chrono::seconds sweep_interval{60};
};

// Creates DIR/pki if missing, opens the vault (FailedPrecondition naming
// the key directory, before serving, when its root keys are missing),
// serves, prints the URL and the CA's path on `out`, and returns after a
// graceful shutdown: requests in flight and a sweep under way finish
// first. `clock` is the workflow's clock when there is no test clock.
Status Serve(service::Instance& instance, const Clock& clock, const ServeOptions& options,
             std::ostream& out);

// One scheduled sweep through `api` (as "system"), its outcome logged
// (counts only, never identifiers).
void RunScheduledSweep(api::Api& api);

}  // namespace cloison::server
