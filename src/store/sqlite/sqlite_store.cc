// The SQLite backend of store.h.
//
// Concurrency (WAL mode):
// - One writer connection. A WriteTx holds the write gate (Engine::writing_)
//   from BeginWrite to Commit or destruction, and runs BEGIN IMMEDIATE on the
//   writer connection: write transactions are serial, within this process
//   (gate) and across processes (SQLite's write lock, busy_timeout).
// - Read-only connections in a pool, one per live ReadTx. A ReadTx runs BEGIN
//   and a first read at once, which pins its WAL snapshot: it sees the store
//   as of BeginRead for its whole life, whatever writers commit meanwhile.
//   Readers never block the writer nor each other.
// - Transactions share ownership of the Engine, so one that outlives its
//   Store stays valid (it is still finished by its own destructor).
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/change_signal.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/queries.h"
#include "store/store.h"

namespace cloison::store {
namespace sqlite {
namespace {

// `path` made absolute against the working directory now; as it is if
// that cannot be read.
std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  return ec ? path : p.string();
}

// Idle read connections kept open for reuse; more are opened on demand.
constexpr size_t kMaxIdleReaders = 8;

Status RunCached(Connection& conn, const std::string& sql, std::string_view purpose) {
  ASSIGN_OR_RETURN(StatementUse s, conn.Prepare(sql, purpose));
  return s->Run();
}

class Engine {
 public:
  Engine(std::string path, SqliteOptions options, std::unique_ptr<Connection> writer,
         std::unique_ptr<ChangeSignal> changes)
      : changes_(std::move(changes)),
        path_(std::move(path)),
        // Absolute now, as SQLite made it when it opened the file: a later
        // change of the working directory must not make Sync miss it.
        wal_path_(AbsolutePath(path_) + "-wal"),
        options_(options),
        writer_(std::move(writer)) {}
  // Readers close first: the last connection to close checkpoints the WAL
  // into the database file, which only the read-write one can do.
  ~Engine() {
    idle_readers_.clear();
    writer_.reset();
  }

  ChangeSignal& changes() { return *changes_; }

  // A read connection with a pinned snapshot (BEGIN + first read done).
  Result<std::unique_ptr<Connection>> AcquireReader() {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      if (!idle_readers_.empty()) {
        conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
    }
    if (conn == nullptr) {
      ASSIGN_OR_RETURN(
          conn, Connection::Open(path_, Connection::Mode::kReadOnly, options_.busy_timeout_ms));
    }
    RETURN_IF_ERROR(RunCached(*conn, "BEGIN", "begin read transaction"));
    // In WAL mode the snapshot is taken by the first read, not by BEGIN.
    Result<int64_t> pinned = conn->QueryInt("SELECT count(*) FROM meta", "pin read snapshot");
    if (!pinned.ok()) return pinned.status();  // conn is dropped, not pooled
    return conn;
  }

  // Ends the read transaction and pools the connection if it is clean.
  void ReleaseReader(std::unique_ptr<Connection> conn) {
    Status s = RunCached(*conn, "ROLLBACK", "end read transaction");
    if (!s.ok() || !conn->InAutocommit()) return;  // unknown state: close it
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
  }

  // Waits for the write gate, up to busy_timeout_ms.
  Status AcquireWriter() {
    std::unique_lock<std::mutex> lock(write_mu_);
    bool got = write_cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                                  [this] { return !writing_; });
    if (!got) {
      return Status::IoError("store: begin write: another write transaction held the store for " +
                             std::to_string(options_.busy_timeout_ms) +
                             " ms (write transactions are serial: is one leaked, or opened "
                             "twice on one thread?)");
    }
    writing_ = true;
    return Status::Ok();
  }

  void ReleaseWriter() {
    {
      std::lock_guard<std::mutex> lock(write_mu_);
      writing_ = false;
    }
    write_cv_.notify_one();
  }

  // Only for the holder of the write gate.
  Connection& writer() { return *writer_; }

  // For the holder of the write gate, before BEGIN: the writer commits with
  // an fsync of the WAL (synchronous FULL), or without (NORMAL) for a
  // deferred transaction, whose durability comes from a later Sync or
  // durable commit. SQLite refuses to change the level inside a
  // transaction. A store opened with synchronous NORMAL stays so.
  Status SetWriterDeferred(bool deferred) {
    if (!options_.synchronous_full) return Status::Ok();
    if (writer_deferred_ == deferred) return Status::Ok();
    writer_deferred_.reset();  // unknown until the pragma has run
    RETURN_IF_ERROR(
        RunCached(*writer_, deferred ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
                  deferred ? "defer the commit's sync" : "sync at commit"));
    writer_deferred_ = deferred;
    return Status::Ok();
  }

