#include "rules/parser.h"

#include <toml++/toml.h>

#include <algorithm>
#include <climits>
#include <exception>
#include <fstream>
#include <set>
#include <span>
#include <sstream>
#include <utility>
#include <vector>

namespace cloison::rules {
namespace {

constexpr std::string_view kPeriodWant = "a period such as P4M, P30D or PT48H";

int LineOf(const toml::source_region& region) {
  auto line = region.begin.line;
  if (line == 0) return 1;
  return line > static_cast<toml::source_index>(INT_MAX) ? INT_MAX : static_cast<int>(line);
}

// How a value looks in a message: strings quoted, numbers as written, the
// rest by type.
std::string Describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: {
      std::string_view s = n.as_string()->get();
      std::string out = "\"";
      out += s.substr(0, 48);
      if (s.size() > 48) out += "...";
      return out + "\"";
    }
    case toml::node_type::integer:
      return std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point: {
      std::ostringstream os;
      os << n.as_floating_point()->get();
      return os.str();
    }
    case toml::node_type::boolean:
      return n.as_boolean()->get() ? "true" : "false";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "nothing";
  }
}

// Levenshtein distance, for "did you mean" on unknown keys.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// One TOML table being read: knows its key path for messages, the keys it
// allows, and which of them were read (so that an allowed key the code forgot
// to read is caught by the tests, not silently ignored).
class Table {
 public:
  Table(std::string_view source, const toml::table& t, std::string path, int line,
        std::span<const std::string_view> allowed)
      : source_(source), t_(&t), path_(std::move(path)), line_(line), allowed_(allowed) {}

  int line() const { return line_; }
  const std::string& path() const { return path_; }

  std::string Path(std::string_view key) const {
    if (path_.empty()) return std::string(key);
    return path_ + "." + std::string(key);
  }

  Status Error(int line, std::string_view key_path, std::string_view message) const {
    return Status::InvalidArgument(std::string(source_) + ":" + std::to_string(line) + ": " +
                                   std::string(key_path) + ": " + std::string(message));
  }
  Status KeyError(std::string_view key, std::string_view message) const {
    return Error(LineOf(key), Path(key), message);
  }

  // The first key that is not allowed, with a suggestion when one is close.
  Status CheckKeys() const {
    for (auto&& [k, v] : *t_) {
      std::string_view name = k.str();
      if (std::find(allowed_.begin(), allowed_.end(), name) != allowed_.end()) continue;
      std::string msg = "unknown key";
      std::string_view best;
      size_t best_d = 3;
      for (std::string_view a : allowed_) {
        size_t d = Distance(name, a);
        if (d < best_d) best_d = d, best = a;
      }
      if (!best.empty()) {
        msg += " (did you mean " + std::string(best) + "?)";
      } else {
        msg += "; allowed here: ";
        for (size_t i = 0; i < allowed_.size(); ++i) {
          msg += (i ? ", " : "") + std::string(allowed_[i]);
        }
      }
      return Error(::cloison::rules::LineOf(k.source()), Path(name), msg);
    }
    return Status::Ok();
  }

  // Every key present was read: a key allowed but never read is a bug here.
  Status Finish() const {
    for (auto&& [k, v] : *t_) {
      if (!read_.count(std::string(k.str()))) {
        return Status::Internal(Path(k.str()) + ": allowed but never read by the parser");
      }
    }
    return Status::Ok();
  }

  const toml::node* Get(std::string_view key) const {
    read_.insert(std::string(key));
    return t_->get(key);
  }
  bool Has(std::string_view key) const { return t_->contains(key); }

  int LineOf(std::string_view key) const {
    auto it = t_->find(key);
    if (it == t_->end()) return line_;
    return ::cloison::rules::LineOf(it->second.source());
  }

  Status Missing(std::string_view key, std::string_view want) const {
    return Error(line_, Path(key), "missing, want " + std::string(want));
  }
  Status WrongType(std::string_view key, const toml::node& n, std::string_view want) const {
    return Error(::cloison::rules::LineOf(n.source()), Path(key),
                 "got " + Describe(n) + ", want " + std::string(want));
  }

  Result<std::optional<std::string>> OptString(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return std::optional<std::string>();
    if (!n->is_string()) return WrongType(key, *n, "a string");
    return std::optional<std::string>(n->as_string()->get());
  }
  Result<std::string> String(std::string_view key) const {
    ASSIGN_OR_RETURN(auto s, OptString(key));
    if (!s) return Missing(key, "a string");
    if (s->empty()) return KeyError(key, "got \"\", want a non-empty string");
    return *std::move(s);
  }
  Result<std::string> StringOr(std::string_view key, std::string fallback) const {
    ASSIGN_OR_RETURN(auto s, OptString(key));
    return s ? *std::move(s) : std::move(fallback);
  }

