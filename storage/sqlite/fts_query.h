// Building FTS5 MATCH expressions for lesson search: pure functions, no SQLite.
//
// User words are plain words, never FTS syntax: each becomes an FTS5 string ("word", internal
// double quotes doubled), so `"`, `*`, `:`, `(`, `^`, `-`, NEAR, AND, OR, NOT typed by a user can
// neither break nor change the query. The workspace scope, tag, outcome, campaign and author
// filters are column-qualified strings inside the same expression, so another workspace's rows
// are never even scored:
//   ws:"w12" AND tags:"email" AND outcome:"worked" AND {title body tags campaign} : ("subject" AND
//   "lines")
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"
#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {

// s as an FTS5 string: "s" with each '"' doubled. REQUIRES: s is CleanText'ed.
std::string QuoteFtsString(std::string_view s);

// The words worth searching for: cleaned, the ones without letters or digits dropped.
std::vector<std::string> SearchableWords(const std::vector<std::string>& words);

// A tag as stored: '#' prefix dropped, ASCII lower case, whitespace and control characters as '-'.
std::string NormalizeTag(std::string_view tag);

enum class WordJoin { kAll, kAny };

// Where the workspace scope goes. kOmitted is only right when no other workspace has lessons
// (the store checks that in the same read transaction): the scope phrase then matches every
// row, and leaving it out spares FTS5 a walk of the workspace's whole doclist (bm25 counts the
// rows of every phrase) without changing any score (its column weighs 0).
enum class WorkspaceScope { kInMatch, kOmitted };

// Where the words may match. kText: title, body, tags and campaign only, the column filter
// `{title body tags campaign} : (...)`. kAnyColumn: no column filter, only right when no word
// occurs in ws, outcome or author in any lesson (the store checks that per lesson generation):
// the rows, their instances in the weighted columns and so bm25's scores are then the same, and
// FTS5 no longer decodes the position list of every row of every word to check its columns
// (about half of a middle-word search's ranking at 100,000 lessons).
enum class WordColumns { kText, kAnyColumn };

// "{ws outcome author} : "word"": the lessons holding word outside the text columns.
std::string OutsideTextMatch(std::string_view word);

struct LessonMatch {
  std::string expression;   // the MATCH operand
  bool scope_only = false;  // true when it only restricts the workspace (no words, no filters);
                            // the expression is then empty with WorkspaceScope::kOmitted
};

// The MATCH expression for query's workspace (unless scope is kOmitted) and filters plus `words`
// (from SearchableWords) joined with AND or OR. Tags and author without letters or digits are left
// out of the expression (the store checks tags and author exactly in SQL anyway); query.campaign
// must have a searchable character when not empty (the caller answers "no match" otherwise).
LessonMatch BuildLessonMatch(const LessonQuery& query, const std::vector<std::string>& words,
                             WordJoin join, WorkspaceScope scope = WorkspaceScope::kInMatch,
                             WordColumns columns = WordColumns::kText);

}  // namespace lessonbook::sqlite
