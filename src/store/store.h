// The storage contract (Trillian's storage/log_storage.go in spirit). The
// store knows records and events, not the law: domain modules own the body
// encoding, the store owns durability, atomicity and indexes.
//
// Outcomes, spelled out:
// - A ReadTx sees one consistent snapshot for its whole life.
// - A WriteTx is serialisable with every other WriteTx. Its changes become
//   visible to others only on a successful Commit(); a WriteTx destroyed
//   without Commit() rolls back, as does a Commit() that fails.
// - A WriteTx that changed any record must have appended at least one event:
//   Commit() refuses (FailedPrecondition) and rolls back otherwise, so a state
//   change and its ledger entry commit together or not at all (invariant 5).
// - Events are numbered 0, 1, 2, ... with no gap, in commit order; an event is
//   never changed or removed.
// - Put() of a record replaces the record with the same (kind, id).
// - Delete() removes a record (NotFound if there is none, which changes
//   nothing); like Put it is a change that needs an event to commit. Deleted
//   bytes do not stay readable in the backend's files once Scrub() has run
//   (SQLite: secure_delete overwrites them in the database pages; Scrub
//   checkpoints and truncates the WAL, which still holds earlier pages).
// - Invalid arguments (kInvalidArgument: empty kind or id, empty event type or
//   body, a Filter without kind, negative ranges) change nothing and leave the
//   transaction usable; so does NotFound, which is an answer. Any other error
//   leaves a WriteTx unusable: every later call fails and it rolls back.
// - Ids compare bytewise (as memcmp): that is the order of List and after_id.
//
// The conformance suite (store/testing/conformance.h) checks every outcome
// above against each backend.
//
// Thread-safety: a Store is thread-safe; a transaction is used by one thread.
// A thread holding a WriteTx must not begin another: BeginWrite waits for the
// open one, and fails once the backend's lock timeout has passed. A
// transaction may outlive its Store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cloison::store {

// One domain object. The indexed columns are what lists and quotas filter on;
// `body` is the domain module's encoding of the whole object.
struct Record {
  std::string kind;  // "request", "authorisation", "quota", "principal", ...
  std::string id;
  std::string state;      // domain state name, "" if none
  std::string technique;  // "" if none
  std::string minister;   // "" if none
  std::string service;    // "" if none
  int64_t starts_at = 0;  // microseconds since the epoch, 0 if none
  int64_t ends_at = 0;    // microseconds since the epoch, 0 if none
  // A secondary grouping key, indexed with the id: the records of one group
  // list in id order at a cost that grows with the group, not the kind (the
  // vault's items by bucket). "" if none.
  std::string group;
  std::string body;
  bool operator==(const Record&) const = default;
};

// Filters combine with AND; an empty or unset field does not filter.
struct Filter {
  std::string kind;                 // required
  std::vector<std::string> states;  // state IN (...)
  std::string technique;
  std::string minister;
  std::string service;
  std::string group;
  std::optional<int64_t> ends_after;   // ends_at > value
  std::optional<int64_t> ends_before;  // 0 < ends_at <= value (records with no end never match)
  std::string after_id;               // pagination: ids strictly greater, ascending
  int limit = 0;                      // 0 = no limit
};

// The longest event body: a ledger entry's length is a uint16 in C2SP
// tlog-tiles entry bundles.
inline constexpr size_t kMaxEventBody = 65535;

// One entry of the future ledger: a state change, in its canonical encoding
// (doc/formats/event.md). `index` is assigned by Append.
struct Event {
  int64_t index = -1;
  std::string type;  // "request.submitted", "opinion.given", ...
  std::string body;  // canonical bytes, hashed by the ledger
  bool operator==(const Event&) const = default;
};

class ReadTx {
 public:
  virtual ~ReadTx() = default;
  // NotFound if there is no such record.
  virtual Result<Record> Get(const std::string& kind, const std::string& id) = 0;
  // Ordered by id ascending.
  virtual Result<std::vector<Record>> List(const Filter& filter) = 0;
  // The number of records List(filter) would return (after_id and limit
  // included), without reading them.
  virtual Result<int64_t> Count(const Filter& filter) = 0;
  // Events [from, from + limit), in index order; fewer at the end of the log,
  // none if limit is 0. from and limit must be >= 0.
  virtual Result<std::vector<Event>> Events(int64_t from, int64_t limit) = 0;
  virtual Result<int64_t> EventCount() = 0;
  // Instance metadata (rulebook path, origin, schema version...). NotFound if
  // unset. The keys the backend writes itself ("schema_version") are read-only.
  virtual Result<std::string> GetMeta(const std::string& key) = 0;
};