  Result<bool> BoolOr(std::string_view key, bool fallback) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return fallback;
    if (!n->is_boolean()) return WrongType(key, *n, "true or false");
    return n->as_boolean()->get();
  }

  Result<int> Int(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return Missing(key, "an integer");
    if (!n->is_integer()) return WrongType(key, *n, "an integer");
    int64_t v = n->as_integer()->get();
    if (v < -1000000 || v > 1000000) return WrongType(key, *n, "a small integer");
    return static_cast<int>(v);
  }

  Result<Period> PeriodFrom(std::string_view key_path, const toml::node& n) const {
    if (n.is_string()) {
      if (auto p = ParsePeriod(n.as_string()->get())) return *p;
    }
    return Error(::cloison::rules::LineOf(n.source()), key_path,
                 "got " + Describe(n) + ", want " + std::string(kPeriodWant));
  }
  Result<std::optional<Period>> OptPeriod(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return std::optional<Period>();
    ASSIGN_OR_RETURN(Period p, PeriodFrom(Path(key), *n));
    return std::optional<Period>(p);
  }
  Result<Period> GetPeriod(std::string_view key) const {
    ASSIGN_OR_RETURN(auto p, OptPeriod(key));
    if (!p) return Missing(key, kPeriodWant);
    return *p;
  }

  // A TOML local date (2021-08-01) or a string "2021-08-01".
  Result<std::optional<Date>> OptDate(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return std::optional<Date>();
    int line = ::cloison::rules::LineOf(n->source());
    if (const auto* d = n->as_date()) {
      toml::date v = d->get();
      Date date{std::chrono::year(v.year), std::chrono::month(v.month), std::chrono::day(v.day)};
      if (!date.ok()) return Error(line, Path(key), "got an invalid date, want a calendar date");
      return std::optional<Date>(date);
    }
    if (n->is_string()) {
      auto date = ParseDate(n->as_string()->get(), Path(key));
      if (!date.ok()) {
        return Status::InvalidArgument(std::string(source_) + ":" + std::to_string(line) + ": " +
                                       date.status().message());
      }
      return std::optional<Date>(*date);
    }
    return WrongType(key, *n, "a date YYYY-MM-DD");
  }
  Result<Date> GetDate(std::string_view key) const {
    ASSIGN_OR_RETURN(auto d, OptDate(key));
    if (!d) return Missing(key, "a date YYYY-MM-DD");
    return *d;
  }

  // An array of distinct non-empty strings; absent = nullopt; present and
  // empty is refused (omit the key instead).
  Result<std::optional<std::vector<std::string>>> OptStringList(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return std::optional<std::vector<std::string>>();
    const toml::array* arr = n->as_array();
    if (arr == nullptr) return WrongType(key, *n, "an array of strings");
    if (arr->empty())
      return KeyError(key, "got [], want at least one value (omit the key for none)");
    std::vector<std::string> out;
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& e = *arr->get(i);
      std::string path = Path(key) + "[" + std::to_string(i) + "]";
      if (!e.is_string() || e.as_string()->get().empty()) {
        return Error(::cloison::rules::LineOf(e.source()), path,
                     "got " + Describe(e) + ", want a non-empty string");
      }
      std::string s(e.as_string()->get());
      if (std::find(out.begin(), out.end(), s) != out.end()) {
        return Error(::cloison::rules::LineOf(e.source()), path,
                     "got " + Describe(e) + " twice, want each value once");
      }
      out.push_back(std::move(s));
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }

  // An array of item kind names; may be empty (a technique that only enables
  // others, such as entry into a private place, collects nothing itself).
  Result<std::vector<ItemKind>> Kinds(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return Missing(key, "an array of item kinds");
    const toml::array* arr = n->as_array();
    if (arr == nullptr) return WrongType(key, *n, "an array of item kinds");
    std::vector<ItemKind> out;
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& e = *arr->get(i);
      std::string path = Path(key) + "[" + std::to_string(i) + "]";
      std::optional<ItemKind> kind;
      if (e.is_string()) kind = ParseItemKind(e.as_string()->get());
      if (!kind) {
        return Error(::cloison::rules::LineOf(e.source()), path,
                     "got " + Describe(e) + ", want an item kind: " + KindList());
      }
      if (std::find(out.begin(), out.end(), *kind) != out.end()) {
        return Error(::cloison::rules::LineOf(e.source()), path,
                     "got " + Describe(e) + " twice, want each kind once");
      }
      out.push_back(*kind);
    }
    return out;
  }

  Result<ItemKind> Kind(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return Missing(key, "an item kind");
    std::optional<ItemKind> kind;
    if (n->is_string()) kind = ParseItemKind(n->as_string()->get());
    if (!kind) return WrongType(key, *n, "an item kind: " + KindList());
    return *kind;
  }

  // `<prefix>article` and `<prefix>note`; the line is that of `line_key` when
  // present (the value the citation justifies), else of the article.
  Result<Cite> GetCite(std::string_view prefix, std::string_view line_key) const {
    std::string article_key = std::string(prefix) + "article";
    std::string note_key = std::string(prefix) + "note";
    Cite c;
    ASSIGN_OR_RETURN(c.article, StringOr(article_key, ""));
    ASSIGN_OR_RETURN(c.note, StringOr(note_key, ""));
    c.line = Has(line_key) ? LineOf(line_key) : LineOf(article_key);
    return c;
  }

  Result<Validity> GetValidity() const {
    Validity v;
    ASSIGN_OR_RETURN(v.from, OptDate("from"));
    ASSIGN_OR_RETURN(v.until, OptDate("until"));
    return v;
  }

  // A sub-table; nullptr when absent.
  Result<const toml::table*> OptTable(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return static_cast<const toml::table*>(nullptr);
    if (!n->is_table()) return WrongType(key, *n, "a table");
    return n->as_table();
  }
  Result<const toml::table*> SubTable(std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::table* t, OptTable(key));
    if (t == nullptr) return Missing(key, "a table [" + Path(key) + "]");
    return t;
  }
  // An array of tables ([[key]]); nullptr when absent.
  Result<const toml::array*> OptTables(std::string_view key) const {
    const toml::node* n = Get(key);
    if (n == nullptr) return static_cast<const toml::array*>(nullptr);
    const toml::array* arr = n->as_array();
    if (arr == nullptr) return WrongType(key, *n, "an array of tables [[" + Path(key) + "]]");
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& e = *arr->get(i);
      if (!e.is_table()) {
        return Error(::cloison::rules::LineOf(e.source()),
                     Path(key) + "[" + std::to_string(i) + "]",
                     "got " + Describe(e) + ", want a table");
      }
    }
    return arr;
  }
  Result<const toml::array*> Tables(std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::array* arr, OptTables(key));
    if (arr == nullptr) return Missing(key, "an array of tables [[" + Path(key) + "]]");
    return arr;
  }

  // A child reader for `t`, found at `key_path`.
  Table Child(const toml::table& t, std::string key_path,
              std::span<const std::string_view> allowed) const {
    return Table(source_, t, std::move(key_path), ::cloison::rules::LineOf(t.source()), allowed);
  }

 private:
  static std::string KindList() {
    std::string out;
    for (int i = 0; i < kItemKindCount; ++i) {
      out += (i ? ", " : "") + std::string(ItemKindName(kAllItemKinds[i]));
    }
    return out;
  }

  std::string_view source_;
  const toml::table* t_;
  std::string path_;
  int line_;
  std::span<const std::string_view> allowed_;
  mutable std::set<std::string> read_;
};

