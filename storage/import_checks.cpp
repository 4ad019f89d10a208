#include "storage/import_checks.h"

namespace lessonbook {

Status CheckImportTargetEmpty(const std::vector<std::string>& tables, const RowCounter& count,
                              std::string_view make_empty) {
  std::string filled;
  for (const std::string& name : tables) {
    if (std::int64_t n = count(name); n > 0) {
      filled += (filled.empty() ? "" : ", ") + name + " (" + std::to_string(n) +
                (n == 1 ? " row)" : " rows)");
    }
  }
  if (filled.empty()) return Status::Ok();
  return Status::AlreadyExists("the target database is not empty: " + filled +
                               "; copy into a new, empty database (" + std::string(make_empty) +
                               "); nothing was written");
}

Result<ImportedData> VerifyImportedRows(const std::vector<std::string>& order,
                                        const AnnouncedRows& announced, const RowCounter& count) {
  ImportedData report;
  for (const std::string& name : order) {
    const std::int64_t rows = announced.at(name).first;
    if (std::int64_t n = count(name); n != rows) {
      return Status::Internal("table " + name + " holds " + std::to_string(n) +
                              " rows after the copy instead of " + std::to_string(rows));
    }
    report.rows_by_table.emplace_back(name, rows);
  }
  return report;
}

}  // namespace lessonbook
