#include "storage/sqlite/migrations.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "storage/sqlite/errors.h"

namespace lessonbook::sqlite {
namespace {

struct Migration {
  int version = 0;
  std::string name;
  std::string_view path;
  std::string_view sql;
};

// "storage/migrations/sqlite/0001_init.sql" -> {1, "init"}.
std::optional<Migration> ParseMigration(std::string_view path, std::string_view sql) {
  std::string_view file = path.substr(path.find_last_of('/') + 1);  // npos + 1 == 0
  constexpr std::string_view kSuffix = ".sql";
  if (file.size() <= kSuffix.size() || file.substr(file.size() - kSuffix.size()) != kSuffix) {
    return std::nullopt;
  }
  file.remove_suffix(kSuffix.size());
  const size_t underscore = file.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore > 6 ||
      underscore + 1 == file.size()) {
    return std::nullopt;
  }
  Migration m;
  for (char c : file.substr(0, underscore)) {
    if (c < '0' || c > '9') return std::nullopt;
    m.version = m.version * 10 + (c - '0');
  }
  if (m.version == 0) return std::nullopt;
  m.name = std::string(file.substr(underscore + 1));
  m.path = path;
  m.sql = sql;
  return m;
}

void CreateMigrationsTable(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

}  // namespace

Status ApplyMigrations(SQLite::Database& db, const MigrationFiles& files) {
  std::vector<Migration> migrations;
  for (const auto& [path, sql] : files) {
    std::optional<Migration> m = ParseMigration(path, sql);
    if (!m) {
      return Status::Internal("migration file name " + std::string(path) + " is not NNNN_name.sql");
    }
    migrations.push_back(std::move(*m));
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return Status::Internal("migrations " + std::string(migrations[i - 1].path) + " and " +
                              std::string(migrations[i].path) + " have the same number");
    }
  }

  Status created = Guarded("creating the schema_migrations table", [&] {
    CreateMigrationsTable(db);
    return Status::Ok();
  });
  if (!created.ok()) return created;

  for (const Migration& m : migrations) {
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
