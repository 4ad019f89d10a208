// OpenStore: the Store a location names. A location starting with "postgres://" (or
// "postgresql://") is refused for now; anything else is a SQLite file path.
#include <string_view>

#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace lessonbook {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  const std::string_view loc = location;
  if (loc.rfind("postgres://", 0) == 0 || loc.rfind("postgresql://", 0) == 0) {
    // The location is not echoed: it may hold a password.
    return Status::InvalidArgument(
        "PostgreSQL is not supported yet: set LESSONBOOK_DB to a SQLite file path such as "
        "./lessonbook.db");
  }
  Result<std::unique_ptr<sqlite::SqliteStore>> store = sqlite::SqliteStore::Open(location);
  if (!store.ok()) return store.status();
  Status migrated = (*store)->Migrate();
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace lessonbook
