// `cloison serve` and `cloison demo`'s serving step: the API over an opened
// instance, on HTTPS with the instance's PKI, until SIGTERM or SIGINT.
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
};

// Creates DIR/pki if missing, serves, prints the URL and the CA's path on
// `out`, and returns after a graceful shutdown. `clock` is the workflow's
// clock when there is no test clock.
Status Serve(service::Instance& instance, const Clock& clock, const ServeOptions& options,
             std::ostream& out);

}  // namespace cloison::server
