// Upkeep of the FTS5 search index (lessons_fts): how many b-trees (segments) it is made of, and
// merging them into one. Each segment costs every search a lookup per word: at 100,000 imported
// lessons the index was 10 segments, and merged into one a rare word's search took 33 µs
// instead of 64 and a middle one 146 instead of 184 (bench/README.md). A bulk import merges it
// (SqliteStore::ImportLessons, ImportData), as a purge does; lessons written one at a time
// add segments that FTS5 merges only in part (16 after 5,000 single writes, a rare word's search
// 33 -> 71 µs), so the scheduler tidies the index a little at a time
// (SqliteStore::TidySearchIndex).
// Thread-safety: call on the writer connection, inside the caller's transaction.
#pragma once

#include <cstdint>

namespace SQLite {
class Database;
}  // namespace SQLite

namespace lessonbook::sqlite {

// The number of segments of the index (0 when it is empty).
std::int64_t SearchIndexSegments(SQLite::Database& db);

// Merges every segment into one (FTS5's 'optimize'): work and WAL growth in proportion to the
// whole index (~0.3 s at 100,000 lessons).
void MergeSearchIndex(SQLite::Database& db);

// Merges about `pages` pages' worth of segments towards one (FTS5's 'merge' with -pages: every
// segment is taken, not only those FTS5's own automerge would). Returns whether it did any work;
// a merge goes on where the last call stopped.
bool MergeSomeOfSearchIndex(SQLite::Database& db, int pages);

}  // namespace lessonbook::sqlite
