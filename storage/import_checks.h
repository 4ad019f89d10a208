// The two checks every store's ImportData makes around a copy, written once: before it, the target
// holds no rows at all; after it, each table holds exactly the rows the source announced.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/status.h"
#include "storage/store.h"

namespace lessonbook {

// The rows a table holds now, counted inside the import's transaction.
using RowCounter = std::function<std::int64_t(const std::string& table)>;

// Ok when every table is empty; else AlreadyExists naming each table that holds rows ("lessons
// (3 rows), …") and how to get an empty target (`make_empty`, e.g. "createdb NAME").
Status CheckImportTargetEmpty(const std::vector<std::string>& tables, const RowCounter& count,
                              std::string_view make_empty);

// The same for a store's map of tables (name → anything).
template <typename TableMap>
Status CheckImportTargetEmpty(const TableMap& tables, const RowCounter& count,
                              std::string_view make_empty) {
  std::vector<std::string> names;
  for (const auto& entry : tables) names.push_back(entry.first);
  return CheckImportTargetEmpty(names, count, make_empty);
}

// Rows and the last id a source announced for a table (DataSink::EndTable).
using AnnouncedRows = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

// The report of a finished copy, tables in copy order; Internal when a table holds other than
// its announced rows (the caller's transaction then rolls back).
Result<ImportedData> VerifyImportedRows(const std::vector<std::string>& order,
                                        const AnnouncedRows& announced, const RowCounter& count);

}  // namespace lessonbook
