#include "service/report.h"

#include <algorithm>
#include <chrono>

#include "service/codec.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr int kMinYear = 1970;
constexpr int kMaxYear = 9999;
constexpr int64_t kEventPage = 4096;

// The fixed keys of each section (doc/reports.md), all present in every
// report so that a zero is visible as a zero.
void Zero(ReportCounts& c, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) c.emplace(std::string(k), 0);
}

std::string_view Str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

bool Flag(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

std::optional<int64_t> Int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_int64()) return std::nullopt;
  return it->value().get_int64();
}

// A dimension value missing from an event (a vault event of an older shape,
// say) is counted, not dropped, under "unknown".
std::string KeyOr(std::string_view v) {
  return v.empty() ? "unknown" : std::string(v);
}

Time YearStart(int year) {
  return StartOf(std::chrono::year(year) / std::chrono::January / 1);
}

}  // namespace

std::vector<std::pair<std::string_view, const ReportCounts*>> ReportSections(
    const AnnualReport& r) {
  return {{"requests", &r.requests},
          {"opinions", &r.opinions},
          {"decisions", &r.decisions},
          {"authorisations", &r.authorisations},
          {"authorisations_by_technique", &r.by_technique},
          {"authorisations_by_purpose", &r.by_purpose},
          {"authorisations_by_service", &r.by_service},
          {"authorisations_by_minister", &r.by_minister},
          {"urgency", &r.urgency},
          {"items_ingested", &r.items_ingested},
          {"items_refused", &r.items_refused},
          {"destructions", &r.destructions},
          {"destructions_by_kind", &r.destructions_by_kind},
          {"destructions_by_reason", &r.destructions_by_reason},
          {"holds", &r.holds},
          {"exploitation", &r.exploitation},
          {"rnd", &r.rnd},
          {"recommendations", &r.recommendations}};
}

AnnualReportBuilder::AnnualReportBuilder(int year, const rules::Rulebook* book)
    : start_(YearStart(year)), end_(YearStart(year + 1)) {
  report_.year = year;
  Zero(report_.requests, {"submitted", "refused_by_law", "refused_by_law_at_submission",
                          "withdrawn", "urgency", "protected_profession", "renewals"});
  Zero(report_.opinions, {"favourable", "unfavourable", "deemed", "late", "formation_single",
                          "formation_restricted", "formation_plenary"});
  Zero(report_.decisions, {"granted", "refused", "refused_by_law", "immediate_execution"});
  Zero(report_.authorisations,
       {"issued", "terminated", "expired", "conseil_etat_upheld", "conseil_etat_annulled"});
  Zero(report_.urgency, {"requested", "granted", "justified", "justified_late"});
  Zero(report_.destructions, {"items", "buckets"});
  Zero(report_.holds, {"placed", "released"});
  Zero(report_.exploitation,
       {"reads", "transcriptions", "extractions", "transmissions", "transmissions_other_purpose"});
  Zero(report_.rnd,
       {"programmes_submitted", "opinions", "opinions_favourable", "opinions_unfavourable",
        "programmes_granted", "programmes_refused", "programmes_suspended", "items_copied"});
  Zero(report_.recommendations, {"interrupt", "destroy", "suspend_programme"});
  if (book != nullptr) {
    for (const auto& t : book->techniques) report_.by_technique.emplace(t.id, 0);
    for (const auto& p : book->purposes) report_.by_purpose.emplace(p.id, 0);
  }
}

