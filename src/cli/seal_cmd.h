// The sealing commands (doc/formats/sealed-item.md), for collectors whose
// items are centralised later (CSI L. 852-3):
//   cloison seal --key PUB < item > sealed        seal stdin to a public key
//   cloison seal keygen --out FILE                 the centralising service's
//                                                  key pair: FILE (private,
//                                                  0600) and FILE.pub
//   cloison seal open --key FILE < sealed > item   open (centralising side)
// Content streams through in 64 KiB chunks: nothing is buffered whole.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cloison::cli {

// The lines these commands add to `cloison help`.
extern const std::string_view kSealUsage;

// Runs `seal ...`; args[0] is "seal". Exit codes as cli::Main: 0 success,
// 1 failure, 2 usage error. `in` is read to its end.
int RunSealCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err);

}  // namespace cloison::cli
