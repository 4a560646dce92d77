#include "rules/toml_reader.h"

#include <algorithm>
#include <climits>
#include <sstream>
#include <utility>

namespace cloison::rules::internal {
namespace {

constexpr std::string_view kPeriodWant = "a period such as P4M, P30D or PT48H";

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

}  // namespace

int SourceLine(const toml::source_region& region) {
  auto line = region.begin.line;
  if (line == 0) return 1;
  return line > static_cast<toml::source_index>(INT_MAX) ? INT_MAX : static_cast<int>(line);
}

std::string TableReader::Path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

Status TableReader::Error(int line, std::string_view key_path, std::string_view message) const {
  return Status::InvalidArgument(std::string(source_) + ":" + std::to_string(line) + ": " +
                                 std::string(key_path) + ": " + std::string(message));
}

Status TableReader::KeyError(std::string_view key, std::string_view message) const {
  return Error(LineOf(key), Path(key), message);
}

Status TableReader::CheckKeys() const {
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
    return Error(SourceLine(k.source()), Path(name), msg);
  }
  return Status::Ok();
}

Status TableReader::Finish() const {
  for (auto&& [k, v] : *t_) {
    if (!read_.count(std::string(k.str()))) {
      return Status::Internal(Path(k.str()) + ": allowed but never read by the parser");
    }
  }
  return Status::Ok();
}

const toml::node* TableReader::Get(std::string_view key) const {
  read_.insert(std::string(key));
  return t_->get(key);
}

int TableReader::LineOf(std::string_view key) const {
  auto it = t_->find(key);
  if (it == t_->end()) return line_;
  return SourceLine(it->second.source());
}

Status TableReader::Missing(std::string_view key, std::string_view want) const {
  return Error(line_, Path(key), "missing, want " + std::string(want));
}

Status TableReader::WrongType(std::string_view key, const toml::node& n,
                              std::string_view want) const {
  return Error(SourceLine(n.source()), Path(key),
               "got " + Describe(n) + ", want " + std::string(want));
}

Result<std::optional<std::string>> TableReader::OptString(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return std::optional<std::string>();
  if (!n->is_string()) return WrongType(key, *n, "a string");
  return std::optional<std::string>(n->as_string()->get());
}

Result<std::string> TableReader::String(std::string_view key) const {
  ASSIGN_OR_RETURN(auto s, OptString(key));
  if (!s) return Missing(key, "a string");
  if (s->empty()) return KeyError(key, "got \"\", want a non-empty string");
  return *std::move(s);
}

Result<std::string> TableReader::StringOr(std::string_view key, std::string fallback) const {
  ASSIGN_OR_RETURN(auto s, OptString(key));
  return s ? *std::move(s) : std::move(fallback);
}

Result<bool> TableReader::BoolOr(std::string_view key, bool fallback) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return fallback;
  if (!n->is_boolean()) return WrongType(key, *n, "true or false");
  return n->as_boolean()->get();
}

Result<int> TableReader::Int(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return Missing(key, "an integer");
  if (!n->is_integer()) return WrongType(key, *n, "an integer");
  int64_t v = n->as_integer()->get();
  if (v < -1000000 || v > 1000000) return WrongType(key, *n, "a small integer");
  return static_cast<int>(v);
}

Result<Period> TableReader::PeriodFrom(std::string_view key_path, const toml::node& n) const {
  if (n.is_string()) {
    if (auto p = ParsePeriod(n.as_string()->get())) return *p;
  }
  return Error(SourceLine(n.source()), key_path,
               "got " + Describe(n) + ", want " + std::string(kPeriodWant));
}

Result<std::optional<Period>> TableReader::OptPeriod(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return std::optional<Period>();
  ASSIGN_OR_RETURN(Period p, PeriodFrom(Path(key), *n));
  return std::optional<Period>(p);
}

Result<Period> TableReader::GetPeriod(std::string_view key) const {
  ASSIGN_OR_RETURN(auto p, OptPeriod(key));
  if (!p) return Missing(key, kPeriodWant);
  return *p;
}