Status AnnualReportBuilder::Add(const store::Event& event) {
  ++report_.events_read;
  const std::string where = "event " + std::to_string(event.index);
  boost::system::error_code ec;
  json::value v = json::parse(event.body, ec);
  if (ec || !v.is_object()) return Status::Corruption(where + ": body is not a JSON object");
  const json::object& o = v.get_object();
  auto at = ParseTime(Str(o, "at"), where + ".at");
  if (!at.ok()) return Status::Corruption(at.status().message());
  const json::object empty;
  const json::object* data_ptr = &empty;
  if (auto it = o.find("data"); it != o.end() && it->value().is_object())
    data_ptr = &it->value().get_object();
  const json::object& d = *data_ptr;
  const std::string_view type = event.type;

  // Quota limits reach across years: a limit set in 2024 still holds in 2025.
  if (type == "quota.set" && *at < end_) {
    if (auto limit = Int(d, "limit")) last_limit_[std::string(Str(o, "subject"))] = *limit;
  }
  if (*at < start_ || *at >= end_) return Status::Ok();
  ++report_.events_in_year;

  AnnualReport& r = report_;
  if (type == "request.submitted" || type == "request.refused") {
    ++r.requests["submitted"];
    if (type == "request.refused") {
      ++r.requests["refused_by_law"];
      ++r.requests["refused_by_law_at_submission"];
    }
    if (Flag(d, "urgency")) {
      ++r.requests["urgency"];
      ++r.urgency["requested"];
    }
    if (Flag(d, "protected_profession")) ++r.requests["protected_profession"];
    if (!Str(d, "renews").empty()) ++r.requests["renewals"];
  } else if (type == "request.withdrawn") {
    ++r.requests["withdrawn"];
  } else if (type == "opinion.given") {
    const std::string verdict = KeyOr(Str(d, "verdict"));
    ++r.opinions[verdict];
    ++r.opinions["formation_" + KeyOr(Str(d, "formation"))];
    if (Flag(d, "late")) ++r.opinions["late"];
  } else if (type == "decision.granted" || type == "decision.refused" ||
             type == "decision.refused_by_law") {
    // L. 821-3: an opinion not given in time is deemed given; it is recorded
    // with the decision that relied on it.
    if (Flag(d, "opinion_deemed")) ++r.opinions["deemed"];
    if (Flag(d, "immediate_execution")) ++r.decisions["immediate_execution"];
    if (type == "decision.granted") {
      ++r.decisions["granted"];
      // L. 821-5: absolute urgency grants an authorisation before any opinion.
      if (Str(d, "state") ==
          authz::AuthorisationStateName(authz::AuthorisationState::kEmergencyApproval))
        ++r.urgency["granted"];
    } else if (type == "decision.refused") {
      ++r.decisions["refused"];
    } else {
      ++r.decisions["refused_by_law"];
      ++r.requests["refused_by_law"];
    }
  } else if (type == "authorisation.issued") {
    ++r.authorisations["issued"];
    ++r.by_technique[KeyOr(Str(d, "technique"))];
    ++r.by_service[KeyOr(Str(d, "service"))];
    ++r.by_minister[KeyOr(Str(d, "minister"))];
    issued_.emplace_back(Str(o, "subject"));
  } else if (type == "authorisation.terminated") {
    ++r.authorisations["terminated"];
  } else if (type == "authorisation.expired") {
    ++r.authorisations["expired"];
  } else if (type == "conseil_etat.ruled") {
    ++r.authorisations[Flag(d, "upheld") ? "conseil_etat_upheld" : "conseil_etat_annulled"];
  } else if (type == "urgency.justified") {
    ++r.urgency["justified"];
    if (Flag(d, "late")) ++r.urgency["justified_late"];
  } else if (type == "quota.set") {
    ++r.quotas[std::string(Str(o, "subject"))].changes;
  } else if (type == "item.ingested") {  // the vault's events (issue #3)
    ++r.items_ingested[KeyOr(Str(d, "kind"))];
  } else if (type == "item.refused") {
    ++r.items_refused[KeyOr(Str(d, "kind"))];
  } else if (type == "item.read") {
    ++r.exploitation["reads"];
  } else if (type == "item.destroyed") {
    ++r.destructions["items"];
    ++r.destructions_by_kind[KeyOr(Str(d, "kind"))];
    ++r.destructions_by_reason[KeyOr(Str(d, "reason"))];
  } else if (type == "items.destroyed") {  // the sweep's: a chunk of one bucket's items
    if (const auto* items = d.if_contains("items"); items && items->is_array()) {
      const std::string reason = KeyOr(Str(d, "reason"));
      for (const json::value& e : items->get_array()) {
        if (!e.is_object()) continue;
        ++r.destructions["items"];
        ++r.destructions_by_kind[KeyOr(Str(e.get_object(), "kind"))];
        ++r.destructions_by_reason[reason];
      }
    }
  } else if (type == "bucket.destroyed") {
    ++r.destructions["buckets"];
  } else if (type == "hold.placed") {
    ++r.holds["placed"];
  } else if (type == "hold.released") {
    ++r.holds["released"];
  } else if (type == "transcription.made") {
    ++r.exploitation["transcriptions"];
  } else if (type == "extraction.made") {
    ++r.exploitation["extractions"];
  } else if (type == "transmission.made") {
    ++r.exploitation["transmissions"];
    // L. 822-3: a use for another purpose than the authorised one.
    if (Flag(d, "other_purpose")) ++r.exploitation["transmissions_other_purpose"];
  } else if (type == "rnd.programme.submitted") {
    ++r.rnd["programmes_submitted"];
  } else if (type == "rnd.programme.opinion") {
    ++r.rnd["opinions"];
    if (auto verdict = Str(d, "verdict"); !verdict.empty())
      ++r.rnd["opinions_" + std::string(verdict)];
  } else if (type == "rnd.programme.granted") {
    ++r.rnd["programmes_granted"];
  } else if (type == "rnd.programme.refused") {
    ++r.rnd["programmes_refused"];
  } else if (type == "rnd.programme.suspended") {
    ++r.rnd["programmes_suspended"];
  } else if (type == "rnd.item.copied") {
    ++r.rnd["items_copied"];
  } else if (type == "recommendation.made") {
    ++r.recommendations[KeyOr(Str(d, "kind"))];
  }
  return Status::Ok();
}

