#include "store/sqlite/queries.h"

#include <algorithm>
#include <utility>

#include "store/sqlite/migrations.h"

namespace cloison::store::sqlite {
namespace {

constexpr char kRecordColumns[] =
    "kind, id, state, technique, minister, service, starts_at, ends_at, grp, body";

Record ReadRecordRow(const Statement& s) {
  Record r;
  r.kind = s.ColumnText(0);
  r.id = s.ColumnText(1);
  r.state = s.ColumnText(2);
  r.technique = s.ColumnText(3);
  r.minister = s.ColumnText(4);
  r.service = s.ColumnText(5);
  r.starts_at = s.ColumnInt(6);
  r.ends_at = s.ColumnInt(7);
  r.group = s.ColumnText(8);
  r.body = s.ColumnText(9);
  return r;
}

Status ValidateFilter(const Filter& f) {
  if (f.kind.empty()) {
    return Status::InvalidArgument("filter: kind: got empty, want a record kind (required)");
  }
  if (f.limit < 0) {
    return Status::InvalidArgument("filter: limit: got " + std::to_string(f.limit) +
                                   ", want >= 0 (0 = no limit)");
  }
  return Status::Ok();
}

// The WHERE clause for `f` (parameters numbered from 1, in the order Bind
// uses) and ORDER/LIMIT. The SQL depends only on which fields are set, on
// the number of states and on the sign of ends_after, so the statement cache
// stays small. The secondary indexes are partial (0003_partial_indexes.sql):
// each holds the records whose column is set, and SQLite uses one only when
// the query carries that index's own condition. So the condition is added
// wherever the filter already implies it, and never where it would change
// the result.
std::string FilterSql(const Filter& f) {
  std::string sql = " FROM records WHERE kind = ?";
  if (!f.states.empty()) {
    sql += " AND state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
    bool all_set = std::none_of(f.states.begin(), f.states.end(),
                                [](const std::string& s) { return s.empty(); });
    if (all_set) sql += " AND state <> ''";
  }
  if (!f.technique.empty()) sql += " AND technique = ? AND technique <> ''";
  if (!f.minister.empty()) sql += " AND minister = ?";
  if (!f.service.empty()) sql += " AND service = ?";
  if (!f.group.empty()) sql += " AND grp = ? AND grp <> ''";
  if (f.ends_after.has_value()) {
    sql += " AND ends_at > ?";
    if (*f.ends_after >= 0) sql += " AND ends_at <> 0";
  }
  if (f.ends_before.has_value()) sql += " AND ends_at > 0 AND ends_at <= ? AND ends_at <> 0";
  if (!f.after_id.empty()) sql += " AND id > ?";
  sql += " ORDER BY id";
  if (f.limit > 0) sql += " LIMIT ?";
  return sql;
}

Status BindFilter(Statement& s, const Filter& f) {
  int i = 1;
  RETURN_IF_ERROR(s.BindText(i++, f.kind));
  for (const std::string& state : f.states) RETURN_IF_ERROR(s.BindText(i++, state));
  if (!f.technique.empty()) RETURN_IF_ERROR(s.BindText(i++, f.technique));
  if (!f.minister.empty()) RETURN_IF_ERROR(s.BindText(i++, f.minister));
  if (!f.service.empty()) RETURN_IF_ERROR(s.BindText(i++, f.service));
  if (!f.group.empty()) RETURN_IF_ERROR(s.BindText(i++, f.group));
  if (f.ends_after.has_value()) RETURN_IF_ERROR(s.BindInt(i++, *f.ends_after));
  if (f.ends_before.has_value()) RETURN_IF_ERROR(s.BindInt(i++, *f.ends_before));
  if (!f.after_id.empty()) RETURN_IF_ERROR(s.BindText(i++, f.after_id));
  if (f.limit > 0) RETURN_IF_ERROR(s.BindInt(i++, f.limit));
  return Status::Ok();
}

}  // namespace

Status ValidateRecord(const Record& record) {
  if (record.kind.empty()) return Status::InvalidArgument("record: kind: got empty, want a kind");
  if (record.id.empty()) {
    return Status::InvalidArgument("record " + record.kind + ": id: got empty, want an id");
  }
  return Status::Ok();
}

Status ValidateEvent(const Event& event) {
  if (event.type.empty()) return Status::InvalidArgument("event: type: got empty, want a type");
  if (event.body.empty()) {
    return Status::InvalidArgument("event " + event.type +
                                   ": body: got empty, want its canonical bytes");
  }
  // The body is a ledger entry, and tile/entries bundles carry an entry's
  // length in two bytes (C2SP tlog-tiles): a longer one could never be
  // logged, so it is refused here, before it can block the ledger.
  if (event.body.size() > kMaxEventBody) {
    return Status::InvalidArgument("event " + event.type + ": body: got " +
                                   std::to_string(event.body.size()) + " bytes, want at most " +
                                   std::to_string(kMaxEventBody) + " (a ledger entry)");
  }
  return Status::Ok();
}

Status ValidateMetaKey(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("meta: key: got empty, want a key");
  if (key == kSchemaVersionKey) {
    return Status::InvalidArgument("meta: key: " + key +
                                   " is written by the store's migrations only");
  }
  return Status::Ok();
}

Result<Record> GetRecord(Connection& conn, const std::string& kind, const std::string& id) {
  ASSIGN_OR_RETURN(StatementUse s, conn.Prepare(std::string("SELECT ") + kRecordColumns +
                                                    " FROM records WHERE kind = ?1 AND id = ?2",
                                                "get record"));
  RETURN_IF_ERROR(s->BindText(1, kind));
  RETURN_IF_ERROR(s->BindText(2, id));
  ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("store: no " + kind + " with id " + id);
  return ReadRecordRow(*s);
}

std::string ListSql(const Filter& filter) {
  return std::string("SELECT ") + kRecordColumns + FilterSql(filter);
}

Result<std::vector<Record>> ListRecords(Connection& conn, const Filter& filter) {
  RETURN_IF_ERROR(ValidateFilter(filter));
  ASSIGN_OR_RETURN(
      StatementUse s,
      conn.Prepare(ListSql(filter), "list records"));
  RETURN_IF_ERROR(BindFilter(*s, filter));
  std::vector<Record> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(ReadRecordRow(*s));
  }
  return out;
}

