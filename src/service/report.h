// The annual report (API.md `cloison report annual`, GET /v1/reports/annual):
// the statistics the CNCTR publishes each year (L. 833-9) computed from the
// ledger's events of that year (doc/formats/event.md; the year of an event is
// the UTC year of its `at`), plus the authorisation records where an event
// does not carry the field (purposes; the quota-counting interval). Events
// are the source of truth: a count here is a count of ledger entries, so
// anyone holding the log can recompute it. doc/reports.md lists every
// section, key and the event it counts.
//
// AnnualReportBuilder is pure (events and records in, counts out);
// LoadAnnualReport reads them from a store in one read transaction.
//
// Thread-safety: a builder is used by one thread; LoadAnnualReport is
// thread-safe if the Store is.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "authz/model.h"
#include "base/status.h"
#include "rules/rulebook.h"
#include "store/store.h"

namespace cloison::service {

using ReportCounts = std::map<std::string, int64_t, std::less<>>;

// Quota use of one technique over the year.
struct QuotaLine {
  // The limit in force at the end of the year (the last quota.set before
  // it), -1 if none was ever set.
  int64_t limit = -1;
  // The most authorisations counting toward the quota at one instant of the
  // year (authz::CountsTowardQuota: from the grant until the end, which a
  // termination or an annulment brings forward).
  int64_t peak = 0;
  int64_t changes = 0;  // quota.set events in the year
};

struct AnnualReport {
  int year = 0;
  int64_t events_in_year = 0;  // ledger entries whose `at` is in the year
  int64_t events_read = 0;     // all entries read (the log's size then)
  // Fixed-key sections: every key is present, zero or not (doc/reports.md).
  ReportCounts requests, opinions, decisions, authorisations, urgency, destructions, holds,
      exploitation, rnd, recommendations;
  // Keyed by technique, purpose, service, minister, item kind or reason; only
  // the keys seen, plus (with a rulebook) every technique and purpose.
  ReportCounts by_technique, by_purpose, by_service, by_minister;
  ReportCounts items_ingested, items_refused, destructions_by_kind, destructions_by_reason;
  std::map<std::string, QuotaLine, std::less<>> quotas;  // by technique
};

// The sections in report order, for the renderers: (name, counts).
std::vector<std::pair<std::string_view, const ReportCounts*>> ReportSections(const AnnualReport& r);

class AnnualReportBuilder {
 public:
  // `book` (optional) lists every technique and purpose with a zero count so
  // that a technique nobody used still shows; it must outlive the builder.
  explicit AnnualReportBuilder(int year, const rules::Rulebook* book = nullptr);

  // Feed every event of the log, in index order (events of other years are
  // read too: quota limits set earlier still hold). Corruption if an event
  // body is not the JSON of doc/formats/event.md.
  Status Add(const store::Event& event);
  // Every authorisation record (any state); purposes and quota peaks come
  // from them. Call once, after the events.
  Result<AnnualReport> Finish(const std::vector<authz::Authorisation>& authorisations);

 private:
  AnnualReport report_;
  Time start_, end_;  // [start_, end_): the year, UTC
  // Authorisations issued in the year (the subject of authorisation.issued).
  std::vector<std::string> issued_;
  // technique -> the last quota.set limit before the end of the year.
  std::map<std::string, int64_t, std::less<>> last_limit_;
};

// The report of `year` (1970..9999) from `store`, in one read transaction.
Result<AnnualReport> LoadAnnualReport(store::Store& store, int year,
                                      const rules::Rulebook* book = nullptr);

// Parses a year given by a user ("2025"): 1970..9999, digits only.
Result<int> ParseReportYear(std::string_view text);

// report_format.cc. JSON: {"year", "events_in_year", "events_read", one
// object per section, "quotas": {technique: {limit, peak, changes}}}; a limit
// never set is null. CSV: "section,key,value" then one row per count
// (doc/reports.md).
boost::json::object ReportToJson(const AnnualReport& r);
std::string ReportToCsv(const AnnualReport& r);

}  // namespace cloison::service