class WriteTx : public ReadTx {
 public:
  virtual Status Put(const Record& record) = 0;
  // Removes (kind, id). NotFound if absent (an answer: the tx stays usable).
  virtual Status Delete(const std::string& kind, const std::string& id) = 0;
  // Replaces every record of `kind` in `group` whose id is in [from_id,
  // to_id] by its tombstone: the same kind and id, `ends_at`, `body`, and
  // no state, technique, minister, service, start or group (so it leaves the
  // group). Returns how many it replaced (0 is an answer). For the vault's
  // sweep, which retires a bucket's items by ranges in one statement each
  // instead of one Put per item. kind, group and both ids must be non-empty
  // and from_id <= to_id (InvalidArgument; the tx stays usable).
  virtual Result<int64_t> Retire(const std::string& kind, const std::string& group,
                                 const std::string& from_id, const std::string& to_id,
                                 int64_t ends_at, const std::string& body) = 0;
  // Returns the event's index (event.index is ignored). The type and the body
  // must be non-empty, and the body at most kMaxEventBody bytes
  // (InvalidArgument; the transaction stays usable).
  virtual Result<int64_t> Append(const Event& event) = 0;
  virtual Status SetMeta(const std::string& key, const std::string& value) = 0;
  // See the contract above. A transaction is finished after Commit, whatever
  // its outcome; any further call returns FailedPrecondition.
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::unique_ptr<ReadTx>> BeginRead() = 0;
  virtual Result<std::unique_ptr<WriteTx>> BeginWrite() = 0;
  // A write transaction like BeginWrite's, except that its Commit() does not
  // wait for durability: when it returns, the changes are committed
  // (atomic, ordered, visible to later transactions) but a power loss
  // before the next Sync() returns may take it. What a power loss takes is
  // always the last commits, never one before a commit that survived: a
  // transaction from BeginWrite, durable at its Commit() as always, makes
  // the deferred commits before it durable too. For group commit
  // (api/ingest_batcher.h): the next batch is written while this one's sync
  // runs, and nobody is told of a deferred commit before a Sync() begun
  // after it has returned. Default: BeginWrite(), durable at Commit().
  virtual Result<std::unique_ptr<WriteTx>> BeginDeferredWrite() { return BeginWrite(); }
  // Makes every transaction committed before the call durable. May run on
  // any thread, while another write transaction is open. Default: nothing
  // to do (every commit is durable).
  virtual Status Sync() { return Status::Ok(); }
  // A stamp of the changes to the records of `kinds`: it grows once a
  // transaction that put, deleted or retired one of them has committed, in
  // this process or in any other using the same store, before that
  // transaction's Commit() returns. Read before a read transaction, it lets
  // a caller keep what it read for as long as the stamp stays the same
  // (service::CredentialCache). It may also grow when nothing of `kinds`
  // changed. Costs no read of the store. nullopt: the backend cannot tell
  // (the default), and nothing may be kept.
  virtual std::optional<uint64_t> ChangeStamp(std::span<const std::string_view> kinds) {
    (void)kinds;
    return std::nullopt;
  }
  // The backend's name: "sqlite" or "postgres".
  virtual std::string Backend() const = 0;
  // Makes committed deletions unrecoverable from the backend's own files
  // (crypto-shredding's last step for wrapped keys kept in records). SQLite:
  // a WAL checkpoint in TRUNCATE mode, which waits for the write gate and
  // fails with kIoError ("busy") while a reader still needs older WAL
  // frames; callers retry later. Safe to call at any time.
  virtual Status Scrub() = 0;
};

struct SqliteOptions {
  // "full": fsync on every commit (durable); "normal": WAL's default (durable
  // across process crashes, may lose the last commits on power loss).
  bool synchronous_full = true;
  // How long to wait for the write lock (another WriteTx of this process, or
  // another process) before BeginWrite fails with kIoError.
  int busy_timeout_ms = 5000;
};

// Opens (creating if needed) the SQLite store at `path` in WAL mode and brings
// its schema to the latest version with the migrations in
// src/store/sqlite/migrations (compiled in). ":memory:" is not supported:
// WAL needs a file.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path,
                                          const SqliteOptions& options = {});

}  // namespace cloison::store