Result<AnnualReport> AnnualReportBuilder::Finish(
    const std::vector<authz::Authorisation>& authorisations) {
  std::map<std::string_view, const authz::Authorisation*> by_id;
  for (const auto& a : authorisations) by_id.emplace(a.id, &a);
  // Purposes are in the record, not in authorisation.issued.
  for (const auto& id : issued_) {
    auto it = by_id.find(id);
    if (it == by_id.end())
      return Status::Corruption("authorisation " + id +
                                ": issued in the ledger, missing from the store");
    for (const auto& p : it->second->purposes) ++report_.by_purpose[p];
  }

  for (const auto& [technique, limit] : last_limit_) report_.quotas[technique].limit = limit;
  // Peak: sweep the counting intervals [granted_at, ends_at) clipped to the
  // year; at one instant, ends come before starts (half-open intervals).
  std::map<std::string, std::vector<std::pair<Time, int>>, std::less<>> sweeps;
  for (const auto& a : authorisations) {
    auto q = report_.quotas.find(a.technique);
    if (q == report_.quotas.end()) continue;
    Time from = std::max(a.granted_at, start_);
    Time to = std::min(a.ends_at, end_);
    if (from >= to) continue;
    auto& s = sweeps[a.technique];
    s.emplace_back(from, +1);
    s.emplace_back(to, -1);
  }
  for (auto& [technique, points] : sweeps) {
    std::sort(points.begin(), points.end());  // (t, -1) before (t, +1)
    int64_t now = 0, peak = 0;
    for (const auto& p : points) peak = std::max(peak, now += p.second);
    report_.quotas[technique].peak = peak;
  }
  return std::move(report_);
}

Result<AnnualReport> LoadAnnualReport(store::Store& store, int year, const rules::Rulebook* book) {
  if (year < kMinYear || year > kMaxYear)
    return Status::InvalidArgument("year: got " + std::to_string(year) + ", want " +
                                   std::to_string(kMinYear) + ".." + std::to_string(kMaxYear));
  ASSIGN_OR_RETURN(auto tx, store.BeginRead());
  AnnualReportBuilder builder(year, book);
  ASSIGN_OR_RETURN(int64_t count, tx->EventCount());
  for (int64_t from = 0; from < count; from += kEventPage) {
    ASSIGN_OR_RETURN(auto events, tx->Events(from, std::min(kEventPage, count - from)));
    for (const auto& e : events) RETURN_IF_ERROR(builder.Add(e));
  }
  store::Filter f;
  f.kind = "authorisation";
  ASSIGN_OR_RETURN(auto records, tx->List(f));
  std::vector<authz::Authorisation> auths;
  auths.reserve(records.size());
  for (const auto& rec : records) {
    ASSIGN_OR_RETURN(auto a, AuthorisationFromJson(rec.body));
    auths.push_back(std::move(a));
  }
  return builder.Finish(auths);
}

Result<int> ParseReportYear(std::string_view text) {
  bool digits = text.size() == 4 &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  int year = digits ? std::stoi(std::string(text)) : 0;
  if (!digits || year < kMinYear)
    return Status::InvalidArgument("year: got \"" + std::string(text) + "\", want a year " +
                                   std::to_string(kMinYear) + ".." + std::to_string(kMaxYear));
  return year;
}

}  // namespace cloison::service
