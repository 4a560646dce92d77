#include "cli/serve_cmd.h"

#include "base/clock.h"
#include "server/serve.h"
#include "service/instance.h"

namespace cloison::cli {

int ServeCommand(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.has("--data")) {
    err << "cloison: serve: --data is required\nrun 'cloison help' for usage\n";
    return 2;
  }
  if (!a.positional.empty()) {
    err << "cloison: serve: unexpected argument \"" << a.positional[0]
        << "\"\nrun 'cloison help' for usage\n";
    return 2;
  }
  auto inst = service::OpenInstance(a.get("--data"));
  if (!inst.ok()) {
    err << "serve: " << inst.status().message() << "\n";
    return 1;
  }
  SystemClock system;
  // The manual clock starts at the real now and only moves forward.
  FakeClock manual(system.Now());
  server::ServeOptions options;
  if (a.has("--listen")) options.listen = a.get("--listen");
  if (a.has("--test-clock")) options.test_clock = &manual;
  Status s = server::Serve(*inst, system, options, out);
  if (!s.ok()) {
    err << "serve: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace cloison::cli
