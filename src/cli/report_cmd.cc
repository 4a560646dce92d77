#include "cli/report_cmd.h"

#include <boost/json.hpp>

#include "cli/args.h"
#include "service/instance.h"
#include "service/report.h"

namespace cloison::cli {

const std::string_view kReportUsage = R"(reports (doc/reports.md):
  report annual --data DIR --year Y [--format json|csv]
                        the year's statistics (requests, opinions, decisions,
                        authorisations, quotas, items, destructions, R&D)
                        computed from the ledger's events of year Y (UTC)
)";

namespace {

int Usage(std::ostream& err, const std::string& what) {
  err << "cloison: " << what << "\nrun 'cloison report --help' for usage\n";
  return 2;
}

int Annual(const Args& a, std::ostream& out, std::ostream& err) {
  for (const char* f : {"--data", "--year"})
    if (!a.has(f)) return Usage(err, std::string("report annual: ") + f + " is required");
  if (!a.positional.empty())
    return Usage(err, "report annual: unexpected argument \"" + a.positional[0] + "\"");
  auto year = service::ParseReportYear(a.get("--year"));
  if (!year.ok()) return Usage(err, "--" + year.status().message());
  std::string format = a.has("--format") ? a.get("--format") : "json";
  if (format != "json" && format != "csv")
    return Usage(err, "--format: got \"" + format + "\", want json or csv");
  auto inst = service::OpenInstance(a.get("--data"));
  if (!inst.ok()) {
    err << "report annual: " << inst.status().message() << "\n";
    return 1;
  }
  auto report = service::LoadAnnualReport(*inst->store, *year, &inst->rulebook);
  if (!report.ok()) {
    err << "report annual: " << report.status().message() << "\n";
    return 1;
  }
  if (format == "csv") {
    out << service::ReportToCsv(*report);
  } else {
    out << boost::json::serialize(service::ReportToJson(*report)) << "\n";
  }
  return 0;
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const std::string sub = args.size() > 1 ? args[1] : "";
  if (sub == "--help" || sub == "help") return out << kReportUsage, 0;
  if (sub != "annual") return Usage(err, "report: want 'annual'");
  Args a = ParseArgs(args, 2, {"--data", "--year", "--format"}, {});
  if (!a.error.empty()) return Usage(err, a.error);
  if (a.has("--help")) return out << kReportUsage, 0;
  return Annual(a, out, err);
}

}  // namespace cloison::cli
