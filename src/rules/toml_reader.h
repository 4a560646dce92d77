// Reading one TOML table of a rulebook: values by key with the type the
// format wants, key paths and source lines for messages, the set of allowed
// keys (unknown ones are errors, with a "did you mean"), and a record of the
// keys read so that an allowed key the parser forgets to read is caught.
// Internal to parser.cc; toml++ appears in no other header.
//
// Not thread-safe (records the keys it reads); one reader per table.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "rules/rulebook.h"

namespace cloison::rules::internal {

// The 1-based line where `region` begins (1 when unknown).
int SourceLine(const toml::source_region& region);

class TableReader {
 public:
  TableReader(std::string_view source, const toml::table& t, std::string path, int line,
              std::span<const std::string_view> allowed)
      : source_(source), t_(&t), path_(std::move(path)), line_(line), allowed_(allowed) {}

  int line() const { return line_; }
  const std::string& path() const { return path_; }

  std::string Path(std::string_view key) const;

  Status Error(int line, std::string_view key_path, std::string_view message) const;
  Status KeyError(std::string_view key, std::string_view message) const;

  // The first key that is not allowed, with a suggestion when one is close.
  Status CheckKeys() const;

  // Every key present was read: a key allowed but never read is a bug here.
  Status Finish() const;

  const toml::node* Get(std::string_view key) const;
  bool Has(std::string_view key) const { return t_->contains(key); }

  int LineOf(std::string_view key) const;

  Status Missing(std::string_view key, std::string_view want) const;
  Status WrongType(std::string_view key, const toml::node& n, std::string_view want) const;

  Result<std::optional<std::string>> OptString(std::string_view key) const;
  Result<std::string> String(std::string_view key) const;
  Result<std::string> StringOr(std::string_view key, std::string fallback) const;

  Result<bool> BoolOr(std::string_view key, bool fallback) const;

  Result<int> Int(std::string_view key) const;

  Result<Period> PeriodFrom(std::string_view key_path, const toml::node& n) const;
  Result<std::optional<Period>> OptPeriod(std::string_view key) const;
  Result<Period> GetPeriod(std::string_view key) const;

  // A TOML local date (2021-08-01) or a string "2021-08-01".
  Result<std::optional<Date>> OptDate(std::string_view key) const;
  Result<Date> GetDate(std::string_view key) const;

  // An array of distinct non-empty strings; absent = nullopt; present and
  // empty is refused (omit the key instead).
  Result<std::optional<std::vector<std::string>>> OptStringList(std::string_view key) const;

  // An array of item kind names; may be empty (a technique that only enables
  // others, such as entry into a private place, collects nothing itself).
  Result<std::vector<ItemKind>> Kinds(std::string_view key) const;

  Result<ItemKind> Kind(std::string_view key) const;

  // `<prefix>article` and `<prefix>note`; the line is that of `line_key` when
  // present (the value the citation justifies), else of the article.
  Result<Cite> GetCite(std::string_view prefix, std::string_view line_key) const;

  Result<Validity> GetValidity() const;

  // A sub-table; nullptr when absent.
  Result<const toml::table*> OptTable(std::string_view key) const;
  Result<const toml::table*> SubTable(std::string_view key) const;
  // An array of tables ([[key]]); nullptr when absent.
  Result<const toml::array*> OptTables(std::string_view key) const;
  Result<const toml::array*> Tables(std::string_view key) const;

  // A child reader for `t`, found at `key_path`.
  TableReader Child(const toml::table& t, std::string key_path,
                    std::span<const std::string_view> allowed) const {
    return TableReader(source_, t, std::move(key_path), SourceLine(t.source()), allowed);
  }

 private:
  static std::string KindList();

  std::string_view source_;
  const toml::table* t_;
  std::string path_;
  int line_;
  std::span<const std::string_view> allowed_;
  mutable std::set<std::string> read_;
};

}  // namespace cloison::rules::internal
