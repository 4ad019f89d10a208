// OpenStore: the Store a location names (storage/store_location.h): a PostgreSQL server (libpq
// URI) or a SQLite file path.
#include <filesystem>

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "storage/store_location.h"

namespace lessonbook {
namespace {

Result<std::unique_ptr<Store>> Open(const std::string& location, bool migrate, bool create) {
  Result<StoreLocation> where = ParseStoreLocation(location);
  if (!where.ok()) return where.status();
  std::unique_ptr<Store> store;
  if (where->kind == StoreLocation::Kind::kPostgres) {
    // The location is never echoed whole: it may hold a password.
    Result<std::unique_ptr<pg::PgStore>> pg = pg::PgStore::Open(where->target);
    if (!pg.ok()) return pg.status();
    store = std::move(*pg);
  } else {
    std::error_code ec;
    if (!create && where->target != ":memory:" &&
        !std::filesystem::is_regular_file(where->target, ec)) {
      return Status::NotFound("there is no SQLite database file at " + where->target);
    }
    Result<std::unique_ptr<sqlite::SqliteStore>> lite = sqlite::SqliteStore::Open(where->target);
    if (!lite.ok()) return lite.status();
    store = std::move(*lite);
  }
  if (migrate) {
    Status migrated = store->Migrate();
    if (!migrated.ok()) return migrated;
  }
  return store;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  return Open(location, /*migrate=*/true, /*create=*/true);
}

Result<std::unique_ptr<Store>> OpenStoreAsIs(const std::string& location) {
  return Open(location, /*migrate=*/false, /*create=*/false);
}

}  // namespace lessonbook
