// The schema of the SQLite store, as the migrations that build it
// (src/store/sqlite/migrations/NNNN_name.sql, compiled in) and the code that
// applies them. The rule (doc/formats/store.md): a released migration is never
// edited; a change is a new file with the next number; the store records its
// version in meta.schema_version and refuses a store newer than the binary.
#pragma once

#include <span>
#include <string_view>

#include "base/status.h"
#include "store/sqlite/connection.h"

namespace cloison::store::sqlite {

struct Migration {
  int version;            // 1, 2, ... from the file name's NNNN prefix
  std::string_view name;  // "0001_init.sql"
  std::string_view sql;
};

// SQLite's "application_id" header field for a Cloison store ("Clsn").
inline constexpr int32_t kApplicationId = 0x436c736e;
// The page size of a store created by this binary (sqlite_store.cc).
inline constexpr int kPageSize = 16384;
// The meta key holding the schema version (decimal text).
inline constexpr std::string_view kSchemaVersionKey = "schema_version";

// Every compiled-in migration, by version. Fails (kInternal) if the embedded
// files are not numbered 1..N without gap: a build error in disguise.
Result<std::span<const Migration>> Migrations();
// The version this binary brings a store to (N), or 0 if Migrations() fails.
int LatestSchemaVersion();

// Brings the database on `conn` to LatestSchemaVersion(), applying every
// missing migration in one IMMEDIATE transaction (all or nothing). Refuses
// (kFailedPrecondition) a database that is not a Cloison store, or whose
// version is newer than this binary knows. Must run outside any transaction.
Status Migrate(Connection& conn);

// The version recorded in the database: 0 for an empty database.
Result<int> ReadSchemaVersion(Connection& conn);

}  // namespace cloison::store::sqlite
