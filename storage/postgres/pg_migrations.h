// Applying the numbered PostgreSQL migrations (storage/migrations/postgres/NNNN_name.sql,
// embedded in the binary by CMake) and reading the schema version.
//
// Each migration runs in its own transaction together with its schema_migrations row, under a
// transaction-level advisory lock: replicas that start together apply each migration once,
// the others wait and then see it applied.
// Thread-safety: one caller per connection. Errors are Status values.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "bot/status.h"
#include "storage/migration_files.h"

namespace lessonbook::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& PostgresMigrations();
}  // namespace lessonbook::embedded

namespace lessonbook::pg {

class PgConnection;

using MigrationFiles = ::lessonbook::MigrationFiles;  // storage/migration_files.h

// The advisory lock key migrations hold (pg_advisory_xact_lock): "lbmigrat" as a number.
inline constexpr long long kMigrationLockKey = 0x6c626d6967726174LL;

// Applies the files not applied yet, in number order. Internal when a file name is not
// NNNN_name.sql or two files share a number; the failing file's path in the message when its
// SQL fails (that migration is rolled back, earlier ones stay).
Status ApplyMigrations(PgConnection& conn, const MigrationFiles& files);

// The highest applied migration number (0 when none).
Result<int> AppliedSchemaVersion(PgConnection& conn);

}  // namespace lessonbook::pg
