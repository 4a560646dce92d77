#include "rules/parser.h"

#include <toml++/toml.h>

#include <exception>
#include <fstream>
#include <span>
#include <sstream>
#include <utility>
#include <vector>

#include "rules/toml_reader.h"

namespace cloison::rules {
namespace {

using internal::SourceLine;
using internal::TableReader;

// --- one function per table kind; each lists its keys once ---------------

constexpr std::string_view kPurposeKeys[] = {"id", "label", "article", "note", "from", "until"};

Result<Purpose> ReadPurpose(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  Purpose p;
  ASSIGN_OR_RETURN(p.id, r.String("id"));
  ASSIGN_OR_RETURN(p.label, r.StringOr("label", ""));
  ASSIGN_OR_RETURN(p.cite, r.GetCite("", "id"));
  ASSIGN_OR_RETURN(p.validity, r.GetValidity());
  RETURN_IF_ERROR(r.Finish());
  return p;
}

constexpr std::string_view kMinisterKeys[] = {"id", "label", "article", "note"};

Result<Minister> ReadMinister(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  Minister m;
  ASSIGN_OR_RETURN(m.id, r.String("id"));
  ASSIGN_OR_RETURN(m.label, r.StringOr("label", ""));
  ASSIGN_OR_RETURN(m.cite, r.GetCite("", "id"));
  RETURN_IF_ERROR(r.Finish());
  return m;
}

constexpr std::string_view kRetentionKeys[] = {"kind",    "period",  "counted_from",
                                               "ceiling", "article", "note"};

Result<Retention> ReadRetention(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  Retention ret;
  ASSIGN_OR_RETURN(ret.kind, r.Kind("kind"));
  ASSIGN_OR_RETURN(ret.period, r.GetPeriod("period"));
  ASSIGN_OR_RETURN(ret.counted_from, r.StringOr("counted_from", "collection"));
  if (ret.counted_from != "collection" && ret.counted_from != "decryption") {
    return r.KeyError("counted_from",
                      "got \"" + ret.counted_from + "\", want \"collection\" or \"decryption\"");
  }
  ASSIGN_OR_RETURN(ret.ceiling, r.OptPeriod("ceiling"));
  ASSIGN_OR_RETURN(ret.cite, r.GetCite("", "period"));
  RETURN_IF_ERROR(r.Finish());
  return ret;
}

constexpr std::string_view kWindowKeys[] = {"start", "sunset", "report_due", "article", "note"};

Result<LegalWindow> ReadWindow(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  LegalWindow w;
  ASSIGN_OR_RETURN(w.start, r.GetDate("start"));
  ASSIGN_OR_RETURN(w.sunset, r.GetDate("sunset"));
  ASSIGN_OR_RETURN(w.report_due, r.GetDate("report_due"));
  ASSIGN_OR_RETURN(w.cite, r.GetCite("", "sunset"));
  RETURN_IF_ERROR(r.Finish());
  return w;
}

// clang-format off
constexpr std::string_view kTechniqueKeys[] = {
    "id", "label", "article", "note", "from", "until",
    "max_first", "max_renewal", "duration_article", "duration_note",
    "purposes", "purposes_article", "purposes_note",
    "kinds", "retention",
    "unrelated_max", "unrelated_article", "unrelated_note",
    "urgency_eligible", "urgency_article", "urgency_note",
    "requires_subsidiarity", "subsidiarity_article", "subsidiarity_note",
    "deferred_centralisation_allowed", "deferred_article", "deferred_note",
    "requires_collegial_opinion", "collegial_article", "collegial_note",
    "second_circle_allowed", "second_circle_article", "second_circle_note",
    "quota_required", "quota_article", "quota_note",
    "window",
};
// clang-format on

Result<Technique> ReadTechnique(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  Technique t;
  ASSIGN_OR_RETURN(t.id, r.String("id"));
  ASSIGN_OR_RETURN(t.label, r.StringOr("label", ""));
  ASSIGN_OR_RETURN(t.cite, r.GetCite("", "id"));
  ASSIGN_OR_RETURN(t.validity, r.GetValidity());

  ASSIGN_OR_RETURN(t.max_first, r.GetPeriod("max_first"));
  ASSIGN_OR_RETURN(auto renewal, r.OptPeriod("max_renewal"));
  t.max_renewal = renewal.value_or(t.max_first);
  ASSIGN_OR_RETURN(t.duration_cite, r.GetCite("duration_", "max_first"));

  ASSIGN_OR_RETURN(auto purposes, r.OptStringList("purposes"));
  t.purposes = purposes.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(t.purposes_cite, r.GetCite("purposes_", "purposes"));

  ASSIGN_OR_RETURN(t.kinds, r.Kinds("kinds"));
  ASSIGN_OR_RETURN(const toml::array* retention, r.OptTables("retention"));
  if (retention != nullptr) {
    for (size_t i = 0; i < retention->size(); ++i) {
      const toml::table& rt = *retention->get(i)->as_table();
      TableReader child =
          r.Child(rt, r.Path("retention") + "[" + std::to_string(i) + "]", kRetentionKeys);
      ASSIGN_OR_RETURN(Retention ret, ReadRetention(child));
      if (t.FindRetention(ret.kind) != nullptr) {
        return child.KeyError("kind", "got \"" + std::string(ItemKindName(ret.kind)) +
                                          "\" twice, want one retention per kind");
      }
      t.retention.push_back(std::move(ret));
    }
  }

  ASSIGN_OR_RETURN(t.unrelated_max, r.OptPeriod("unrelated_max"));
  ASSIGN_OR_RETURN(t.unrelated_cite, r.GetCite("unrelated_", "unrelated_max"));
  ASSIGN_OR_RETURN(t.urgency_eligible, r.BoolOr("urgency_eligible", true));
  ASSIGN_OR_RETURN(t.urgency_cite, r.GetCite("urgency_", "urgency_eligible"));
  ASSIGN_OR_RETURN(t.requires_subsidiarity, r.BoolOr("requires_subsidiarity", false));
  ASSIGN_OR_RETURN(t.subsidiarity_cite, r.GetCite("subsidiarity_", "requires_subsidiarity"));
  ASSIGN_OR_RETURN(t.deferred_centralisation_allowed,
                   r.BoolOr("deferred_centralisation_allowed", false));
  ASSIGN_OR_RETURN(t.deferred_cite, r.GetCite("deferred_", "deferred_centralisation_allowed"));
  ASSIGN_OR_RETURN(t.requires_collegial_opinion, r.BoolOr("requires_collegial_opinion", false));
  ASSIGN_OR_RETURN(t.collegial_cite, r.GetCite("collegial_", "requires_collegial_opinion"));
  ASSIGN_OR_RETURN(t.second_circle_allowed, r.BoolOr("second_circle_allowed", true));
  ASSIGN_OR_RETURN(t.second_circle_cite, r.GetCite("second_circle_", "second_circle_allowed"));
  ASSIGN_OR_RETURN(t.quota_required, r.BoolOr("quota_required", false));
  ASSIGN_OR_RETURN(t.quota_cite, r.GetCite("quota_", "quota_required"));

  ASSIGN_OR_RETURN(const toml::table* window, r.OptTable("window"));
  if (window != nullptr) {
    ASSIGN_OR_RETURN(LegalWindow w, ReadWindow(r.Child(*window, r.Path("window"), kWindowKeys)));
    t.window = w;
  }
  RETURN_IF_ERROR(r.Finish());
  return t;
}

constexpr std::string_view kServiceKeys[] = {"id",         "label",    "circle",  "minister",
                                             "techniques", "purposes", "article", "note",
                                             "from",       "until"};

Result<Service> ReadService(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  Service s;
  ASSIGN_OR_RETURN(s.id, r.String("id"));
  ASSIGN_OR_RETURN(s.label, r.StringOr("label", ""));
  ASSIGN_OR_RETURN(s.circle, r.Int("circle"));
  ASSIGN_OR_RETURN(s.minister, r.String("minister"));
  ASSIGN_OR_RETURN(auto techniques, r.OptStringList("techniques"));
  s.techniques = techniques.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(auto purposes, r.OptStringList("purposes"));
  s.purposes = purposes.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(s.cite, r.GetCite("", "id"));
  ASSIGN_OR_RETURN(s.validity, r.GetValidity());
  RETURN_IF_ERROR(r.Finish());
  return s;
}

constexpr std::string_view kOpinionKeys[] = {"deadline_single", "deadline_collegial", "article",
                                             "note"};

Result<OpinionRules> ReadOpinion(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  OpinionRules o;
  ASSIGN_OR_RETURN(o.deadline_single, r.GetPeriod("deadline_single"));
  ASSIGN_OR_RETURN(o.deadline_collegial, r.GetPeriod("deadline_collegial"));
  ASSIGN_OR_RETURN(o.cite, r.GetCite("", "deadline_single"));
  RETURN_IF_ERROR(r.Finish());
  return o;
}

// clang-format off
constexpr std::string_view kAuthorisationKeys[] = {
    "max_default", "max_default_article", "max_default_note",
    "request_content_article", "request_content_note",
    "renewal_reasons_article", "renewal_reasons_note",
    "override_article", "override_note",
    "conseil_etat_ruling", "conseil_etat_article", "conseil_etat_note",
};
// clang-format on

Result<AuthorisationRules> ReadAuthorisation(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  AuthorisationRules a;
  ASSIGN_OR_RETURN(a.max_default, r.GetPeriod("max_default"));
  ASSIGN_OR_RETURN(a.max_default_cite, r.GetCite("max_default_", "max_default"));
  ASSIGN_OR_RETURN(a.request_content_cite, r.GetCite("request_content_", ""));
  ASSIGN_OR_RETURN(a.renewal_reasons_cite, r.GetCite("renewal_reasons_", ""));
  ASSIGN_OR_RETURN(a.override_cite, r.GetCite("override_", ""));
  ASSIGN_OR_RETURN(a.conseil_etat_ruling, r.GetPeriod("conseil_etat_ruling"));
  ASSIGN_OR_RETURN(a.conseil_etat_cite, r.GetCite("conseil_etat_", "conseil_etat_ruling"));
  RETURN_IF_ERROR(r.Finish());
  return a;
}

constexpr std::string_view kUrgencyKeys[] = {"purposes", "justification_due", "article", "note"};

Result<UrgencyRules> ReadUrgency(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  UrgencyRules u;
  ASSIGN_OR_RETURN(auto purposes, r.OptStringList("purposes"));
  if (!purposes) return r.Missing("purposes", "an array of purpose ids");
  u.purposes = *std::move(purposes);
  ASSIGN_OR_RETURN(u.justification_due, r.GetPeriod("justification_due"));
  ASSIGN_OR_RETURN(u.cite, r.GetCite("", "purposes"));
  RETURN_IF_ERROR(r.Finish());
  return u;
}

constexpr std::string_view kProtectedKeys[] = {"plenary_required", "urgency_forbidden", "article",
                                               "note"};

Result<ProtectedProfessionRules> ReadProtected(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  ProtectedProfessionRules p;
  ASSIGN_OR_RETURN(p.plenary_required, r.BoolOr("plenary_required", true));
  ASSIGN_OR_RETURN(p.urgency_forbidden, r.BoolOr("urgency_forbidden", true));
  ASSIGN_OR_RETURN(p.cite, r.GetCite("", "plenary_required"));
  RETURN_IF_ERROR(r.Finish());
  return p;
}

// clang-format off
constexpr std::string_view kRndKeys[] = {
    "first_circle_only", "max_retention", "article", "note",
    "partitioned_storage", "collection_date_register", "algorithm_criteria_required",
    "amendments_article", "amendments_note",
};
// clang-format on

Result<RndRules> ReadRnd(const TableReader& r) {
  RETURN_IF_ERROR(r.CheckKeys());
  RndRules d;
  ASSIGN_OR_RETURN(d.first_circle_only, r.BoolOr("first_circle_only", true));
  ASSIGN_OR_RETURN(d.max_retention, r.GetPeriod("max_retention"));
  ASSIGN_OR_RETURN(d.cite, r.GetCite("", "max_retention"));
  ASSIGN_OR_RETURN(d.partitioned_storage, r.BoolOr("partitioned_storage", false));
  ASSIGN_OR_RETURN(d.collection_date_register, r.BoolOr("collection_date_register", false));
  ASSIGN_OR_RETURN(d.algorithm_criteria_required, r.BoolOr("algorithm_criteria_required", false));
  ASSIGN_OR_RETURN(d.amendments_cite, r.GetCite("amendments_", "partitioned_storage"));
  RETURN_IF_ERROR(r.Finish());
  return d;
}

constexpr std::string_view kEncryptedKeys[] = {"ceiling", "article", "note"};

// clang-format off
constexpr std::string_view kRootKeys[] = {
    "version", "id", "title", "effective",
    "purposes", "ministers", "techniques", "services",
    "opinion", "authorisation", "urgency", "protected_professions",
    "rnd", "encrypted",
};
// clang-format on

// Reads every table of an array of tables with `read`.
template <typename T, typename F>
Status ReadAll(const TableReader& root, std::string_view key,
               std::span<const std::string_view> keys, F read, std::vector<T>& out) {
  ASSIGN_OR_RETURN(const toml::array* arr, root.Tables(key));
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table& t = *arr->get(i)->as_table();
    ASSIGN_OR_RETURN(T v,
                     read(root.Child(t, std::string(key) + "[" + std::to_string(i) + "]", keys)));
    out.push_back(std::move(v));
  }
  return Status::Ok();
}

template <typename T, typename F>
Result<T> ReadOne(const TableReader& root, std::string_view key,
                  std::span<const std::string_view> keys, F read) {
  ASSIGN_OR_RETURN(const toml::table* t, root.SubTable(key));
  return read(root.Child(*t, std::string(key), keys));
}

Result<Rulebook> ReadRulebook(std::string_view source, const toml::table& doc) {
  TableReader r(source, doc, "", 1, kRootKeys);
  Rulebook b;
  // The version first: a newer file may well have keys this build ignores.
  ASSIGN_OR_RETURN(b.version, r.Int("version"));
  if (b.version != kRulebookFormatVersion) {
    return r.KeyError("version", "got " + std::to_string(b.version) + ", want " +
                                     std::to_string(kRulebookFormatVersion) +
                                     " (the format this build reads)");
  }
  RETURN_IF_ERROR(r.CheckKeys());
  ASSIGN_OR_RETURN(b.id, r.String("id"));
  ASSIGN_OR_RETURN(b.title, r.StringOr("title", ""));
  ASSIGN_OR_RETURN(b.effective, r.GetDate("effective"));
  RETURN_IF_ERROR(ReadAll(r, "purposes", kPurposeKeys, ReadPurpose, b.purposes));
  RETURN_IF_ERROR(ReadAll(r, "ministers", kMinisterKeys, ReadMinister, b.ministers));
  RETURN_IF_ERROR(ReadAll(r, "techniques", kTechniqueKeys, ReadTechnique, b.techniques));
  RETURN_IF_ERROR(ReadAll(r, "services", kServiceKeys, ReadService, b.services));
  ASSIGN_OR_RETURN(b.opinion, ReadOne<OpinionRules>(r, "opinion", kOpinionKeys, ReadOpinion));
  ASSIGN_OR_RETURN(b.authorisation, ReadOne<AuthorisationRules>(
                                        r, "authorisation", kAuthorisationKeys, ReadAuthorisation));
  ASSIGN_OR_RETURN(b.urgency, ReadOne<UrgencyRules>(r, "urgency", kUrgencyKeys, ReadUrgency));
  ASSIGN_OR_RETURN(
      b.protected_professions,
      ReadOne<ProtectedProfessionRules>(r, "protected_professions", kProtectedKeys, ReadProtected));
  ASSIGN_OR_RETURN(b.rnd, ReadOne<RndRules>(r, "rnd", kRndKeys, ReadRnd));
  ASSIGN_OR_RETURN(const toml::table* enc, r.SubTable("encrypted"));
  TableReader e = r.Child(*enc, "encrypted", kEncryptedKeys);
  RETURN_IF_ERROR(e.CheckKeys());
  ASSIGN_OR_RETURN(b.encrypted_ceiling, e.GetPeriod("ceiling"));
  ASSIGN_OR_RETURN(b.encrypted_cite, e.GetCite("", "ceiling"));
  RETURN_IF_ERROR(e.Finish());
  RETURN_IF_ERROR(r.Finish());
  return b;
}

}  // namespace

Result<Rulebook> ParseRulebook(std::string_view text, std::string_view source_name) {
  // toml++ throws; nothing thrown may cross this boundary (STYLE.md rule 2).
  try {
    toml::table doc = toml::parse(text, source_name);
    return ReadRulebook(source_name, doc);
  } catch (const toml::parse_error& e) {
    std::string line = std::to_string(SourceLine(e.source()));
    std::string column = std::to_string(e.source().begin.column);
    return Status::InvalidArgument(std::string(source_name) + ":" + line +
                                   ": TOML syntax, column " + column + ": " +
                                   std::string(e.description()));
  } catch (const std::exception& e) {
    return Status::Internal(std::string(source_name) + ": " + e.what());
  }
}

Result<Rulebook> LoadRulebook(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read error");
  return ParseRulebook(buf.str(), path);
}

}  // namespace cloison::rules