Result<std::optional<Date>> TableReader::OptDate(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return std::optional<Date>();
  int line = SourceLine(n->source());
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

Result<Date> TableReader::GetDate(std::string_view key) const {
  ASSIGN_OR_RETURN(auto d, OptDate(key));
  if (!d) return Missing(key, "a date YYYY-MM-DD");
  return *d;
}

Result<std::optional<std::vector<std::string>>> TableReader::OptStringList(
    std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return std::optional<std::vector<std::string>>();
  const toml::array* arr = n->as_array();
  if (arr == nullptr) return WrongType(key, *n, "an array of strings");
  if (arr->empty()) return KeyError(key, "got [], want at least one value (omit the key for none)");
  std::vector<std::string> out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    std::string path = Path(key) + "[" + std::to_string(i) + "]";
    if (!e.is_string() || e.as_string()->get().empty()) {
      return Error(SourceLine(e.source()), path,
                   "got " + Describe(e) + ", want a non-empty string");
    }
    std::string s(e.as_string()->get());
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      return Error(SourceLine(e.source()), path,
                   "got " + Describe(e) + " twice, want each value once");
    }
    out.push_back(std::move(s));
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::vector<ItemKind>> TableReader::Kinds(std::string_view key) const {
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
      return Error(SourceLine(e.source()), path,
                   "got " + Describe(e) + ", want an item kind: " + KindList());
    }
    if (std::find(out.begin(), out.end(), *kind) != out.end()) {
      return Error(SourceLine(e.source()), path,
                   "got " + Describe(e) + " twice, want each kind once");
    }
    out.push_back(*kind);
  }
  return out;
}

Result<ItemKind> TableReader::Kind(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return Missing(key, "an item kind");
  std::optional<ItemKind> kind;
  if (n->is_string()) kind = ParseItemKind(n->as_string()->get());
  if (!kind) return WrongType(key, *n, "an item kind: " + KindList());
  return *kind;
}

Result<Cite> TableReader::GetCite(std::string_view prefix, std::string_view line_key) const {
  std::string article_key = std::string(prefix) + "article";
  std::string note_key = std::string(prefix) + "note";
  Cite c;
  ASSIGN_OR_RETURN(c.article, StringOr(article_key, ""));
  ASSIGN_OR_RETURN(c.note, StringOr(note_key, ""));
  c.line = Has(line_key) ? LineOf(line_key) : LineOf(article_key);
  return c;
}

Result<Validity> TableReader::GetValidity() const {
  Validity v;
  ASSIGN_OR_RETURN(v.from, OptDate("from"));
  ASSIGN_OR_RETURN(v.until, OptDate("until"));
  return v;
}

Result<const toml::table*> TableReader::OptTable(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return static_cast<const toml::table*>(nullptr);
  if (!n->is_table()) return WrongType(key, *n, "a table");
  return n->as_table();
}

Result<const toml::table*> TableReader::SubTable(std::string_view key) const {
  ASSIGN_OR_RETURN(const toml::table* t, OptTable(key));
  if (t == nullptr) return Missing(key, "a table [" + Path(key) + "]");
  return t;
}

Result<const toml::array*> TableReader::OptTables(std::string_view key) const {
  const toml::node* n = Get(key);
  if (n == nullptr) return static_cast<const toml::array*>(nullptr);
  const toml::array* arr = n->as_array();
  if (arr == nullptr) return WrongType(key, *n, "an array of tables [[" + Path(key) + "]]");
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    if (!e.is_table()) {
      return Error(SourceLine(e.source()), Path(key) + "[" + std::to_string(i) + "]",
                   "got " + Describe(e) + ", want a table");
    }
  }
  return arr;
}

Result<const toml::array*> TableReader::Tables(std::string_view key) const {
  ASSIGN_OR_RETURN(const toml::array* arr, OptTables(key));
  if (arr == nullptr) return Missing(key, "an array of tables [[" + Path(key) + "]]");
  return arr;
}

std::string TableReader::KindList() {
  std::string out;
  for (int i = 0; i < kItemKindCount; ++i) {
    out += (i ? ", " : "") + std::string(ItemKindName(kAllItemKinds[i]));
  }
  return out;
}

}  // namespace cloison::rules::internal
