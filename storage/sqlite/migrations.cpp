#include "storage/sqlite/migrations.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>

#include "storage/sqlite/errors.h"

namespace lessonbook::sqlite {
namespace {

void CreateMigrationsTable(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

}  // namespace

Status ApplyMigrations(SQLite::Database& db, const MigrationFiles& files) {
  Result<std::vector<MigrationFile>> migrations = OrderMigrationFiles(files);
  if (!migrations.ok()) return migrations.status();

  Status created = Guarded("creating the schema_migrations table", [&] {
    CreateMigrationsTable(db);
    return Status::Ok();
  });
  if (!created.ok()) return created;

  for (const MigrationFile& m : *migrations) {
    Status s = Guarded("applying migration " + std::string(m.path), [&] {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement applied(db, "SELECT 1 FROM schema_migrations WHERE version = ?");
      applied.bind(1, m.version);
      if (applied.executeStep()) return Status::Ok();  // applied before (maybe by another process)
      applied.reset();
      db.exec(std::string(m.sql));
      SQLite::Statement record(db,
                               "INSERT INTO schema_migrations (version, name, applied_at) "
                               "VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER))");
      record.bind(1, m.version);
      record.bind(2, m.name);
      record.exec();
      tx.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<int> AppliedSchemaVersion(SQLite::Database& db) {
  return Guarded("reading the schema version", [&]() -> Result<int> {
    if (!db.tableExists("schema_migrations")) return 0;
    SQLite::Statement q(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    q.executeStep();
    return q.getColumn(0).getInt();
  });
}

}  // namespace lessonbook::sqlite
