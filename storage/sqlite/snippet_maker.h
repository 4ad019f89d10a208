// SnippetMaker: what FTS5's snippet() answers for the title or body of a lesson a search found,
// computed from that text and the search's words alone, with lessons_fts's own tokenizer.
//
// Why: snippet() needs an FTS5 cursor on a matching row. On the shared index (`... MATCH ? AND
// rowid = ?`) that walks the words' doclists up to the row (10,000 lessons: ~0.09 ms a hit for a
// common word, ten times that at 100,000); on a one-row in-memory copy of the row (until
// 2026-12-06) each hit's seven columns were tokenized into a fresh index and the MATCH parsed
// again: 16% of a 10k search's CPU. Here the text is tokenized once and snippet()'s rules are
// applied to the words' positions (SQLite 3.40, ext/fts5/fts5_aux.c), for a column of N tokens
// and snippets of T:
// - an instance is a position where a word's tokens follow one another (several words at one
//   position: in the query's order); a word that tokenizes to nothing has none;
// - a window [s, s + T) scores 1000 for each word inside it and 1 for each repeat;
// - each instance proposes the window centred on the instances from it to the window's end
//   (kept inside the column) and, when N > T, the window from the first token of its sentence
//   (after '.' or ':' and whitespace), which scores 100 more (120 at the column's first token);
//   the first best score wins, no instance means the column's start;
// - the window is "…" (unless it starts the column), its text with each run of overlapping
//   instances marked, then "…" (or, when it reaches the column's end, the rest of the text).
// It is exact because every other phrase of a search's MATCH is column-qualified to ws, tags,
// outcome, campaign or author, so only the words have instances in title or body, and a matching
// row holds every occurrence of each word as an instance. Pinned against snippet() on the index
// itself by tests/storage/sqlite/snippet_maker_test.cpp.
//
// Thread-safety: one thread at a time (each reader Connection owns one, see connection.h).
// Errors: the constructor throws SQLite::Exception when FTS5 or its porter tokenizer is missing.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace lessonbook::sqlite {

class SnippetMaker {
 public:
  // The tokenizer of lessons_fts ('porter unicode61 remove_diacritics 2', 0001_init.sql), made
  // by db's FTS5. REQUIRES: db outlives this.
  explicit SnippetMaker(sqlite3* db);
  ~SnippetMaker();
  SnippetMaker(const SnippetMaker&) = delete;
  SnippetMaker& operator=(const SnippetMaker&) = delete;

  // snippet(lessons_fts, column, open, close, ellipsis, tokens) for a row that a search for
  // `words` (each an FTS5 string: SearchableWords) matched, where `text` is that column's text.
  // REQUIRES: tokens > 0.
  std::string Snippet(std::string_view text, const std::vector<std::string>& words,
                      std::string_view open, std::string_view close, std::string_view ellipsis,
                      int tokens);

  // The same for a page's texts at once (the words tokenized once): out[i] is texts[i]'s.
  std::vector<std::string> Snippets(const std::vector<std::string_view>& texts,
                                    const std::vector<std::string>& words, std::string_view open,
                                    std::string_view close, std::string_view ellipsis, int tokens);

 private:
  struct Tokenizer;
  std::unique_ptr<Tokenizer> tokenizer_;
};

}  // namespace lessonbook::sqlite
