// OpenStore: the Store a location names. A location starting with "postgres://" or
// "postgresql://" is a PostgreSQL server (libpq URI); anything else is a SQLite file path.
#include <string_view>

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace lessonbook {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  const std::string_view loc = location;
  if (loc.rfind("postgres://", 0) == 0 || loc.rfind("postgresql://", 0) == 0) {
    // The location is never echoed whole: it may hold a password.
    Result<std::unique_ptr<pg::PgStore>> store = pg::PgStore::Open(location);
    if (!store.ok()) return store.status();
    Status migrated = (*store)->Migrate();
    if (!migrated.ok()) return migrated;
    return std::unique_ptr<Store>(std::move(*store));
  }
  Result<std::unique_ptr<sqlite::SqliteStore>> store = sqlite::SqliteStore::Open(location);
  if (!store.ok()) return store.status();
  Status migrated = (*store)->Migrate();
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace lessonbook
