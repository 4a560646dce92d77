// The SQLite backend: the conformance suite on a temporary file, then what is
// specific to SQLite (migrations, foreign or broken files, crash recovery,
// locking across Store instances).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "store/sqlite/change_signal.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/queries.h"
#include "store/store.h"
#include "store/testing/conformance.h"
#include "store/testing/temp_dir.h"

namespace cloison::store {
namespace testing {
// gtest prints a test's parameter with this, instead of its bytes.
void PrintTo(const ConformanceCase& c, std::ostream* os) {
  *os << c.name;
}
}  // namespace testing
namespace {

namespace fs = std::filesystem;
using testing::ConformanceCase;
using testing::TempDir;

// ---- The conformance suite --------------------------------------------------

// Every case with synchronous NORMAL (the contract's semantics do not depend
// on fsync, and 800 fsync'd commits on a shared disk would dominate the run),
// then every case but the long concurrent one with FULL, the default.
Status RunOnTempFile(const ConformanceCase& c, const SqliteOptions& options) {
  TempDir dir;
  if (!dir.ok()) return Status::IoError("no temporary directory");
  const std::string path = dir.File("store.db");
  return c.run([&path, &options] { return OpenSqlite(path, options); });
}

std::vector<ConformanceCase> CasesForDurableRun() {
  std::vector<ConformanceCase> cases;
  for (const ConformanceCase& c : testing::ConformanceCases()) {
    if (c.name != "ConcurrentWritersAreSerialisable") cases.push_back(c);
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<ConformanceCase>& info) {
  return std::string(info.param.name);
}

class SqliteConformance : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(SqliteConformance, Passes) {
  Status status = RunOnTempFile(GetParam(), SqliteOptions{.synchronous_full = false});
  EXPECT_TRUE(status.ok()) << status.ToString();
}

INSTANTIATE_TEST_SUITE_P(All, SqliteConformance, ::testing::ValuesIn(testing::ConformanceCases()),
                         CaseName);

class SqliteConformanceSyncFull : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(SqliteConformanceSyncFull, Passes) {
  Status status = RunOnTempFile(GetParam(), SqliteOptions{.synchronous_full = true});
  EXPECT_TRUE(status.ok()) << status.ToString();
}

INSTANTIATE_TEST_SUITE_P(All, SqliteConformanceSyncFull, ::testing::ValuesIn(CasesForDurableRun()),
                         CaseName);

// ---- Helpers ----------------------------------------------------------------

// A raw sqlite3 handle, to inspect or tamper with a store file from outside.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  // sqlite3_exec's result code; the error message is in last_error.
  int Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    last_error = err != nullptr ? err : "";
    sqlite3_free(err);
    return rc;
  }
  // The first column of the first row, as text ("" if none).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // Every row's column `col`, joined with " | ".
  std::string QueryAll(const std::string& sql, int col) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* t = sqlite3_column_text(stmt, col);
        out += (out.empty() ? "" : " | ") + std::string(t ? reinterpret_cast<const char*>(t) : "");
      }
    }
    sqlite3_finalize(stmt);
    return out;
  }
  std::string last_error;

 private:
  sqlite3* db_ = nullptr;
};

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Record Rec(std::string kind, std::string id, std::string body = "b") {
  Record r;
  r.kind = std::move(kind);
  r.id = std::move(id);
  r.body = std::move(body);
  return r;
}

Event Ev(std::string body) {
  Event e;
  e.type = "test";
  e.body = std::move(body);
  return e;
}

// Commits one record and one event.
void Commit(Store& store, const std::string& id) {
  auto tx = store.BeginWrite();
  ASSERT_TRUE(tx.ok()) << tx.status().ToString();
  ASSERT_TRUE((*tx)->Put(Rec("item", id)).ok());
  ASSERT_TRUE((*tx)->Append(Ev(id)).ok());
  Status s = (*tx)->Commit();
  ASSERT_TRUE(s.ok()) << s.ToString();
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  std::string path() const { return dir_.File("store.db"); }
  TempDir dir_;
};

// ---- Migrations -------------------------------------------------------------

TEST(SqliteMigrations, EmbeddedFilesAreNumberedFromOne) {
  auto migrations = sqlite::Migrations();
  ASSERT_TRUE(migrations.ok()) << migrations.status().ToString();
  ASSERT_FALSE(migrations->empty());
  EXPECT_EQ((*migrations)[0].name, "0001_init.sql");
  for (size_t i = 0; i < migrations->size(); ++i) {
    EXPECT_EQ((*migrations)[i].version, static_cast<int>(i + 1));
    EXPECT_FALSE((*migrations)[i].sql.empty());
  }
  EXPECT_NE((*migrations)[0].sql.find("CREATE TABLE records"), std::string_view::npos);
  EXPECT_EQ(sqlite::LatestSchemaVersion(), static_cast<int>(migrations->size()));
}

