// The numbered migration files both stores apply (storage/migrations/{sqlite,postgres}/
// NNNN_name.sql, embedded in the binary by CMake), parsed and put in order in one place, so the
// SQLite and PostgreSQL stores agree on what a valid file name is and in which order files run.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/status.h"

namespace lessonbook {

// (path relative to the source dir, file text), as lessonbook_embed generates them.
using MigrationFiles = std::vector<std::pair<std::string_view, std::string_view>>;

struct MigrationFile {
  int version = 0;        // NNNN, at least 1
  std::string name;       // what follows the first '_', without ".sql"
  std::string_view path;  // as given (views into the embedded files)
  std::string_view sql;
};

// "storage/migrations/sqlite/0001_init.sql" -> {1, "init"}. nullopt unless the file name is
// 1 to 6 digits (not all zeros), '_', a non-empty name and ".sql".
std::optional<MigrationFile> ParseMigrationFile(std::string_view path, std::string_view sql);

// Every file parsed, by ascending version. Internal, naming the file(s), when a name is not
// NNNN_name.sql or two files share a number (then nothing should run).
Result<std::vector<MigrationFile>> OrderMigrationFiles(const MigrationFiles& files);

}  // namespace lessonbook