  // fdatasync of the WAL through a descriptor of its own: the kernel writes
  // back every page of the file, whichever descriptor wrote it, so every
  // commit that returned before this call is on disk when it returns (the
  // frames already checkpointed are in the database file, which the
  // checkpoint synced before the WAL could be reused). No gate: it may run
  // while the writer appends the next transaction. A store opened with
  // synchronous NORMAL promises no durability: nothing to do.
  Status SyncWal() const {
    if (!options_.synchronous_full) return Status::Ok();
    const std::string& wal = wal_path_;
    // The WAL exists from the first write until the last connection
    // closes, and the writer stays open as long as this Engine: a missing
    // WAL is an error like any other, never "nothing to sync".
    int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoError("store: sync: open " + wal + ": " + std::strerror(errno));
    int rc = 0;
    do {
      rc = ::fdatasync(fd);
    } while (rc != 0 && errno == EINTR);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
      return Status::IoError("store: sync: fdatasync " + wal + ": " + std::strerror(err) +
                             " (commits since the last sync may not be on disk)");
    return Status::Ok();
  }
  int busy_timeout_ms() const { return options_.busy_timeout_ms; }

 private:
  const std::unique_ptr<ChangeSignal> changes_;  // shared with the other processes
  const std::string path_;
  const std::string wal_path_;
  const SqliteOptions options_;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by pool_mu_

  std::mutex write_mu_;
  std::condition_variable write_cv_;
  bool writing_ = false;  // guarded by write_mu_

  std::unique_ptr<Connection> writer_;  // used only by the holder of the gate
  // The writer's synchronous level: deferred (NORMAL) or not (FULL); unset
  // if unknown (a pragma failed). Only for the holder of the gate.
  std::optional<bool> writer_deferred_ = false;
};

Status Finished() {
  return Status::FailedPrecondition("store: transaction already finished (after Commit)");
}

class SqliteReadTx final : public ReadTx {
 public:
  SqliteReadTx(std::shared_ptr<Engine> engine, std::unique_ptr<Connection> conn)
      : engine_(std::move(engine)), conn_(std::move(conn)) {}
  ~SqliteReadTx() override { engine_->ReleaseReader(std::move(conn_)); }

  Result<Record> Get(const std::string& kind, const std::string& id) override {
    return GetRecord(*conn_, kind, id);
  }
  Result<std::vector<Record>> List(const Filter& filter) override {
    return ListRecords(*conn_, filter);
  }
  Result<int64_t> Count(const Filter& filter) override { return CountRecords(*conn_, filter); }
  Result<std::vector<Event>> Events(int64_t from, int64_t limit) override {
    return ReadEvents(*conn_, from, limit);
  }
  Result<int64_t> EventCount() override { return CountEvents(*conn_); }
  Result<std::string> GetMeta(const std::string& key) override { return GetMetaValue(*conn_, key); }

 private:
  std::shared_ptr<Engine> engine_;
  std::unique_ptr<Connection> conn_;
};

class SqliteWriteTx final : public WriteTx {
 public:
  // Takes over the write gate, already acquired, and the open transaction.
  SqliteWriteTx(std::shared_ptr<Engine> engine, int64_t next_index)
      : engine_(std::move(engine)), next_index_(next_index) {}
  ~SqliteWriteTx() override {
    if (open_) Finish();
  }

  Result<Record> Get(const std::string& kind, const std::string& id) override {
    RETURN_IF_ERROR(CheckUsable());
    return Watch(GetRecord(conn(), kind, id));
  }
  Result<std::vector<Record>> List(const Filter& filter) override {
    RETURN_IF_ERROR(CheckUsable());
    return Watch(ListRecords(conn(), filter));
  }
  Result<int64_t> Count(const Filter& filter) override {
    RETURN_IF_ERROR(CheckUsable());
    return Watch(CountRecords(conn(), filter));
  }
  Result<std::vector<Event>> Events(int64_t from, int64_t limit) override {
    RETURN_IF_ERROR(CheckUsable());
    return Watch(ReadEvents(conn(), from, limit));
  }
  Result<int64_t> EventCount() override {
    RETURN_IF_ERROR(CheckUsable());
    return next_index_;
  }
  Result<std::string> GetMeta(const std::string& key) override {
    RETURN_IF_ERROR(CheckUsable());
    return Watch(GetMetaValue(conn(), key));
  }

