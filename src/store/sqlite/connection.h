// A thin RAII layer over the sqlite3 C API: one connection, its prepared
// statements (cached by SQL text), and SQLite errors turned into Status values
// that name what the SQL was for ("store: put record: disk I/O error ...").
//
// Thread-safety: none. A Connection and its statements are used by one thread
// at a time; the store's pool and writer gate guarantee it (sqlite_store.cc).
// The connections are opened with SQLITE_OPEN_NOMUTEX for that reason.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cloison::store::sqlite {

// The Status for SQLite result code `rc` (extended codes welcome) while doing
// `purpose`; `detail` is sqlite3_errmsg when a connection is at hand.
// CORRUPT/NOTADB -> kCorruption; BUSY, LOCKED, IOERR, FULL, CANTOPEN, READONLY,
// PERM -> kIoError; anything else -> kInternal.
Status SqliteError(int rc, std::string_view purpose, std::string_view detail = {});

// One prepared statement. Owned by its Connection's cache; borrowed through
// Statement::Use, which resets it (releasing any read lock) when done.
class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in sqlite3_bind_*. Text and blobs are copied.
  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, std::string_view value);
  Status BindInt(int index, int64_t value);

  // True if a row is available, false when done.
  Result<bool> Step();
  // Steps to the end, for statements that return no row.
  Status Run();

  // Columns are 0-based. Valid until the next Step or Reset.
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;  // also reads blobs; NULL -> ""
  bool ColumnIsNull(int column) const;

  void Reset();

 private:
  friend class Connection;
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string purpose)
      : db_(db), stmt_(stmt), purpose_(std::move(purpose)) {}
  Status Check(int rc) const;

  sqlite3* db_;  // borrowed from the Connection
  sqlite3_stmt* stmt_;
  std::string purpose_;
};

// Borrows a cached Statement and resets it (and clears its bindings) on
// destruction, so a statement left half-stepped never pins a snapshot.
class StatementUse {
 public:
  explicit StatementUse(Statement* s) : s_(s) {}
  StatementUse(StatementUse&& other) noexcept : s_(other.s_) { other.s_ = nullptr; }
  StatementUse& operator=(StatementUse&&) = delete;
  ~StatementUse() {
    if (s_ != nullptr) s_->Reset();
  }
  Statement* operator->() const { return s_; }
  Statement& operator*() const { return *s_; }

 private:
  Statement* s_;
};

class Connection {
 public:
  enum class Mode { kReadWriteCreate, kReadOnly };

  // Opens `path` with SQLITE_OPEN_NOMUTEX and extended result codes, and sets
  // busy_timeout. URIs and ":memory:" are not interpreted.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Mode mode,
                                                  int busy_timeout_ms);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements that return nothing useful (schema, PRAGMA).
  Status Exec(std::string_view sql, std::string_view purpose);

  // The cached statement for `sql` (prepared on first use), reset and with
  // its bindings cleared. `purpose` names the statement in errors. The cache
  // is bounded: when full it is emptied, so no StatementUse of this
  // connection may be alive across a Prepare call that could evict it (every
  // caller in this module uses one statement at a time).
  Result<StatementUse> Prepare(const std::string& sql, std::string_view purpose);

  // Runs `sql`, which must return one row of one integer column.
  Result<int64_t> QueryInt(const std::string& sql, std::string_view purpose);

  // True outside any transaction (sqlite3_get_autocommit); SQLite can roll a
  // transaction back on its own after some errors (SQLITE_FULL, IOERR...).
  bool InAutocommit() const;
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int64_t Changes() const;

  const std::string& path() const { return path_; }

 private:
  static constexpr size_t kMaxCachedStatements = 128;
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

}  // namespace cloison::store::sqlite