// A file whose page size was fixed before (an empty database already in
// WAL mode, as a store made with SQLite's default 4 KiB pages would be)
// keeps it: SQLite cannot change it in WAL mode, and the store works.
TEST_F(SqliteStoreTest, AFileWithAnotherPageSizeKeepsIt) {
  {
    RawDb raw(path());
    ASSERT_EQ(raw.Exec("PRAGMA page_size = 4096"), SQLITE_OK);
    EXPECT_EQ(raw.Query("PRAGMA journal_mode = WAL"), "wal");
  }
  {
    auto store = OpenSqlite(path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    Record r;
    r.kind = "k";
    r.id = "1";
    r.body = std::string(10000, 'x');  // spans overflow pages
    ASSERT_TRUE((*tx)->Put(r).ok());
    Event e;
    e.type = "t";
    e.body = "{}";
    ASSERT_TRUE((*tx)->Append(e).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  RawDb raw(path());
  EXPECT_EQ(raw.Query("PRAGMA page_size"), "4096");
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto rx = (*store)->BeginRead();
  ASSERT_TRUE(rx.ok());
  auto got = (*rx)->Get("k", "1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->body.size(), 10000u);
}

TEST_F(SqliteStoreTest, MigratesAnEmptyFileToTheLatestVersion) {
  {
    auto store = OpenSqlite(path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->Backend(), "sqlite");
    auto rx = (*store)->BeginRead();
    ASSERT_TRUE(rx.ok());
    EXPECT_EQ(*(*rx)->GetMeta("schema_version"), std::to_string(sqlite::LatestSchemaVersion()));
  }
  RawDb raw(path());
  EXPECT_EQ(raw.Query("PRAGMA application_id"), std::to_string(sqlite::kApplicationId));
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Query("PRAGMA page_size"), std::to_string(sqlite::kPageSize));
  for (const char* table : {"records", "events", "meta"}) {
    EXPECT_EQ(raw.Query(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                    "AND name = '") +
                        table + "'"),
              "1")
        << table;
  }
  for (const char* index : {"records_by_state", "records_by_technique"}) {
    EXPECT_EQ(raw.Query(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                    "AND name = '") +
                        index + "'"),
              "1")
        << index;
  }
}

// Every released schema version has a frozen store in testdata/store/; the
// current binary opens each one and reads exactly what was written.
TEST_F(SqliteStoreTest, OpensAFrozenVersion1Store) {
  const std::string dump =
      ReadFile(std::string(CLOISON_SOURCE_DIR) + "/testdata/store/sqlite-v1.sql");
  ASSERT_FALSE(dump.empty());
  {
    RawDb raw(path());
    ASSERT_EQ(raw.Exec(dump), SQLITE_OK) << raw.last_error;
  }
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    auto rx = (*store)->BeginRead();
    ASSERT_TRUE(rx.ok());
    Record request;
    request.kind = "request";
    request.id = "req_0000000000000001";
    request.state = "Approved";
    request.technique = "L851-2";
    request.minister = "interior";
    request.service = "dgsi";
    request.starts_at = 1735689600000000;
    request.ends_at = 1743465600000000;
    request.body = std::string("{\"v\":2}\0\xff", 9);
    EXPECT_EQ(*(*rx)->Get("request", request.id), request);
    Record quota = Rec("quota", "quota_L851-2", "{\"limit\":3}");
    quota.technique = "L851-2";
    EXPECT_EQ(*(*rx)->Get("quota", "quota_L851-2"), quota);
    EXPECT_EQ(*(*rx)->GetMeta("origin"), "cloison.example/fixture");
    auto events = (*rx)->Events(0, 10);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 3u);
    EXPECT_EQ((*events)[0].type, "request.submitted");
    EXPECT_EQ((*events)[2].body, std::string("\0\x01\x02", 3));
  }
  auto tx = (*store)->BeginWrite();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(*(*tx)->Append(Ev("next")), 3);
  EXPECT_TRUE((*tx)->Commit().ok());
}

TEST_F(SqliteStoreTest, EmptyExistingFileIsAnEmptyStore) {
  WriteFile(path(), "");
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Commit(**store, "a");
}