Result<int64_t> CountRecords(Connection& conn, const Filter& filter) {
  RETURN_IF_ERROR(ValidateFilter(filter));
  ASSIGN_OR_RETURN(
      StatementUse s,
      conn.Prepare("SELECT count(*) FROM (SELECT 1" + FilterSql(filter) + ")", "count records"));
  RETURN_IF_ERROR(BindFilter(*s, filter));
  ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Internal("store: count records: no row");
  return s->ColumnInt(0);
}

Result<std::vector<Event>> ReadEvents(Connection& conn, int64_t from, int64_t limit) {
  if (from < 0) {
    return Status::InvalidArgument("events: from: got " + std::to_string(from) + ", want >= 0");
  }
  if (limit < 0) {
    return Status::InvalidArgument("events: limit: got " + std::to_string(limit) + ", want >= 0");
  }
  std::vector<Event> out;
  if (limit == 0) return out;
  ASSIGN_OR_RETURN(StatementUse s,
                   conn.Prepare("SELECT idx, type, body FROM events WHERE idx >= ?1 "
                                "ORDER BY idx LIMIT ?2",
                                "read events"));
  RETURN_IF_ERROR(s->BindInt(1, from));
  RETURN_IF_ERROR(s->BindInt(2, limit));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Event e;
    e.index = s->ColumnInt(0);
    e.type = s->ColumnText(1);
    e.body = s->ColumnText(2);
    if (e.index != from + static_cast<int64_t>(out.size())) {
      return Status::Corruption("store: events: found index " + std::to_string(e.index) +
                                ", want " + std::to_string(from + out.size()) + " (gap)");
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<int64_t> CountEvents(Connection& conn) {
  // max + 1, not count(*): O(log n) on the rowid, and equal to the count
  // because events are gapless from 0 (enforced by the events_gapless trigger).
  return conn.QueryInt("SELECT coalesce(max(idx) + 1, 0) FROM events", "count events");
}

Result<std::string> GetMetaValue(Connection& conn, const std::string& key) {
  ASSIGN_OR_RETURN(StatementUse s,
                   conn.Prepare("SELECT value FROM meta WHERE key = ?1", "get meta"));
  RETURN_IF_ERROR(s->BindText(1, key));
  ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("store: no meta value for key " + key);
  return s->ColumnText(0);
}

Status PutRecord(Connection& conn, const Record& r) {
  ASSIGN_OR_RETURN(
      StatementUse s,
      conn.Prepare("INSERT INTO records (kind, id, state, technique, minister, service, "
                   "starts_at, ends_at, grp, body) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                   "ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state, "
                   "technique = excluded.technique, minister = excluded.minister, "
                   "service = excluded.service, starts_at = excluded.starts_at, "
                   "ends_at = excluded.ends_at, grp = excluded.grp, body = excluded.body",
                   "put record"));
  RETURN_IF_ERROR(s->BindText(1, r.kind));
  RETURN_IF_ERROR(s->BindText(2, r.id));
  RETURN_IF_ERROR(s->BindText(3, r.state));
  RETURN_IF_ERROR(s->BindText(4, r.technique));
  RETURN_IF_ERROR(s->BindText(5, r.minister));
  RETURN_IF_ERROR(s->BindText(6, r.service));
  RETURN_IF_ERROR(s->BindInt(7, r.starts_at));
  RETURN_IF_ERROR(s->BindInt(8, r.ends_at));
  RETURN_IF_ERROR(s->BindText(9, r.group));
  RETURN_IF_ERROR(s->BindBlob(10, r.body));
  return s->Run();
}

Result<bool> DeleteRecord(Connection& conn, const std::string& kind, const std::string& id) {
  ASSIGN_OR_RETURN(StatementUse s,
                   conn.Prepare("DELETE FROM records WHERE kind = ?1 AND id = ?2 RETURNING 1",
                                "delete record"));
  RETURN_IF_ERROR(s->BindText(1, kind));
  RETURN_IF_ERROR(s->BindText(2, id));
  ASSIGN_OR_RETURN(bool row, s->Step());
  if (row) RETURN_IF_ERROR(s->Run());  // finish the statement: the delete is done at SQLITE_DONE
  return row;
}

std::string RetireSql() {
  // "grp <> ''" lets the planner walk records_by_group (a partial index):
  // the cost is that of the range, not of the kind.
  return "UPDATE records SET state = '', technique = '', minister = '', service = '', "
         "starts_at = 0, ends_at = ?5, grp = '', body = ?6 "
         "WHERE kind = ?1 AND grp = ?2 AND grp <> '' AND id BETWEEN ?3 AND ?4";
}

Result<int64_t> RetireRecords(Connection& conn, const std::string& kind, const std::string& group,
                              const std::string& from_id, const std::string& to_id,
                              int64_t ends_at, const std::string& body) {
  ASSIGN_OR_RETURN(StatementUse s, conn.Prepare(RetireSql(), "retire records"));
  RETURN_IF_ERROR(s->BindText(1, kind));
  RETURN_IF_ERROR(s->BindText(2, group));
  RETURN_IF_ERROR(s->BindText(3, from_id));
  RETURN_IF_ERROR(s->BindText(4, to_id));
  RETURN_IF_ERROR(s->BindInt(5, ends_at));
  RETURN_IF_ERROR(s->BindBlob(6, body));
  RETURN_IF_ERROR(s->Run());
  return conn.Changes();
}

Status InsertEvent(Connection& conn, int64_t index, const Event& event) {
  ASSIGN_OR_RETURN(
      StatementUse s,
      conn.Prepare("INSERT INTO events (idx, type, body) VALUES (?1, ?2, ?3)", "append event"));
  RETURN_IF_ERROR(s->BindInt(1, index));
  RETURN_IF_ERROR(s->BindText(2, event.type));
  RETURN_IF_ERROR(s->BindBlob(3, event.body));
  return s->Run();
}

Status PutMetaValue(Connection& conn, const std::string& key, const std::string& value) {
  ASSIGN_OR_RETURN(StatementUse s,
                   conn.Prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                "set meta"));
  RETURN_IF_ERROR(s->BindText(1, key));
  RETURN_IF_ERROR(s->BindText(2, value));
  return s->Run();
}

}  // namespace cloison::store::sqlite
