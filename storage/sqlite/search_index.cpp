#include "storage/sqlite/search_index.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace lessonbook::sqlite {

std::int64_t SearchIndexSegments(SQLite::Database& db) {
  // lessons_fts_idx holds a row per leaf page of every segment, each tagged with its segment.
  SQLite::Statement q(db, "SELECT count(DISTINCT segid) FROM lessons_fts_idx");
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void MergeSearchIndex(SQLite::Database& db) {
  db.exec("INSERT INTO lessons_fts (lessons_fts) VALUES ('optimize')");
}

}  // namespace lessonbook::sqlite
