// The SQL of the store's operations, shared by read and write transactions.
// Each function runs on the connection it is given, inside whatever
// transaction that connection has open; validation of arguments happens here,
// before any SQL runs, and is reported as kInvalidArgument.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace cloison::store::sqlite {

Result<Record> GetRecord(Connection& conn, const std::string& kind, const std::string& id);
Result<std::vector<Record>> ListRecords(Connection& conn, const Filter& filter);
// The SELECT that ListRecords prepares for `filter` (for tests that read its
// query plan).
std::string ListSql(const Filter& filter);
Result<int64_t> CountRecords(Connection& conn, const Filter& filter);
Result<std::vector<Event>> ReadEvents(Connection& conn, int64_t from, int64_t limit);
Result<int64_t> CountEvents(Connection& conn);
Result<std::string> GetMetaValue(Connection& conn, const std::string& key);

Status ValidateRecord(const Record& record);
Status ValidateEvent(const Event& event);
Status ValidateMetaKey(const std::string& key);

Status PutRecord(Connection& conn, const Record& record);
// False if there was no such record.
Result<bool> DeleteRecord(Connection& conn, const std::string& kind, const std::string& id);
// WriteTx::Retire, after validation; the number of records replaced.
Result<int64_t> RetireRecords(Connection& conn, const std::string& kind, const std::string& group,
                              const std::string& from_id, const std::string& to_id,
                              int64_t ends_at, const std::string& body);
// The SQL RetireRecords runs (for plan tests).
std::string RetireSql();
// Inserts `event` at `index`, which the caller computed as the next one.
Status InsertEvent(Connection& conn, int64_t index, const Event& event);
Status PutMetaValue(Connection& conn, const std::string& key, const std::string& value);

}  // namespace cloison::store::sqlite
