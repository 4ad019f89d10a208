// How both stores write a table or column name into SQL they build from their catalogs (copy,
// purge): a double-quoted identifier, inner quotes doubled — standard SQL, the same in SQLite and
// PostgreSQL — so no name can end the identifier.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace lessonbook {

inline std::string QuoteIdentifier(std::string_view identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace lessonbook
