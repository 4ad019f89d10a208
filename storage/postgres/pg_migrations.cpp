#include "storage/postgres/pg_migrations.h"

#include <string>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"

namespace lessonbook::pg {
namespace {

void LockMigrations(PgConnection& conn) {
  conn.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Add(std::int64_t{kMigrationLockKey}));
}

}  // namespace

Status ApplyMigrations(PgConnection& conn, const MigrationFiles& files) {
  Result<std::vector<MigrationFile>> migrations = OrderMigrationFiles(files);
  if (!migrations.ok()) return migrations.status();

  Status created = Guarded("creating the schema_migrations table", [&] {
    PgTransaction tx(conn);
    LockMigrations(conn);  // two replicas creating the table at once would collide
    conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    tx.Commit();
    return Status::Ok();
  });
  if (!created.ok()) return created;

  for (const MigrationFile& m : *migrations) {
    Status s = Guarded("applying migration " + std::string(m.path), [&] {
      PgTransaction tx(conn);
      LockMigrations(conn);
      PgResult applied = conn.Exec("SELECT 1 FROM schema_migrations WHERE version = $1",
                                   PgParams().Add(m.version));
      if (applied.rows() > 0) return Status::Ok();  // applied before (maybe by another replica)
      conn.ExecScript(m.sql);
      conn.Exec(
          "INSERT INTO schema_migrations (version, name, applied_at) "
          "VALUES ($1, $2, extract(epoch FROM now())::bigint)",
          PgParams().Add(m.version).Add(m.name));
      tx.Commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<int> AppliedSchemaVersion(PgConnection& conn) {
  return Guarded("reading the schema version", [&]() -> Result<int> {
    PgResult exists = conn.Exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists.Bool(0, 0)) return 0;
    PgResult q = conn.Exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
    return static_cast<int>(q.Int(0, 0));
  });
}

}  // namespace lessonbook::pg