// --- one function per table kind; each lists its keys once ---------------

constexpr std::string_view kPurposeKeys[] = {"id", "label", "article", "note", "from", "until"};

Result<Purpose> ReadPurpose(const Table& r) {
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

Result<Minister> ReadMinister(const Table& r) {
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

Result<Retention> ReadRetention(const Table& r) {
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

Result<LegalWindow> ReadWindow(const Table& r) {
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

Result<Technique> ReadTechnique(const Table& r) {
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
      Table child =
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

Result<Service> ReadService(const Table& r) {
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

Result<OpinionRules> ReadOpinion(const Table& r) {
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

Result<AuthorisationRules> ReadAuthorisation(const Table& r) {
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

Result<UrgencyRules> ReadUrgency(const Table& r) {
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

Result<ProtectedProfessionRules> ReadProtected(const Table& r) {
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

Result<RndRules> ReadRnd(const Table& r) {
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
Status ReadAll(const Table& root, std::string_view key, std::span<const std::string_view> keys,
               F read, std::vector<T>& out) {
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
Result<T> ReadOne(const Table& root, std::string_view key, std::span<const std::string_view> keys,
                  F read) {
  ASSIGN_OR_RETURN(const toml::table* t, root.SubTable(key));
  return read(root.Child(*t, std::string(key), keys));
}

Result<Rulebook> ReadRulebook(std::string_view source, const toml::table& doc) {
  Table r(source, doc, "", 1, kRootKeys);
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
  Table e = r.Child(*enc, "encrypted", kEncryptedKeys);
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
    std::string line = std::to_string(LineOf(e.source()));
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
