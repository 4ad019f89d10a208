#include "storage/sqlite/snippet_maker.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace lessonbook::sqlite {
namespace {

// lessons_fts's columns and tokenizer (0001_init.sql), without its external content: the row
// inserted here is the content.
constexpr const char* kCopyTable =
    "CREATE VIRTUAL TABLE lesson_copy USING fts5 (ws, title, body, tags, campaign, outcome, "
    "author, tokenize = 'porter unicode61 remove_diacritics 2')";

}  // namespace

SnippetMaker::SnippetMaker()
    : db_(std::make_unique<SQLite::Database>(
          ":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)) {
  db_->exec(kCopyTable);
  insert_ = std::make_unique<SQLite::Statement>(
      *db_,
      "INSERT INTO lesson_copy (rowid, ws, title, body, tags, campaign, outcome, author) "
      "VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
  snippet_ = std::make_unique<SQLite::Statement>(
      *db_,
      "SELECT snippet(lesson_copy, ?, ?, ?, ?, ?) FROM lesson_copy WHERE lesson_copy MATCH ?");
  begin_ = std::make_unique<SQLite::Statement>(*db_, "BEGIN");
  rollback_ = std::make_unique<SQLite::Statement>(*db_, "ROLLBACK");
}

SnippetMaker::~SnippetMaker() {
  // Statements are finalized before their database closes.
  insert_.reset();
  snippet_.reset();
  begin_.reset();
  rollback_.reset();
}

std::string SnippetMaker::Snippet(const FtsRow& row, const std::string& match, int column,
                                  const std::string& open, const std::string& close,
                                  const std::string& ellipsis, int tokens) {
  // The row lives for one transaction, rolled back after use (cheaper than deleting it, which
  // tokenizes it again), also when the MATCH is malformed.
  begin_->reset();
  begin_->exec();
  std::string out;
  try {
    insert_->reset();
    int i = 1;
    for (const std::string* v :
         {&row.ws, &row.title, &row.body, &row.tags, &row.campaign, &row.outcome, &row.author}) {
      insert_->bind(i++, *v);
    }
    insert_->exec();
    snippet_->reset();
    snippet_->bind(1, column);
    snippet_->bind(2, open);
    snippet_->bind(3, close);
    snippet_->bind(4, ellipsis);
    snippet_->bind(5, tokens);
    snippet_->bind(6, match);
    if (snippet_->executeStep()) out = snippet_->getColumn(0).getString();
    snippet_->reset();
  } catch (...) {
    snippet_->tryReset();
    rollback_->reset();
    rollback_->exec();
    throw;
  }
  rollback_->reset();
  rollback_->exec();
  return out;
}

}  // namespace lessonbook::sqlite
