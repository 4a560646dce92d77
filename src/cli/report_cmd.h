// `cloison report annual --data DIR --year Y [--format csv|json]` (API.md):
// the annual statistics of service/report.h, computed from the instance's
// ledger events of year Y (UTC), printed on stdout (JSON by default).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cloison::cli {

// The lines this command adds to `cloison help`.
extern const std::string_view kReportUsage;

// Runs `report ...`; args[0] is "report". Exit codes as cli::Main: 0
// success, 1 failure, 2 usage error.
int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cloison::cli
