// SnippetMaker: the snippet made from a lesson's text and the search's words is the index's own
// snippet(), byte for byte, for every kind of MATCH a search builds (scope in or out of the
// MATCH, filters, words joined by AND or OR, stems, diacritics, long bodies cut with ellipses),
// and for thousands of seeded random texts and queries against FTS5 itself.
#include "storage/sqlite/snippet_maker.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "storage/sqlite/fts_query.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;

// What the index itself answers for one lesson (the way the store asked before SnippetMaker).
std::string IndexSnippet(SQLite::Database& db, const std::string& match, LessonId id, int column,
                         int tokens) {
  SQLite::Statement s(db,
                      "SELECT snippet(lessons_fts, ?, '[', ']', '…', ?) FROM lessons_fts "
                      "WHERE lessons_fts MATCH ? AND rowid = ?");
  s.bind(1, column);
  s.bind(2, tokens);
  s.bind(3, match);
  s.bind(4, static_cast<std::int64_t>(id));
  return s.executeStep() ? s.getColumn(0).getString() : "";
}

TEST_F(SqliteStoreTest, SnippetOfTheTextAndWordsIsTheIndexSnippet) {
  const WorkspaceId ws = AddWorkspace("T1");
  const WorkspaceId other = AddWorkspace("T2");
  std::vector<Lesson> lessons;
  Lesson a = MakeLesson(ws, "Subject lines with emoji",
                        "We tested emoji in subject lines for the spring sale. Opens rose by a "
                        "tenth, but clicks fell: the emoji made the offer look cheap. Next time "
                        "test emoji only in the preheader and keep the subject plain.",
                        {"email", "subject-lines"}, Outcome::kFlopped, 1000);
  a.campaign = "Spring Sale 2026";
  a.author = "U1";
  lessons.push_back(Add(a));
  lessons.push_back(Add(
      MakeLesson(ws, "Café landing pages", "", {"seo", "landing-pages"}, Outcome::kWorked, 2000)));
  Lesson long_body = MakeLesson(ws, "Webinar follow-ups", "", {"events"}, Outcome::kInsight, 3000);
  for (int i = 0; i < 40; ++i) long_body.body += "filler words about nothing in particular ";
  long_body.body += "the follow-up email sent within an hour doubled the replies ";
  for (int i = 0; i < 40; ++i) long_body.body += "more filler after the point ";
  lessons.push_back(Add(long_body));
  Add(MakeLesson(other, "Emoji in the other workspace", "emoji emoji", {"email"}, Outcome::kWorked,
                 4000));

  struct Case {
    std::vector<std::string> words;
    std::vector<std::string> tags;
    WordJoin join;
  };
  const std::vector<Case> cases = {
      {{"emoji"}, {}, WordJoin::kAll},
      {{"emoji", "clicks"}, {}, WordJoin::kAll},
      {{"testing", "preheaders"}, {}, WordJoin::kAll},  // stems: test, preheader
      {{"emoji", "webinar"}, {}, WordJoin::kAny},
      {{"cafe"}, {}, WordJoin::kAll},             // diacritics removed
      {{"replies", "hour"}, {}, WordJoin::kAll},  // deep in a long body: ellipses
      {{"emoji"}, {"email"}, WordJoin::kAll},
      {{"spring"}, {}, WordJoin::kAll},  // the campaign column only: the start of the body
      {{"follow-up", "email"}, {}, WordJoin::kAll},  // a word of two tokens
      {{"landing-pages"}, {}, WordJoin::kAll},       // in the title and the tags
  };
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  SnippetMaker maker(db.getHandle());
  int compared = 0;
  int marked = 0;
  for (const Case& c : cases) {
    for (WorkspaceScope scope : {WorkspaceScope::kInMatch, WorkspaceScope::kOmitted}) {
      LessonQuery q;
      q.workspace_id = ws;
      q.tags = c.tags;
      const std::string match = BuildLessonMatch(q, c.words, c.join, scope).expression;
      for (const Lesson& l : lessons) {
        for (int column : {1, 2}) {
          const std::string expected = IndexSnippet(db, match, l.id, column, 8);
          if (expected.empty()) continue;  // no match, or an empty column
          const std::string text = column == 1 ? l.title : l.body;
          EXPECT_EQ(maker.Snippet(text, c.words, "[", "]", "…", 8), expected)
              << match << " on lesson " << l.title << ", column " << column;
          ++compared;
          if (expected.find('[') != std::string::npos) ++marked;
        }
      }
    }
  }
  EXPECT_GT(compared, 30);
  EXPECT_GT(marked, 15);  // the comparison is not only between unmarked starts
  // A long body is cut around the match, with an ellipsis.
  const std::string cut = maker.Snippet(lessons[2].body, {"replies"}, "[", "]", "…", 8);
  EXPECT_NE(cut.find("[replies]"), std::string::npos) << cut;
  EXPECT_EQ(cut.rfind("…", 0), 0u) << cut;
  EXPECT_EQ(maker.Snippet("", {"emoji"}, "[", "]", "…", 8), "");
}

