#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <mutex>
#include <utility>

namespace cloison::store::sqlite {
namespace {

// sqlite3_bind_text/blob treat a null pointer as SQL NULL; an empty view may
// carry one, and an empty string must stay an empty string.
const char* NonNull(std::string_view v) {
  return v.data() != nullptr ? v.data() : "";
}

// Once per process, before the first connection: no memory statistics.
// With them on (SQLite's default), every allocation and free of every
// connection takes one process-wide mutex to count bytes; under the
// server's load (I/O threads authenticating while the committer writes),
// that mutex was contended on almost every request (95 % of the process's
// futex calls; BENCHMARKS.md, "Session 6"). Nothing here reads the
// statistics. sqlite3_config fails (SQLITE_MISUSE) once SQLite is
// initialised, if another part of the process opened a database first:
// it then keeps its default, which costs only speed.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Status SqliteError(int rc, std::string_view purpose, std::string_view detail) {
  std::string message = "store: ";
  message.append(purpose);
  message += ": ";
  if (!detail.empty()) {
    message.append(detail);
  } else {
    message += sqlite3_errstr(rc);
  }
  message += " (sqlite code " + std::to_string(rc) + ")";
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::IoError(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

// ---- Statement ------------------------------------------------------------

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Status Statement::Check(int rc) const {
  if (rc == SQLITE_OK) return Status::Ok();
  return SqliteError(rc, purpose_, sqlite3_errmsg(db_));
}

Status Statement::BindText(int index, std::string_view value) {
  return Check(sqlite3_bind_text64(stmt_, index, NonNull(value), value.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8));
}

Status Statement::BindBlob(int index, std::string_view value) {
  return Check(sqlite3_bind_blob64(stmt_, index, NonNull(value), value.size(), SQLITE_TRANSIENT));
}

Status Statement::BindInt(int index, int64_t value) {
  return Check(sqlite3_bind_int64(stmt_, index, value));
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Check(rc);
}

Status Statement::Run() {
  for (;;) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  // sqlite3_column_blob then _bytes, in that order (sqlite3.h, "Result Values
  // From A Query"): no text conversion, embedded NULs kept.
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// ---- Connection -----------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Mode mode,
                                                     int busy_timeout_ms) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |=
      mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);  // a handle is returned even on most failures
    return SqliteError(rc, "open database file", detail);
  }
  std::unique_ptr<Connection> conn(new Connection(db, path));
  rc = sqlite3_busy_timeout(db, busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteError(rc, "set busy_timeout", sqlite3_errmsg(db));
  return conn;
}

Connection::~Connection() {
  cache_.clear();  // finalize every statement before closing
  sqlite3_close_v2(db_);
}

Status Connection::Exec(std::string_view sql, std::string_view purpose) {
  std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string detail = error != nullptr ? error : sqlite3_errmsg(db_);
  sqlite3_free(error);
  return SqliteError(rc, purpose, detail);
}

Result<StatementUse> Connection::Prepare(const std::string& sql, std::string_view purpose) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    return StatementUse(it->second.get());
  }
  if (cache_.size() >= kMaxCachedStatements) cache_.clear();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(rc, "prepare " + std::string(purpose), sqlite3_errmsg(db_));
  }
  if (stmt == nullptr) {
    return Status::Internal("store: prepare " + std::string(purpose) + ": empty SQL");
  }
  auto owned = std::unique_ptr<Statement>(new Statement(db_, stmt, std::string(purpose)));
  Statement* raw = owned.get();
  cache_.emplace(sql, std::move(owned));
  return StatementUse(raw);
}

Result<int64_t> Connection::QueryInt(const std::string& sql, std::string_view purpose) {
  ASSIGN_OR_RETURN(StatementUse stmt, Prepare(sql, purpose));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::Internal("store: " + std::string(purpose) + ": no row");
  return stmt->ColumnInt(0);
}

int64_t Connection::Changes() const {
  return sqlite3_changes64(db_);
}

bool Connection::InAutocommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

}  // namespace cloison::store::sqlite
