#include <cstring>

#include "bench.h"

int main(int argc, char** argv) {
  cloison::bench::Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      options.quick = true;
    } else {
      std::fprintf(stderr, "usage: cloison_bench [--quick]\n");
      return 2;
    }
  }
  cloison::bench::GateBenchmarks(options);
  cloison::bench::LedgerBenchmarks(options);
  cloison::bench::VaultBenchmarks(options);
  return 0;
}
