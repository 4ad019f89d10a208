// The order in which a store's tables are copied (Store::ExportData / ImportData): a table after
// the tables its foreign keys reference, so a target with foreign keys accepts every row as it
// comes. Shared by both stores, which read their tables and keys from their own catalogs.
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lessonbook {

// Every table of `parents` (table -> the tables it references) after its parents; ties (and the
// tables of a reference cycle, which cannot be ordered) by name.
std::vector<std::string> ParentsFirst(const std::map<std::string, std::set<std::string>>& parents);

// The order in which a source sends its tables `own` (already parents-first) to a sink that
// asked for `wanted`: the wanted tables the source has, in the sink's order, then the source's
// other tables in its own order (the sink refuses those by name).
std::vector<std::string> SendOrder(const std::vector<std::string>& wanted,
                                   const std::vector<std::string>& own);

}  // namespace lessonbook
