// SnippetMaker: FTS5's snippet() of lessons for one MATCH expression, computed on an in-memory
// copy of the lessons' index rows (a page's hits, one insert each) instead of on the shared index.
//
// Why: `snippet(...) ... WHERE lessons_fts MATCH ? AND rowid = ?` walks the words' doclists up
// to that rowid, so a snippet cost what a count of the word does (10,000 lessons: ~0.09 ms a hit
// for a common word; 100,000: about ten times that), five times a page. The copy holds one row:
// inserting it, matching and snippeting costs ~20 µs whatever the corpus, and snippet() reads
// nothing but the row and the query, so the answer is the index's, byte for byte (pinned by
// tests/storage/sqlite/snippet_maker_test.cpp against the index itself). A page's rows go in
// together and one query snippets them all: one transaction and one parse of the MATCH a page,
// not one a hit.
//
// Thread-safety: one thread at a time (each reader Connection owns one, see connection.h).
// Errors: throws SQLite::Exception (callers run inside Guarded()).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace lessonbook::sqlite {

// The text of a lesson's row in lessons_fts, column by column (lessons_fts_content's view).
struct FtsRow {
  std::string ws, title, body, tags, campaign, outcome, author;
};

class SnippetMaker {
 public:
  SnippetMaker();  // an in-memory database with a table shaped as lessons_fts (0001_init.sql)
  ~SnippetMaker();
  SnippetMaker(const SnippetMaker&) = delete;
  SnippetMaker& operator=(const SnippetMaker&) = delete;

  // snippet(lessons_fts, column, open, close, ellipsis, tokens) of row for match: the marked
  // text, or "" when row does not match (snippet() returns no row then).
  std::string Snippet(const FtsRow& row, const std::string& match, int column,
                      const std::string& open, const std::string& close,
                      const std::string& ellipsis, int tokens);

  // The same for several rows at once: out[i] is Snippet(rows[i], match, columns[i], ...).
  // REQUIRES: columns.size() == rows.size(), each column in [0, 7).
  std::vector<std::string> Snippets(const std::vector<FtsRow>& rows,
                                    const std::vector<int>& columns, const std::string& match,
                                    const std::string& open, const std::string& close,
                                    const std::string& ellipsis, int tokens);

 private:
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> insert_;
  std::unique_ptr<SQLite::Statement> snippet_;
  std::unique_ptr<SQLite::Statement> begin_;
  std::unique_ptr<SQLite::Statement> rollback_;
};

}  // namespace lessonbook::sqlite
