// The `cloison` command line. Every command runs in-process from Main, so
// tests call it with arguments and captured streams.
#pragma once

#include <iostream>
#include <string>
#include <vector>

namespace cloison::cli {

// Runs one command line (without the program name). Returns the exit code:
// 0 success, 1 the command failed, 2 usage error.
int Main(const std::vector<std::string>& args, std::ostream& out = std::cout,
         std::ostream& err = std::cerr);

}  // namespace cloison::cli
