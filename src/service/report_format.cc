// The annual report as JSON and as CSV (doc/reports.md).
#include <sstream>

#include "service/report.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its
// quotes doubled. Keys come from the rulebook and from events, which a
// future vault version could fill with anything.
std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void Row(std::ostringstream& out, std::string_view section, std::string_view key, int64_t value) {
  out << section << ',' << CsvField(key) << ',' << value << "\r\n";
}

}  // namespace

json::object ReportToJson(const AnnualReport& r) {
  json::object o;
  o["year"] = r.year;
  o["events_in_year"] = r.events_in_year;
  o["events_read"] = r.events_read;
  for (const auto& [name, counts] : ReportSections(r)) {
    json::object s;
    for (const auto& [k, v] : *counts) s[k] = v;
    o[name] = std::move(s);
  }
  json::object quotas;
  for (const auto& [technique, q] : r.quotas) {
    json::object line{{"peak", q.peak}, {"changes", q.changes}};
    line["limit"] = q.limit < 0 ? json::value(nullptr) : json::value(q.limit);
    quotas[technique] = std::move(line);
  }
  o["quotas"] = std::move(quotas);
  return o;
}

std::string ReportToCsv(const AnnualReport& r) {
  std::ostringstream out;
  out << "section,key,value\r\n";
  Row(out, "report", "year", r.year);
  Row(out, "report", "events_in_year", r.events_in_year);
  Row(out, "report", "events_read", r.events_read);
  for (const auto& [name, counts] : ReportSections(r))
    for (const auto& [k, v] : *counts) Row(out, name, k, v);
  // A limit never set has no row: CSV has no null.
  for (const auto& [technique, q] : r.quotas) {
    if (q.limit >= 0) Row(out, "quota_limit", technique, q.limit);
    Row(out, "quota_peak", technique, q.peak);
    Row(out, "quota_changes", technique, q.changes);
  }
  return out.str();
}

}  // namespace cloison::service
