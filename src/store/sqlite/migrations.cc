#include "store/sqlite/migrations.h"

#include <charconv>
#include <string>
#include <vector>

namespace cloison::store::sqlite {
namespace {

struct EmbeddedMigration {
  const char* name;
  std::string_view sql;
};

// Defines kEmbeddedMigrations[] (embed_migrations.cmake), sorted by name.
#include "store/sqlite/migrations.inc"

struct Loaded {
  std::vector<Migration> migrations;
  Status status;
};

Loaded Load() {
  Loaded loaded;
  for (const EmbeddedMigration& m : kEmbeddedMigrations) {
    std::string_view name = m.name;
    int version = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + 4, version);
    int want = static_cast<int>(loaded.migrations.size()) + 1;
    if (ec != std::errc() || end != name.data() + 4 || version != want) {
      loaded.status =
          Status::Internal("store: migration " + std::string(name) + ": want version " +
                           std::to_string(want) + " (migrations are numbered 1..N without gap)");
      loaded.migrations.clear();
      return loaded;
    }
    loaded.migrations.push_back(Migration{version, name, m.sql});
  }
  return loaded;
}

const Loaded& Get() {
  static const Loaded* const loaded = new Loaded(Load());
  return *loaded;
}

// The parts of a database that say whose it is, read before changing anything.
struct Identity {
  int64_t application_id = 0;
  int64_t objects = 0;  // rows of sqlite_schema
  bool has_meta = false;
};

Result<Identity> ReadIdentity(Connection& conn) {
  Identity id;
  ASSIGN_OR_RETURN(id.application_id,
                   conn.QueryInt("PRAGMA application_id", "read application_id"));
  ASSIGN_OR_RETURN(id.objects, conn.QueryInt("SELECT count(*) FROM sqlite_schema", "read schema"));
  ASSIGN_OR_RETURN(int64_t meta, conn.QueryInt("SELECT count(*) FROM sqlite_schema "
                                               "WHERE type = 'table' AND name = 'meta'",
                                               "look for the meta table"));
  id.has_meta = meta > 0;
  return id;
}

}  // namespace

Result<std::span<const Migration>> Migrations() {
  const Loaded& loaded = Get();
  if (!loaded.status.ok()) return loaded.status;
  return std::span<const Migration>(loaded.migrations);
}

int LatestSchemaVersion() {
  const Loaded& loaded = Get();
  return static_cast<int>(loaded.migrations.size());
}

Result<int> ReadSchemaVersion(Connection& conn) {
  ASSIGN_OR_RETURN(Identity id, ReadIdentity(conn));
  if (id.objects == 0 && id.application_id == 0) return 0;
  if (id.application_id != kApplicationId) {
    return Status::FailedPrecondition(
        "store: a SQLite database but not a Cloison store (application_id " +
        std::to_string(id.application_id) + ", want " + std::to_string(kApplicationId) +
        "); refusing to touch it");
  }
  if (!id.has_meta) {
    return Status::Corruption("store: Cloison store without a meta table");
  }
  ASSIGN_OR_RETURN(StatementUse stmt,
                   conn.Prepare("SELECT value FROM meta WHERE key = ?1", "read schema_version"));
  RETURN_IF_ERROR(stmt->BindText(1, kSchemaVersionKey));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) {
    return Status::Corruption("store: meta.schema_version is missing");
  }
  std::string text = stmt->ColumnText(0);
  int version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return Status::Corruption("store: meta.schema_version: got \"" + text +
                              "\", want a positive integer");
  }
  return version;
}

Status Migrate(Connection& conn) {
  ASSIGN_OR_RETURN(std::span<const Migration> migrations, Migrations());
  const int latest = static_cast<int>(migrations.size());
  // IMMEDIATE: another process opening the same store waits (busy_timeout)
  // instead of applying the same migrations twice.
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE", "begin migration"));
  auto fail = [&conn](Status status) {
    (void)conn.Exec("ROLLBACK", "roll back migration");
    return status;
  };
  Result<int> current = ReadSchemaVersion(conn);
  if (!current.ok()) return fail(current.status());
  if (*current > latest) {
    return fail(Status::FailedPrecondition(
        "store: schema version " + std::to_string(*current) +
        ", this binary knows versions up to " + std::to_string(latest) +
        ": it was written by a newer Cloison; refusing to open it (upgrade the binary)"));
  }
  if (*current == latest) return fail(Status::Ok());  // nothing to do: end the transaction
  for (const Migration& m : migrations.subspan(static_cast<size_t>(*current))) {
    Status s = conn.Exec(m.sql, "apply migration " + std::string(m.name));
    if (!s.ok()) return fail(s);
  }
  Status s =
      conn.Exec("PRAGMA application_id = " + std::to_string(kApplicationId), "set application_id");
  if (!s.ok()) return fail(s);
  {
    Result<StatementUse> stmt = conn.Prepare(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        "record schema_version");
    if (!stmt.ok()) return fail(stmt.status());
    s = (*stmt)->BindText(1, kSchemaVersionKey);
    if (s.ok()) s = (*stmt)->BindText(2, std::to_string(latest));
    if (s.ok()) s = (*stmt)->Run();
    if (!s.ok()) return fail(s);
  }
  s = conn.Exec("COMMIT", "commit migration");
  if (!s.ok()) return fail(s);
  return Status::Ok();
}

}  // namespace cloison::store::sqlite
