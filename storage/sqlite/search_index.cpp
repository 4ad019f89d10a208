#include "storage/sqlite/search_index.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>

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

bool MergeSomeOfSearchIndex(SQLite::Database& db, int pages) {
  // FTS5: a change count that grows by 2 or more means the merge did some work.
  const int before = sqlite3_total_changes(db.getHandle());
  SQLite::Statement merge(db, "INSERT INTO lessons_fts (lessons_fts, rank) VALUES ('merge', ?)");
  merge.bind(1, -std::max(pages, 1));
  merge.exec();
  return sqlite3_total_changes(db.getHandle()) - before >= 2;
}

}  // namespace lessonbook::sqlite