  Status Put(const Record& record) override {
    RETURN_IF_ERROR(CheckUsable());
    RETURN_IF_ERROR(ValidateRecord(record));
    RETURN_IF_ERROR(Watch(PutRecord(conn(), record)));
    ++records_put_;
    changed_ |= ChangeSignal::SlotBit(record.kind);
    return Status::Ok();
  }

  Status Delete(const std::string& kind, const std::string& id) override {
    RETURN_IF_ERROR(CheckUsable());
    if (kind.empty() || id.empty()) {
      return Status::InvalidArgument("delete: " + std::string(kind.empty() ? "kind" : "id") +
                                     ": got empty, want a record key");
    }
    ASSIGN_OR_RETURN(bool deleted, Watch(DeleteRecord(conn(), kind, id)));
    if (!deleted) return Status::NotFound("store: no " + kind + " with id " + id + " to delete");
    ++records_put_;
    changed_ |= ChangeSignal::SlotBit(kind);
    return Status::Ok();
  }

  Result<int64_t> Retire(const std::string& kind, const std::string& group,
                         const std::string& from_id, const std::string& to_id, int64_t ends_at,
                         const std::string& body) override {
    RETURN_IF_ERROR(CheckUsable());
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string*>{"kind", &kind},
          {"group", &group},
          {"from_id", &from_id},
          {"to_id", &to_id}}) {
      if (value->empty())
        return Status::InvalidArgument("retire: " + std::string(name) + ": got empty, want " +
                                       (std::string(name) == "group" ? "a group" : "a key"));
    }
    if (from_id > to_id)
      return Status::InvalidArgument("retire: from_id \"" + from_id + "\" is after to_id \"" +
                                     to_id + "\", want from_id <= to_id");
    ASSIGN_OR_RETURN(int64_t n,
                     Watch(RetireRecords(conn(), kind, group, from_id, to_id, ends_at, body)));
    records_put_ += n;
    if (n > 0) changed_ |= ChangeSignal::SlotBit(kind);
    return n;
  }

  Result<int64_t> Append(const Event& event) override {
    RETURN_IF_ERROR(CheckUsable());
    RETURN_IF_ERROR(ValidateEvent(event));
    const int64_t index = next_index_;
    RETURN_IF_ERROR(Watch(InsertEvent(conn(), index, event)));
    ++next_index_;
    ++events_appended_;
    return index;
  }

  Status SetMeta(const std::string& key, const std::string& value) override {
    RETURN_IF_ERROR(CheckUsable());
    RETURN_IF_ERROR(ValidateMetaKey(key));
    return Watch(PutMetaValue(conn(), key, value));
  }

  Status Commit() override {
    if (!open_) return Finished();
    if (!failure_.ok()) {
      Finish();
      return Aborted();
    }
    if (records_put_ > 0 && events_appended_ == 0) {
      // Invariant 5 (PRODUCT.md): a state change and its ledger entry commit
      // together or not at all.
      Finish();
      return Status::FailedPrecondition(
          "store: commit refused and rolled back: the transaction put " +
          std::to_string(records_put_) +
          " record(s) but appended no event (a state change commits with its event)");
    }
    Status s = RunCached(conn(), "COMMIT", "commit");
    const bool ended = conn().InAutocommit();
    Finish();  // rolls back if COMMIT failed and left the transaction open
    // After the commit, before its caller hears of it. Also when COMMIT
    // failed but ended the transaction (committed or not, unknown here):
    // the stamp may grow for nothing, never stay the same after a change.
    if ((s.ok() || ended) && changed_ != 0) engine_->changes().Bump(changed_);
    return s;
  }

 private:
  Connection& conn() { return engine_->writer(); }

  Status CheckUsable() const {
    if (!open_) return Finished();
    if (!failure_.ok()) return Aborted();
    return Status::Ok();
  }

  Status Aborted() const {
    return Status::FailedPrecondition(
        "store: write transaction unusable after an earlier error (it will roll back): " +
        failure_.ToString());
  }

  // A SQLite error may have rolled the transaction back behind our back
  // (SQLITE_FULL, IOERR, ...), after which statements would autocommit one by
  // one: the transaction refuses further work after any database error.
  // Validation errors and NotFound are answers, not failures.
  template <typename T>
  T Watch(T result) {
    const Status& s = StatusOf(result);
    if (!s.ok() && s.code() != Code::kNotFound && s.code() != Code::kInvalidArgument) {
      failure_ = s;
    }
    return result;
  }
  static const Status& StatusOf(const Status& s) { return s; }
  template <typename U>
  static const Status& StatusOf(const Result<U>& r) {
    return r.status();
  }

  // Ends the transaction (rolling back whatever is not committed) and
  // releases the write gate.
  void Finish() {
    open_ = false;
    if (!conn().InAutocommit()) {
      // Nothing to do with a failed rollback: BeginWrite rolls back again.
      (void)RunCached(conn(), "ROLLBACK", "roll back");
    }
    engine_->ReleaseWriter();
  }

  std::shared_ptr<Engine> engine_;
  int64_t next_index_;
  int64_t records_put_ = 0;
  int64_t events_appended_ = 0;
  uint64_t changed_ = 0;  // ChangeSignal slots of the kinds changed
  bool open_ = true;
  Status failure_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::shared_ptr<Engine> engine) : engine_(std::move(engine)) {}

  Result<std::unique_ptr<ReadTx>> BeginRead() override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, engine_->AcquireReader());
    return std::unique_ptr<ReadTx>(new SqliteReadTx(engine_, std::move(conn)));
  }

  Result<std::unique_ptr<WriteTx>> BeginWrite() override { return Begin(false); }
  Result<std::unique_ptr<WriteTx>> BeginDeferredWrite() override { return Begin(true); }
  Status Sync() override { return engine_->SyncWal(); }

  std::optional<uint64_t> ChangeStamp(std::span<const std::string_view> kinds) override {
    uint64_t mask = 0;
    for (std::string_view k : kinds) mask |= ChangeSignal::SlotBit(k);
    return engine_->changes().Stamp(mask);
  }

  std::string Backend() const override { return "sqlite"; }

  Status Scrub() override {
    RETURN_IF_ERROR(engine_->AcquireWriter());
    Connection& conn = engine_->writer();
    // No waiting for readers: a sweep must not stall for busy_timeout_ms; it
    // scrubs again next time.
    Status s = [&]() -> Status {
      RETURN_IF_ERROR(conn.Exec("PRAGMA busy_timeout = 0", "scrub without waiting"));
      ASSIGN_OR_RETURN(StatementUse q,
                       conn.Prepare("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint the WAL"));
      ASSIGN_OR_RETURN(bool row, q->Step());
      // Columns: busy (1 if it could not finish), WAL frames, frames checkpointed.
      if (!row || q->ColumnInt(0) != 0) {
        return Status::IoError(
            "store: scrub: the WAL checkpoint could not finish (a reader still uses older "
            "frames); deleted pages may remain in the WAL until the next scrub");
      }
      return Status::Ok();
    }();
    Status restore = conn.Exec("PRAGMA busy_timeout = " + std::to_string(engine_->busy_timeout_ms()),
                               "restore busy timeout");
    engine_->ReleaseWriter();
    if (s.ok()) s = restore;
    return s;
  }

 private:
  Result<std::unique_ptr<WriteTx>> Begin(bool deferred) {
    RETURN_IF_ERROR(engine_->AcquireWriter());
    Connection& conn = engine_->writer();
    auto fail = [&](Status s) {
      if (!conn.InAutocommit()) (void)RunCached(conn, "ROLLBACK", "roll back");
      engine_->ReleaseWriter();
      return s;
    };
    if (!conn.InAutocommit()) {
      // A previous rollback failed; try again before starting afresh.
      Status s = RunCached(conn, "ROLLBACK", "roll back a leftover transaction");
      if (!s.ok()) return fail(s);
    }
    // A durable transaction whose level cannot be set to FULL fails here:
    // it never commits without its sync.
    Status s = engine_->SetWriterDeferred(deferred);
    if (!s.ok()) return fail(s);
    s = RunCached(conn, "BEGIN IMMEDIATE", "begin write transaction");
    if (!s.ok()) return fail(s);
    Result<int64_t> next = CountEvents(conn);
    if (!next.ok()) return fail(next.status());
    return std::unique_ptr<WriteTx>(new SqliteWriteTx(engine_, *next));
  }

  std::shared_ptr<Engine> engine_;
};

}  // namespace
}  // namespace sqlite