TEST_F(SqliteStoreTest, ReopeningDoesNotMigrateAgain) {
  { ASSERT_TRUE(OpenSqlite(path()).ok()); }
  std::string objects_before = RawDb(path()).Query("SELECT group_concat(name) FROM sqlite_schema");
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(RawDb(path()).Query("SELECT group_concat(name) FROM sqlite_schema"), objects_before);
}

TEST_F(SqliteStoreTest, RefusesAStoreFromANewerVersion) {
  { ASSERT_TRUE(OpenSqlite(path()).ok()); }
  const int future = sqlite::LatestSchemaVersion() + 1;
  {
    RawDb raw(path());
    ASSERT_EQ(raw.Exec("UPDATE meta SET value = '" + std::to_string(future) +
                       "' WHERE key = 'schema_version'"),
              SQLITE_OK)
        << raw.last_error;
  }
  auto store = OpenSqlite(path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("schema version " + std::to_string(future)),
            std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find("up to " + std::to_string(future - 1)), std::string::npos)
      << store.status().message();
  // Left as it was.
  EXPECT_EQ(RawDb(path()).Query("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(future));
}

TEST_F(SqliteStoreTest, RefusesAForeignSqliteDatabaseUntouched) {
  {
    RawDb raw(path());
    ASSERT_EQ(raw.Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)"), SQLITE_OK);
  }
  auto store = OpenSqlite(path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("not a Cloison store"), std::string::npos)
      << store.status().message();
  RawDb raw(path());
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "delete");  // not switched to WAL
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sqlite_schema"), "1");
}

TEST_F(SqliteStoreTest, SchemaVersionIsNotSettableThroughMeta) {
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  auto tx = (*store)->BeginWrite();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ((*tx)->SetMeta("schema_version", "99").code(), Code::kInvalidArgument);
}

// ---- Broken files and bad paths ------------------------------------------------

TEST_F(SqliteStoreTest, ANonSqliteFileIsCorruption) {
  WriteFile(path(), std::string(8192, 'g') + "this is not a database");
  auto store = OpenSqlite(path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(path()), std::string::npos) << store.status().message();
}

TEST_F(SqliteStoreTest, ADamagedStoreGivesAStatusNotACrash) {
  {
    auto store = OpenSqlite(path());
    ASSERT_TRUE(store.ok());
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 50; ++i) ASSERT_TRUE((*tx)->Put(Rec("item", "i" + std::to_string(i))).ok());
    ASSERT_TRUE((*tx)->Append(Ev("e")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }  // closing the last connection checkpoints the WAL into the file
  std::string bytes = ReadFile(path());
  ASSERT_GT(bytes.size(), 4096u);
  for (size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + 3);
  WriteFile(path(), bytes);
  auto store = OpenSqlite(path());
  if (store.ok()) {  // if opening did not notice, reading must
    auto rx = (*store)->BeginRead();
    Status s = rx.ok() ? (*rx)->List(Filter{.kind = "item"}).status() : rx.status();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), Code::kCorruption) << s.ToString();
  } else {
    EXPECT_EQ(store.status().code(), Code::kCorruption) << store.status().ToString();
  }
}

