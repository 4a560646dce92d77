// `cloison serve --data DIR [--listen ADDR] [--test-clock]` (API.md).
#pragma once

#include <ostream>

#include "cli/args.h"

namespace cloison::cli {

// Flags: --data DIR and --listen ADDR take values, --test-clock none.
// Serves until SIGTERM or SIGINT. 0 after a graceful stop, 1 if it could not
// start, 2 for a usage error.
int ServeCommand(const Args& a, std::ostream& out, std::ostream& err);

}  // namespace cloison::cli