namespace sqlite {
namespace {

Result<std::unique_ptr<Connection>> OpenWriter(const std::string& path,
                                               const SqliteOptions& options) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(path, Connection::Mode::kReadWriteCreate, options.busy_timeout_ms));
  // Identify the file before changing anything in it (journal mode included):
  // a foreign database or a newer store is refused untouched.
  ASSIGN_OR_RETURN(int version, ReadSchemaVersion(*writer));
  if (version > LatestSchemaVersion()) {
    return Status::FailedPrecondition(
        "store: schema version " + std::to_string(version) + ", this binary knows versions up to " +
        std::to_string(LatestSchemaVersion()) +
        ": it was written by a newer Cloison; refusing to open it (upgrade the binary)");
  }
  // A new store gets 16 KiB pages instead of SQLite's 4 KiB: a page holds
  // about 20 item records instead of 5, so a sweep or a batch of ingests
  // writes (WAL frames, then the checkpoint's copies) a quarter as many
  // pages, each a system call, and those are costly on a virtual machine
  // (BENCHMARKS.md, "Session 4"). Only possible before the file's first
  // page is written in WAL mode; a store made with another size keeps it.
  if (version == 0)
    RETURN_IF_ERROR(writer->Exec("PRAGMA page_size = " + std::to_string(kPageSize),
                                 "set the page size"));
  {
    ASSIGN_OR_RETURN(StatementUse s, writer->Prepare("PRAGMA journal_mode = WAL", "set WAL mode"));
    ASSIGN_OR_RETURN(bool row, s->Step());
    std::string mode = row ? s->ColumnText(0) : "";
    if (mode != "wal") {
      return Status::IoError("store: journal_mode: got \"" + mode + "\", want \"wal\"");
    }
  }
  // FULL: the WAL is synced at every commit. NORMAL: only at checkpoints.
  RETURN_IF_ERROR(writer->Exec(
      options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
      "set synchronous"));
  RETURN_IF_ERROR(writer->Exec("PRAGMA foreign_keys = ON", "enable foreign keys"));
  // Deleted records (the vault's wrapped keys) are overwritten with zeros in
  // the database pages, not merely unlinked (store.h, Delete and Scrub).
  RETURN_IF_ERROR(writer->Exec("PRAGMA secure_delete = ON", "enable secure delete"));
  // The writer's page cache: 32 MiB instead of SQLite's 2 MiB, so that a
  // sweep or a batch of inserts into a large store (its indexes' inner
  // pages) does not spill dirty pages and read them back mid-transaction.
  RETURN_IF_ERROR(writer->Exec("PRAGMA cache_size = -32768", "set the writer's cache size"));
  // Checkpoint every ~40 MiB of WAL instead of SQLite's 1,000 pages: a
  // checkpoint runs inside the commit that crosses the mark (two more
  // fsyncs), and pages written many times in between (index pages) are
  // copied once. The mark is in pages, whatever their size. Scrub still
  // checkpoints and truncates whenever the vault asks.
  ASSIGN_OR_RETURN(int64_t page_size, writer->QueryInt("PRAGMA page_size", "read the page size"));
  RETURN_IF_ERROR(
      writer->Exec("PRAGMA wal_autocheckpoint = " +
                       std::to_string((int64_t{40} << 20) / std::max<int64_t>(page_size, 512)),
                   "set the WAL checkpoint mark"));
  RETURN_IF_ERROR(Migrate(*writer));
  return writer;
}

}  // namespace
}  // namespace sqlite

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, const SqliteOptions& options) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return Status::InvalidArgument("store: path: got \"" + path +
                                   "\", want a file path (WAL needs a file; no URI)");
  }
  if (options.busy_timeout_ms < 0) {
    return Status::InvalidArgument("store: busy_timeout_ms: got " +
                                   std::to_string(options.busy_timeout_ms) + ", want >= 0");
  }
  if (sqlite3_threadsafe() == 0) {
    return Status::Internal("store: SQLite was built without thread support");
  }
  Result<std::unique_ptr<sqlite::Connection>> writer = sqlite::OpenWriter(path, options);
  if (!writer.ok()) {
    // Name the file once, at this boundary: "store: open /x/store.db: ...".
    std::string message = writer.status().message();
    if (message.rfind("store: ", 0) == 0) message.erase(0, 7);
    return Status(writer.status().code(), "store: open " + path + ": " + message);
  }
  Result<std::unique_ptr<sqlite::ChangeSignal>> changes = sqlite::ChangeSignal::Open(path);
  if (!changes.ok()) return changes.status();
  auto engine =
      std::make_shared<sqlite::Engine>(path, options, std::move(*writer), std::move(*changes));
  return std::unique_ptr<Store>(new sqlite::SqliteStore(std::move(engine)));
}

}  // namespace cloison::store
