// `cloison demo`: a fresh embedded instance, demo principals and a realistic
// scenario of the authorisation workflow, narrated on `out`.
#pragma once

#include <ostream>
#include <string>

namespace cloison::cli {

struct DemoOptions {
  std::string dir;  // empty: a new directory under $TMPDIR
};

int RunDemo(const DemoOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cloison::cli