TEST_F(SqliteStoreTest, ATruncatedStoreGivesAStatus) {
  {
    auto store = OpenSqlite(path());
    ASSERT_TRUE(store.ok());
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE((*tx)->Put(Rec("item", "i" + std::to_string(i), std::string(2000, 'x'))).ok());
    }
    ASSERT_TRUE((*tx)->Append(Ev("e")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  std::string bytes = ReadFile(path());
  WriteFile(path(), bytes.substr(0, bytes.size() / 2));
  auto store = OpenSqlite(path());
  Status s = store.status();
  if (store.ok()) {
    auto rx = (*store)->BeginRead();
    s = rx.ok() ? (*rx)->List(Filter{.kind = "item"}).status() : rx.status();
  }
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kCorruption) << s.ToString();
}

TEST_F(SqliteStoreTest, RefusesMemoryAndUriPaths) {
  for (const char* p : {"", ":memory:", "file:store.db?mode=memory"}) {
    auto store = OpenSqlite(p);
    ASSERT_FALSE(store.ok()) << p;
    EXPECT_EQ(store.status().code(), Code::kInvalidArgument) << p;
  }
}

TEST_F(SqliteStoreTest, AnUnopenablePathIsAnIoError) {
  auto store = OpenSqlite(dir_.File("no/such/dir/store.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kIoError) << store.status().ToString();
}

// ---- The database enforces the ledger's shape too -----------------------------

TEST_F(SqliteStoreTest, EventsAreAppendOnlyInTheDatabaseItself) {
  {
    auto store = OpenSqlite(path());
    ASSERT_TRUE(store.ok());
    Commit(**store, "a");
    Commit(**store, "b");
  }
  RawDb raw(path());
  EXPECT_NE(raw.Exec("UPDATE events SET body = X'00' WHERE idx = 0"), SQLITE_OK);
  EXPECT_NE(raw.last_error.find("append-only"), std::string::npos) << raw.last_error;
  EXPECT_NE(raw.Exec("DELETE FROM events WHERE idx = 1"), SQLITE_OK);
  EXPECT_NE(raw.Exec("INSERT INTO events (idx, type, body) VALUES (5, 't', X'676170')"), SQLITE_OK);
  EXPECT_NE(raw.last_error.find("no gap"), std::string::npos) << raw.last_error;
  EXPECT_EQ(raw.Exec("INSERT INTO events (idx, type, body) VALUES (2, 't', CAST('next' AS BLOB))"),
            SQLITE_OK);
  EXPECT_EQ(raw.Query("SELECT group_concat(body) FROM events"), "a,b,next");
}

// ---- Deletion leaves no bytes behind -------------------------------------------

// What crypto-shredding relies on (store.h, Delete and Scrub): once a deleted
// record's transaction committed and Scrub() ran, its bytes are in neither the
// database file nor the WAL, even while the store stays open.
TEST_F(SqliteStoreTest, ADeletedRecordLeavesNoBytesInTheFilesAfterScrub) {
  const std::string secret = "WRAPPED-BUCKET-KEY-5f1d3a";
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  {
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 50; ++i) {  // neighbours on the same pages
      ASSERT_TRUE((*tx)->Put(Rec("bucket", "n" + std::to_string(i), std::string(100, 'n'))).ok());
    }
    ASSERT_TRUE((*tx)->Put(Rec("bucket", "b1", secret + std::string(200, 's'))).ok());
    ASSERT_TRUE((*tx)->Append(Ev("put")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  ASSERT_TRUE((*store)->Scrub().ok());  // the secret now sits in the database file
  auto files = [&] { return ReadFile(path()) + ReadFile(path() + "-wal"); };
  ASSERT_NE(files().find(secret), std::string::npos) << "the test must see the bytes first";
  {
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Delete("bucket", "b1").ok());
    ASSERT_TRUE((*tx)->Append(Ev("deleted")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  Status scrub = (*store)->Scrub();
  ASSERT_TRUE(scrub.ok()) << scrub.ToString();
  EXPECT_EQ(files().find(secret), std::string::npos);
  auto rx = (*store)->BeginRead();
  ASSERT_TRUE(rx.ok());
  EXPECT_TRUE((*rx)->Get("bucket", "n49").ok());
}

// The control for the test above: without secure_delete (Debian's SQLite
// turns it on at compile time, so it is turned off here explicitly), the
// same scan does find a deleted record's bytes. The scan can fail.
TEST_F(SqliteStoreTest, WithoutSecureDeleteTheScanFindsTheDeletedBytes) {
  const std::string secret = "WRAPPED-BUCKET-KEY-control";
  { ASSERT_TRUE(OpenSqlite(path()).ok()); }
  RawDb raw(path());
  ASSERT_EQ(raw.Exec("PRAGMA secure_delete = OFF"), SQLITE_OK);
  ASSERT_EQ(raw.Exec("INSERT INTO records (kind, id, state, technique, minister, service, "
                     "starts_at, ends_at, body) VALUES ('bucket', 'n', '', '', '', '', 0, 0, "
                     "CAST('neighbour' AS BLOB)), ('bucket', 'b1', '', '', '', '', 0, 0, "
                     "CAST('" + secret + "' AS BLOB))"),
            SQLITE_OK)
      << raw.last_error;
  ASSERT_EQ(raw.Exec("DELETE FROM records WHERE id = 'b1'"), SQLITE_OK);
  ASSERT_EQ(raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
  EXPECT_NE((ReadFile(path()) + ReadFile(path() + "-wal")).find(secret), std::string::npos);
}

// A reader pinned on an old snapshot keeps the WAL frames it needs: Scrub
// says so instead of claiming success, and succeeds once the reader is gone.
TEST_F(SqliteStoreTest, ScrubReportsAReaderThatStillNeedsTheWal) {
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  Commit(**store, "a");
  auto rx = (*store)->BeginRead();
  ASSERT_TRUE(rx.ok());
  Commit(**store, "b");
  Status busy = (*store)->Scrub();
  EXPECT_EQ(busy.code(), Code::kIoError) << busy.ToString();
  rx->reset();
  EXPECT_TRUE((*store)->Scrub().ok());
}

// The lists the domain makes are served by their (partial) indexes: the
// SQL that List really runs carries each index's condition, so that a
// sweep's cost grows with what expires and not with what is stored.
TEST_F(SqliteStoreTest, FiltersUseTheirPartialIndexes) {
  { ASSERT_TRUE(OpenSqlite(path()).ok()); }
  RawDb raw(path());
  auto plan = [&](const Filter& f) {
    return raw.QueryAll("EXPLAIN QUERY PLAN " + sqlite::ListSql(f), 3);
  };
  std::string p = plan(Filter{.kind = "item", .group = "g", .after_id = "x", .limit = 10});
  EXPECT_NE(p.find("records_by_group"), std::string::npos) << p;
  EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << p;  // no sort
  p = plan(Filter{.kind = "bucket", .ends_before = 5});
  EXPECT_NE(p.find("records_by_end"), std::string::npos) << p;
  p = plan(Filter{.kind = "item", .ends_after = 5});
  EXPECT_NE(p.find("records_by_end"), std::string::npos) << p;
  p = plan(Filter{.kind = "request", .states = {"a"}});
  EXPECT_NE(p.find("records_by_state"), std::string::npos) << p;
  // The sweep's retirement of a range of a bucket walks that range.
  p = raw.QueryAll("EXPLAIN QUERY PLAN " + sqlite::RetireSql(), 3);
  EXPECT_NE(p.find("records_by_group"), std::string::npos) << p;
}

// A partial index leaves out the records whose column is absent; a filter
// that asks for absent values (state '', an end after a negative time) must
// still see them.
TEST_F(SqliteStoreTest, FiltersOnAbsentValuesStillMatch) {
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  Record none = Rec("item", "a", "{}");
  Record set = Rec("item", "b", "{}");
  set.state = "s";
  set.ends_at = 7;
  set.group = "g";
  {
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Put(none).ok());
    ASSERT_TRUE((*tx)->Put(set).ok());
    ASSERT_TRUE((*tx)->Append(Ev("put")).ok());
    Status committed = (*tx)->Commit();
    ASSERT_TRUE(committed.ok()) << committed.ToString();
  }
  auto rx = (*store)->BeginRead();
  ASSERT_TRUE(rx.ok());
  auto ids = [&](const Filter& f) {
    auto listed = (*rx)->List(f);
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    std::string out;
    if (listed.ok())
      for (const Record& r : *listed) out += r.id;
    return out;
  };
  EXPECT_EQ(ids(Filter{.kind = "item", .states = {""}}), "a");
  EXPECT_EQ(ids(Filter{.kind = "item", .states = {"", "s"}}), "ab");
  EXPECT_EQ(ids(Filter{.kind = "item", .states = {"s"}}), "b");
  EXPECT_EQ(ids(Filter{.kind = "item", .ends_after = -1}), "ab");
  EXPECT_EQ(ids(Filter{.kind = "item", .ends_after = 0}), "b");
  EXPECT_EQ(ids(Filter{.kind = "item", .ends_before = 10}), "b");
  EXPECT_EQ(ids(Filter{.kind = "item", .group = "g"}), "b");
}

// ---- Crashes --------------------------------------------------------------------

// A process that commits, then dies in the middle of a large write transaction
// (large enough for SQLite to spill uncommitted pages into the WAL), without
// closing anything. Reopening keeps every commit and nothing else.
TEST_F(SqliteStoreTest, ACrashMidTransactionLosesNothingCommittedAndKeepsNothingElse) {
  pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    auto store = OpenSqlite(path());
    if (!store.ok()) _exit(2);
    for (int i = 0; i < 10; ++i) {
      auto tx = (*store)->BeginWrite();
      if (!tx.ok() || !(*tx)->Put(Rec("item", "kept" + std::to_string(i))).ok() ||
          !(*tx)->Append(Ev("kept")).ok() || !(*tx)->Commit().ok()) {
        _exit(3);
      }
    }
    auto tx = (*store)->BeginWrite();
    if (!tx.ok()) _exit(4);
    // 42 MB, well over the writer's 32 MiB page cache (sqlite_store.cc):
    // pages spill into the WAL before the commit that never comes.
    for (int i = 0; i < 640; ++i) {
      if (!(*tx)->Put(Rec("item", "lost" + std::to_string(i), std::string(64 << 10, 'L'))).ok()) {
        _exit(5);
      }
    }
    if (!(*tx)->Append(Ev("lost")).ok()) _exit(6);
    _exit(0);  // no destructor, no rollback, no close: as if killed
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus));
  ASSERT_EQ(WEXITSTATUS(wstatus), 0);
  ASSERT_TRUE(fs::exists(path() + "-wal"));  // left behind, as after a crash
  EXPECT_GT(fs::file_size(path() + "-wal"), uintmax_t{8} << 20) << "uncommitted pages not spilled";

  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    auto rx = (*store)->BeginRead();
    ASSERT_TRUE(rx.ok());
    EXPECT_EQ(*(*rx)->Count(Filter{.kind = "item"}), 10);
    EXPECT_EQ((*rx)->Get("item", "lost0").status().code(), Code::kNotFound);
    EXPECT_EQ(*(*rx)->EventCount(), 10);
  }
  auto tx = (*store)->BeginWrite();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(*(*tx)->Append(Ev("after")), 10);
  EXPECT_TRUE((*tx)->Commit().ok());
}

// ---- Deferred commits -------------------------------------------------------

// A VFS over the default one that counts the syncs of WAL files: what shows,
// from outside SQLite, whether a commit waited for the disk. Installed as the
// default while it lives (the store opens its connections with the default).
class WalSyncCounter {
 public:
  WalSyncCounter() {
    real_ = sqlite3_vfs_find(nullptr);
    vfs_ = *real_;
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.zName = "cloison-wal-sync-counter";
    vfs_.pAppData = this;
    vfs_.xOpen = &Open;
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~WalSyncCounter() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(real_, 1);
  }
  int64_t syncs() const { return syncs_.load(); }

 private:
  struct File {
    sqlite3_file base;
    WalSyncCounter* counter;
    bool wal;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
  };
  static File* F(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

  static int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* out, int flags,
                  int* out_flags) {
    auto* self = static_cast<WalSyncCounter*>(vfs->pAppData);
    File* f = F(out);
    f->base.pMethods = nullptr;
    int rc = self->real_->xOpen(self->real_, name, f->real(), flags, out_flags);
    if (f->real()->pMethods == nullptr) return rc;
    f->counter = self;
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    self->methods_ = *f->real()->pMethods;
    self->methods_.xClose = [](sqlite3_file* p) {
      return F(p)->real()->pMethods->xClose(F(p)->real());
    };
    self->methods_.xRead = [](sqlite3_file* p, void* b, int n, sqlite3_int64 o) {
      return F(p)->real()->pMethods->xRead(F(p)->real(), b, n, o);
    };
    self->methods_.xWrite = [](sqlite3_file* p, const void* b, int n, sqlite3_int64 o) {
      return F(p)->real()->pMethods->xWrite(F(p)->real(), b, n, o);
    };
    self->methods_.xTruncate = [](sqlite3_file* p, sqlite3_int64 n) {
      return F(p)->real()->pMethods->xTruncate(F(p)->real(), n);
    };
    self->methods_.xSync = [](sqlite3_file* p, int flags) {
      if (F(p)->wal) F(p)->counter->syncs_.fetch_add(1);
      return F(p)->real()->pMethods->xSync(F(p)->real(), flags);
    };
    self->methods_.xFileSize = [](sqlite3_file* p, sqlite3_int64* n) {
      return F(p)->real()->pMethods->xFileSize(F(p)->real(), n);
    };
    self->methods_.xLock = [](sqlite3_file* p, int l) {
      return F(p)->real()->pMethods->xLock(F(p)->real(), l);
    };
    self->methods_.xUnlock = [](sqlite3_file* p, int l) {
      return F(p)->real()->pMethods->xUnlock(F(p)->real(), l);
    };
    self->methods_.xCheckReservedLock = [](sqlite3_file* p, int* r) {
      return F(p)->real()->pMethods->xCheckReservedLock(F(p)->real(), r);
    };
    self->methods_.xFileControl = [](sqlite3_file* p, int op, void* a) {
      return F(p)->real()->pMethods->xFileControl(F(p)->real(), op, a);
    };
    self->methods_.xSectorSize = [](sqlite3_file* p) {
      return F(p)->real()->pMethods->xSectorSize(F(p)->real());
    };
    self->methods_.xDeviceCharacteristics = [](sqlite3_file* p) {
      return F(p)->real()->pMethods->xDeviceCharacteristics(F(p)->real());
    };
    self->methods_.xShmMap = [](sqlite3_file* p, int r, int sz, int e, void volatile** m) {
      return F(p)->real()->pMethods->xShmMap(F(p)->real(), r, sz, e, m);
    };
    self->methods_.xShmLock = [](sqlite3_file* p, int o, int n, int fl) {
      return F(p)->real()->pMethods->xShmLock(F(p)->real(), o, n, fl);
    };
    self->methods_.xShmBarrier = [](sqlite3_file* p) {
      F(p)->real()->pMethods->xShmBarrier(F(p)->real());
    };
    self->methods_.xShmUnmap = [](sqlite3_file* p, int d) {
      return F(p)->real()->pMethods->xShmUnmap(F(p)->real(), d);
    };
    self->methods_.xFetch = [](sqlite3_file* p, sqlite3_int64 o, int n, void** pp) {
      return F(p)->real()->pMethods->xFetch(F(p)->real(), o, n, pp);
    };
    self->methods_.xUnfetch = [](sqlite3_file* p, sqlite3_int64 o, void* pp) {
      return F(p)->real()->pMethods->xUnfetch(F(p)->real(), o, pp);
    };
    f->base.pMethods = &self->methods_;
    return rc;
  }

  sqlite3_vfs* real_;
  sqlite3_vfs vfs_;
  sqlite3_io_methods methods_{};
  std::atomic<int64_t> syncs_{0};
};

void CommitOne(WriteTx& tx, const std::string& id) {
  ASSERT_TRUE(tx.Put(Rec("item", id)).ok());
  ASSERT_TRUE(tx.Append(Ev(id)).ok());
  ASSERT_TRUE(tx.Commit().ok());
}

TEST_F(SqliteStoreTest, ADeferredCommitSyncsNothingAndTheNextDurableOneStillSyncs) {
  WalSyncCounter counter;
  auto store = OpenSqlite(path());  // synchronous FULL, the default
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto durable = [&](const std::string& id) {
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    CommitOne(**tx, id);
  };
  auto deferred = [&](const std::string& id) {
    auto tx = (*store)->BeginDeferredWrite();
    ASSERT_TRUE(tx.ok());
    CommitOne(**tx, id);
  };
  int64_t before = counter.syncs();
  durable("a");
  EXPECT_GT(counter.syncs(), before) << "a durable commit did not sync the WAL";
  before = counter.syncs();
  deferred("b");
  deferred("c");
  EXPECT_EQ(counter.syncs(), before) << "a deferred commit waited for the disk";
  {
    auto rx = (*store)->BeginRead();
    ASSERT_TRUE(rx.ok());
    EXPECT_TRUE((*rx)->Get("item", "c").ok());
  }
  EXPECT_TRUE((*store)->Sync().ok());
  // The writer is back to FULL after deferred transactions.
  before = counter.syncs();
  durable("d");
  EXPECT_GT(counter.syncs(), before) << "a durable commit after deferred ones did not sync";
}

TEST_F(SqliteStoreTest, SyncReportsAWalItCannotReach) {
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  {
    auto tx = (*store)->BeginDeferredWrite();
    ASSERT_TRUE(tx.ok());
    CommitOne(**tx, "a");
  }
  ASSERT_TRUE((*store)->Sync().ok());
  // Gone from under the open store (an operator's mistake, a full disk's
  // cleanup): the sync must say so, not report the commits durable.
  fs::remove(path() + "-wal");
  Status s = (*store)->Sync();
  EXPECT_EQ(s.code(), Code::kIoError) << s.ToString();
  EXPECT_NE(s.message().find("-wal"), std::string::npos) << s.ToString();
}

// ---- Locking ----------------------------------------------------------------------

TEST_F(SqliteStoreTest, ASecondWriteTxOnTheSameThreadTimesOutInsteadOfDeadlocking) {
  auto store = OpenSqlite(path(), SqliteOptions{.busy_timeout_ms = 100});
  ASSERT_TRUE(store.ok());
  auto first = (*store)->BeginWrite();
  ASSERT_TRUE(first.ok());
  auto start = std::chrono::steady_clock::now();
  auto second = (*store)->BeginWrite();
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kIoError);
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  ASSERT_TRUE((*first)->Append(Ev("x")).ok());
  EXPECT_TRUE((*first)->Commit().ok());
}

// Two Store instances on one file behave like two processes: SQLite's own
// lock serialises them, and event numbers stay gapless across both.
TEST_F(SqliteStoreTest, TwoStoresOnOneFileShareOneGaplessLog) {
  auto a = OpenSqlite(path(), SqliteOptions{.busy_timeout_ms = 100});
  auto b = OpenSqlite(path(), SqliteOptions{.busy_timeout_ms = 100});
  ASSERT_TRUE(a.ok() && b.ok());
  auto tx_a = (*a)->BeginWrite();
  ASSERT_TRUE(tx_a.ok());
  auto tx_b = (*b)->BeginWrite();  // SQLite's write lock is held by a
  ASSERT_FALSE(tx_b.ok());
  EXPECT_EQ(tx_b.status().code(), Code::kIoError) << tx_b.status().ToString();
  EXPECT_EQ(*(*tx_a)->Append(Ev("from a")), 0);
  ASSERT_TRUE((*tx_a)->Commit().ok());
  auto tx_b2 = (*b)->BeginWrite();
  ASSERT_TRUE(tx_b2.ok()) << tx_b2.status().ToString();
  EXPECT_EQ(*(*tx_b2)->Append(Ev("from b")), 1);
  ASSERT_TRUE((*tx_b2)->Commit().ok());
  auto rx = (*a)->BeginRead();
  ASSERT_TRUE(rx.ok());
  EXPECT_EQ(*(*rx)->EventCount(), 2);
}

TEST_F(SqliteStoreTest, TransactionsOutliveTheirStore) {
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  Commit(**store, "a");
  auto rx = (*store)->BeginRead();
  auto tx = (*store)->BeginWrite();
  ASSERT_TRUE(rx.ok() && tx.ok());
  store->reset();
  EXPECT_TRUE((*rx)->Get("item", "a").ok());
  ASSERT_TRUE((*tx)->Put(Rec("item", "b")).ok());
  ASSERT_TRUE((*tx)->Append(Ev("b")).ok());
  EXPECT_TRUE((*tx)->Commit().ok());
  rx->reset();
  tx->reset();
  auto reopened = OpenSqlite(path());
  ASSERT_TRUE(reopened.ok());
  auto check = (*reopened)->BeginRead();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE((*check)->Get("item", "b").ok());
}

TEST_F(SqliteStoreTest, SynchronousNormalStoresToo) {
  {
    auto store = OpenSqlite(path(), SqliteOptions{.synchronous_full = false});
    ASSERT_TRUE(store.ok());
    Commit(**store, "a");
  }
  auto store = OpenSqlite(path());
  ASSERT_TRUE(store.ok());
  auto rx = (*store)->BeginRead();
  ASSERT_TRUE(rx.ok());
  EXPECT_TRUE((*rx)->Get("item", "a").ok());
}

// ---- Change stamps ----------------------------------------------------------

// A commit that changes a kind grows its stamp, in every store open on the
// file (another process's, as `cloison user revoke`), before Commit returns;
// a transaction that ends without committing does not.
TEST_F(SqliteStoreTest, ChangeStampGrowsAfterACommitInEveryStoreOnTheFile) {
  auto a = OpenSqlite(path());
  auto b = OpenSqlite(path());
  ASSERT_TRUE(a.ok() && b.ok());
  const std::array<std::string_view, 1> token{"token"};
  const std::array<std::string_view, 1> other{"item"};
  ASSERT_NE(sqlite::ChangeSignal::SlotBit("token"), sqlite::ChangeSignal::SlotBit("item"));
  auto before = (*a)->ChangeStamp(token);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ((*b)->ChangeStamp(token), before);
  {
    auto tx = (*b)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Put(Rec("token", "t1")).ok());
    ASSERT_TRUE((*tx)->Append(Ev("t1")).ok());
    // Dropped without Commit: rolled back, nothing to see.
  }
  EXPECT_EQ((*a)->ChangeStamp(token), before);
  {
    auto tx = (*b)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Put(Rec("token", "t1")).ok());
    ASSERT_TRUE((*tx)->Append(Ev("t1")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto after_put = (*a)->ChangeStamp(token);
  EXPECT_GT(after_put, before);
  // Another kind grows its own, and leaves this one as it is.
  auto other_before = (*a)->ChangeStamp(other);
  Commit(**b, "i1");
  EXPECT_EQ((*a)->ChangeStamp(token), after_put);
  EXPECT_GT((*a)->ChangeStamp(other), other_before);
  // A deletion counts too.
  {
    auto tx = (*a)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Delete("token", "t1").ok());
    ASSERT_TRUE((*tx)->Append(Ev("gone")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_GT((*b)->ChangeStamp(token), after_put);
  // Beside the database, private to its owner.
  struct stat st {};
  ASSERT_EQ(::stat((path() + "-changes").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace cloison::store
