// `cloison demo`: a fresh embedded instance, demo principals and a realistic
// scenario of the authorisation workflow, narrated on `out`; then it serves.
#pragma once

#include <ostream>
#include <string>

namespace cloison::cli {

struct DemoOptions {
  std::string dir;  // empty: a new directory under $TMPDIR
  std::string listen = "127.0.0.1:8443";
  // After the scenario: issue a token per demo principal, print them, and
  // serve the API on `listen` until SIGTERM/SIGINT, with the scenario's
  // manual clock driving PUT /v1/test/clock.
  bool serve = true;
};

int RunDemo(const DemoOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cloison::cli
