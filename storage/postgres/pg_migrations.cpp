#include "storage/postgres/pg_migrations.h"

#include <algorithm>
#include <optional>
#include <string>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"

namespace lessonbook::pg {
namespace {

struct Migration {
  int version = 0;
  std::string name;
  std::string_view path;
  std::string_view sql;
};

// "storage/migrations/postgres/0001_init.sql" -> {1, "init"}.
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

void LockMigrations(PgConnection& conn) {
  conn.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Add(std::int64_t{kMigrationLockKey}));
}

}  // namespace

Status ApplyMigrations(PgConnection& conn, const MigrationFiles& files) {
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
    PgTransaction tx(conn);
    LockMigrations(conn);  // two replicas creating the table at once would collide
    conn.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    tx.Commit();
    return Status::Ok();
  });
  if (!created.ok()) return created;

  for (const Migration& m : migrations) {
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
