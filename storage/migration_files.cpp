// ParseMigrationFile and OrderMigrationFiles: migration file names and their order.
#include "storage/migration_files.h"

#include <algorithm>

namespace lessonbook {

std::optional<MigrationFile> ParseMigrationFile(std::string_view path, std::string_view sql) {
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
  MigrationFile m;
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

Result<std::vector<MigrationFile>> OrderMigrationFiles(const MigrationFiles& files) {
  std::vector<MigrationFile> migrations;
  for (const auto& [path, sql] : files) {
    std::optional<MigrationFile> m = ParseMigrationFile(path, sql);
    if (!m) {
      return Status::Internal("migration file name " + std::string(path) + " is not NNNN_name.sql");
    }
    migrations.push_back(std::move(*m));
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return Status::Internal("migrations " + std::string(migrations[i - 1].path) + " and " +
                              std::string(migrations[i].path) + " have the same number");
    }
  }
  return migrations;
}

}  // namespace lessonbook
