#include "storage/sqlite/snippet_maker.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>

namespace lessonbook::sqlite {
namespace {

// lessons_fts's columns and tokenizer (0001_init.sql), without its external content: the row
// inserted here is the content.
constexpr const char* kCopyTable =
    "CREATE VIRTUAL TABLE lesson_copy USING fts5 (ws, title, body, tags, campaign, outcome, "
    "author, tokenize = 'porter unicode61 remove_diacritics 2')";

// Row i of a batch is stored as rowid (i + 1) * kColumnSpan + its snippet's column, so the one
// query of a batch finds each row's place and column in its rowid.
constexpr int kColumnSpan = 8;  // more than lessons_fts's 7 columns

}  // namespace

SnippetMaker::SnippetMaker()
    : db_(std::make_unique<SQLite::Database>(
          ":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)) {
  db_->exec(kCopyTable);
  insert_ = std::make_unique<SQLite::Statement>(
      *db_,
      "INSERT INTO lesson_copy (rowid, ws, title, body, tags, campaign, outcome, author) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  snippet_ = std::make_unique<SQLite::Statement>(
      *db_, "SELECT rowid, snippet(lesson_copy, rowid % " + std::to_string(kColumnSpan) +
                ", ?, ?, ?, ?) FROM lesson_copy WHERE lesson_copy MATCH ?");
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
  return Snippets({row}, {column}, match, open, close, ellipsis, tokens).front();
}

std::vector<std::string> SnippetMaker::Snippets(const std::vector<FtsRow>& rows,
                                                const std::vector<int>& columns,
                                                const std::string& match, const std::string& open,
                                                const std::string& close,
                                                const std::string& ellipsis, int tokens) {
  std::vector<std::string> out(rows.size());
  if (rows.empty()) return out;
  // The rows live for one transaction, rolled back after use (cheaper than deleting them, which
  // tokenizes them again), also when the MATCH is malformed.
  begin_->reset();
  begin_->exec();
  try {
    for (size_t r = 0; r < rows.size(); ++r) {
      const FtsRow& row = rows[r];
      insert_->reset();
      insert_->bind(1, static_cast<std::int64_t>(r + 1) * kColumnSpan + columns[r]);
      int i = 2;
      for (const std::string* v :
           {&row.ws, &row.title, &row.body, &row.tags, &row.campaign, &row.outcome, &row.author}) {
        insert_->bind(i++, *v);
      }
      insert_->exec();
    }
    snippet_->reset();
    snippet_->bind(1, open);
    snippet_->bind(2, close);
    snippet_->bind(3, ellipsis);
    snippet_->bind(4, tokens);
    snippet_->bind(5, match);
    while (snippet_->executeStep()) {
      const std::int64_t place = snippet_->getColumn(0).getInt64() / kColumnSpan - 1;
      out[static_cast<size_t>(place)] = snippet_->getColumn(1).getString();
    }
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
