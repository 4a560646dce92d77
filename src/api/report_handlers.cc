// GET /v1/reports/annual?year=Y[&format=json|csv] (API.md; roles cnctr and
// pm by the access table): the annual statistics of service/report.h, which
// the CNCTR publishes (L. 833-9). Computed on each call from the ledger's
// events: a report is rare and must match the log exactly.
#include "api/api.h"
#include "api/json.h"
#include "service/report.h"

namespace cloison::api {

Result<HttpResponse> Api::AnnualReport(const Call& c) {
  for (const auto& [k, v] : c.query) {
    if (k != "year" && k != "format")
      return Status::InvalidArgument("query: unknown parameter \"" + k + "\", want year or format");
  }
  auto year_it = c.query.find("year");
  if (year_it == c.query.end())
    return Status::InvalidArgument("year: missing, want e.g. year=2025");
  ASSIGN_OR_RETURN(int year, service::ParseReportYear(year_it->second));
  std::string format = "json";
  if (auto it = c.query.find("format"); it != c.query.end()) format = it->second;
  if (format != "json" && format != "csv")
    return Status::InvalidArgument("format: got \"" + format + "\", want json or csv");
  ASSIGN_OR_RETURN(service::AnnualReport report,
                   service::LoadAnnualReport(workflow_.store(), year, &workflow_.rulebook()));
  if (format == "json") return JsonResponse(200, service::ReportToJson(report));
  HttpResponse r;
  r.status = 200;
  r.content_type = "text/csv; charset=utf-8";
  r.body = service::ReportToCsv(report);
  return r;
}

}  // namespace cloison::api
