// StoreLocation: what a database location (LESSONBOOK_DB, `lessonbook migrate --from/--to`)
// names: a SQLite file or a PostgreSQL server.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "bot/status.h"

namespace lessonbook {

struct StoreLocation {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;  // the SQLite file path, or the PostgreSQL URI as given (for libpq)
};

// "postgres://…" and "postgresql://…": PostgreSQL. "sqlite://PATH": SQLite, the path relative
// ("sqlite://data/lessonbook.db") or absolute ("sqlite:///var/lib/lessonbook/lessonbook.db").
// Anything without "://" is a SQLite file path. InvalidArgument (naming the accepted forms, never
// echoing a password) for another scheme or an empty path.
Result<StoreLocation> ParseStoreLocation(std::string_view location);

}  // namespace lessonbook
