#include <cstdlib>
#include <cstring>
#include <string_view>

#include "bench.h"

int main(int argc, char** argv) {
  cloison::bench::Options options;
  std::string_view only;  // run one group: gate, ledger, vault, ingest, sweep, http, http-ingest
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      options.quick = true;
    } else if (std::strcmp(argv[i], "--sweep-items") == 0 && i + 1 < argc) {
      options.sweep_items = std::strtoull(argv[++i], nullptr, 10);
      if (options.sweep_items == 0 || options.sweep_items % 10000 != 0) {
        std::fprintf(stderr, "--sweep-items: got %s, want a positive multiple of 10000\n", argv[i]);
        return 2;
      }
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: cloison_bench [--quick] [--sweep-items N] [--only "
                   "gate|ledger|vault|ingest|sweep|http|http-ingest]\n");
      return 2;
    }
  }
  auto run = [&](std::string_view group) { return only.empty() || only == group; };
  if (run("gate")) cloison::bench::GateBenchmarks(options);
  if (run("ledger")) cloison::bench::LedgerBenchmarks(options);
  if (run("vault")) cloison::bench::VaultBenchmarks(options);
  if (run("ingest")) cloison::bench::VaultIngestBenchmarks(options);
  if (run("sweep")) cloison::bench::SweepBenchmarks(options);
  if (run("http")) cloison::bench::HttpBenchmarks(options);
  // Only on request: its rows repeat (http) ones.
  if (only == "http-ingest") cloison::bench::HttpIngestBenchmarks(options);
  return 0;
}