// Seeded random texts (sentences, repeats, punctuation, hyphens, diacritics, upper case) and
// queries of one to three words, some of two tokens (and every tenth of 70 words, past the 64 a
// word mask holds), compared with snippet() of an FTS5 table shaped as lessons_fts for every row
// that matches, at three snippet lengths, all through one SnippetMaker.
TEST(SnippetMakerTest, RandomTextsAndQueriesGiveFts5sOwnSnippet) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(
      "CREATE VIRTUAL TABLE lessons_fts USING fts5 (ws, title, body, tags, campaign, outcome, "
      "author, tokenize = 'porter unicode61 remove_diacritics 2')");
  const std::vector<std::string> vocabulary = {
      "email",   "emails",    "Emailing", "subject", "lines",   "line",   "café",
      "cafe",    "offer",     "clicks",   "clicked", "opens",   "the",    "a",
      "webinar", "follow-up", "follow",   "up",      "landing", "pages",  "landing-pages",
      "Résumé",  "spring",    "sale",     "tested",  "testing", "budget", "q3",
      "2026",    "preheader", "naïve"};
  const std::vector<std::string> separators = {" ",  " ",  " ",   ", ", ". ", ": ", " - ",
                                               "  ", "\n", ".\n", "; ", " (", ") ", "! "};
  std::mt19937 rng(8);
  const auto pick = [&rng](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  };
  SQLite::Statement insert(db,
                           "INSERT INTO lessons_fts (rowid, ws, title, body, tags) "
                           "VALUES (?, 'w1', ?, ?, 'email')");
  std::vector<std::string> bodies;
  std::vector<std::string> titles;
  for (int row = 1; row <= 150; ++row) {
    const int words = std::uniform_int_distribution<int>(0, row % 5 == 0 ? 90 : 30)(rng);
    std::string body;
    for (int w = 0; w < words; ++w) body += pick(vocabulary) + pick(separators);
    std::string title = pick(vocabulary) + " " + pick(vocabulary);
    insert.reset();
    insert.bind(1, row);
    insert.bind(2, title);
    insert.bind(3, body);
    insert.exec();
    titles.push_back(title);
    bodies.push_back(body);
  }
  SnippetMaker maker(db.getHandle());
  SQLite::Statement snippet(
      db,
      "SELECT rowid, snippet(lessons_fts, ?, '<', '>', '...', ?) FROM lessons_fts "
      "WHERE lessons_fts MATCH ? ORDER BY rowid");
  int compared = 0;
  int marked = 0;
  for (int query = 0; query < 120; ++query) {
    std::vector<std::string> words;
    const int n = query % 10 == 9 ? 70 : std::uniform_int_distribution<int>(1, 3)(rng);
    for (int w = 0; w < n; ++w) words.push_back(pick(vocabulary));
    LessonQuery q;
    q.workspace_id = 1;
    const WordJoin join = query % 3 == 0 ? WordJoin::kAll : WordJoin::kAny;
    const WorkspaceScope scope =
        query % 2 == 0 ? WorkspaceScope::kInMatch : WorkspaceScope::kOmitted;
    const std::string match = BuildLessonMatch(q, SearchableWords(words), join, scope).expression;
    for (int column : {1, 2}) {
      for (int tokens : {4, 8, 16}) {
        snippet.reset();
        snippet.bind(1, column);
        snippet.bind(2, tokens);
        snippet.bind(3, match);
        while (snippet.executeStep()) {
          const auto row = static_cast<size_t>(snippet.getColumn(0).getInt64() - 1);
          const std::string expected = snippet.getColumn(1).getString();
          const std::string& text = column == 1 ? titles[row] : bodies[row];
          ASSERT_EQ(maker.Snippet(text, SearchableWords(words), "<", ">", "...", tokens), expected)
              << match << " on row " << row + 1 << ", column " << column << ", " << tokens
              << " tokens: " << text;
          ++compared;
          if (expected.find('<') != std::string::npos) ++marked;
        }
      }
    }
  }
  EXPECT_GT(compared, 5000);
  EXPECT_GT(marked, 3000);
}

// A text of more tokens than a maker keeps between pages, then short ones, then the long one
// again: each snippet is the index's own.
TEST(SnippetMakerTest, ALongTextBetweenShortOnesGivesFts5sOwnSnippets) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(
      "CREATE VIRTUAL TABLE lessons_fts USING fts5 (ws, title, body, tags, campaign, outcome, "
      "author, tokenize = 'porter unicode61 remove_diacritics 2')");
  std::string long_body;
  for (int i = 0; i < 6000; ++i) long_body += i == 4321 ? "webinar " : "filler words. ";
  const std::vector<std::string> bodies = {long_body, "a webinar for spring", "the webinar",
                                           long_body, "webinar"};
  SQLite::Statement insert(db, "INSERT INTO lessons_fts (rowid, ws, body) VALUES (?, 'w1', ?)");
  for (size_t i = 0; i < bodies.size(); ++i) {
    insert.reset();
    insert.bind(1, static_cast<int64_t>(i + 1));
    insert.bind(2, bodies[i]);
    insert.exec();
  }
  SnippetMaker maker(db.getHandle());
  SQLite::Statement snippet(db,
                            "SELECT rowid, snippet(lessons_fts, 2, '[', ']', '…', 8) FROM "
                            "lessons_fts WHERE lessons_fts MATCH 'body: webinar' ORDER BY rowid");
  int compared = 0;
  while (snippet.executeStep()) {
    const auto row = static_cast<size_t>(snippet.getColumn(0).getInt64() - 1);
    EXPECT_EQ(maker.Snippet(bodies[row], {"webinar"}, "[", "]", "…", 8),
              snippet.getColumn(1).getString())
        << "row " << row + 1;
    ++compared;
  }
  EXPECT_EQ(compared, 5);
}

}  // namespace
}  // namespace lessonbook::sqlite
