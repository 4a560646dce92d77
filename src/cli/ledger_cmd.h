// The ledger commands (doc/formats/ledger.md, API.md): the instance's own
// (`cloison ledger checkpoint|export|proof|key|cosign`), the CNCTR's verifier
// (`cloison verify`, `cloison verify-proof`) and witness (`cloison witness`,
// `cloison witness keygen`). The verifier and the witness need nothing from an
// instance: only a public key and the log's tiles, in a directory or over
// HTTP(S).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cloison::cli {

// The lines these commands add to `cloison help`.
extern const std::string_view kLedgerUsage;

// True for the commands RunLedgerCommand runs ("ledger", "verify",
// "verify-proof", "witness").
bool IsLedgerCommand(std::string_view command);

// Runs one of them; args[0] is the command. Exit codes as cli::Main: 0
// success (for verify: everything verified), 1 failure, 2 usage error.
int RunLedgerCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cloison::cli
