// SnippetMaker: the snippet of a one-row copy is the shared index's snippet, byte for byte, for
// every kind of MATCH a search builds (scope in or out of the MATCH, filters, words joined by
// AND or OR, stems, diacritics, long bodies cut with ellipses).
#include "storage/sqlite/snippet_maker.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/sqlite/fts_query.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;

FtsRow RowOf(SQLite::Database& db, LessonId id) {
  SQLite::Statement s(db,
                      "SELECT ws, title, body, tags, campaign, outcome, author "
                      "FROM lessons_fts_content WHERE id = ?");
  s.bind(1, static_cast<std::int64_t>(id));
  EXPECT_TRUE(s.executeStep());
  FtsRow r;
  int i = 0;
  for (std::string* v : {&r.ws, &r.title, &r.body, &r.tags, &r.campaign, &r.outcome, &r.author}) {
    *v = s.getColumn(i++).getString();
  }
  return r;
}

// What the index itself answers (the way the store asked before SnippetMaker).
std::string IndexSnippet(SQLite::Database& db, const std::string& match, LessonId id, int column) {
  SQLite::Statement s(db,
                      "SELECT snippet(lessons_fts, ?, '[', ']', '…', 8) FROM lessons_fts "
                      "WHERE lessons_fts MATCH ? AND rowid = ?");
  s.bind(1, column);
  s.bind(2, match);
  s.bind(3, static_cast<std::int64_t>(id));
  return s.executeStep() ? s.getColumn(0).getString() : "";
}

TEST_F(SqliteStoreTest, SnippetOfTheOneRowCopyIsTheIndexSnippet) {
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
  const Lesson foreign = Add(MakeLesson(other, "Emoji in the other workspace", "emoji emoji",
                                        {"email"}, Outcome::kWorked, 4000));

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
      {{"spring"}, {}, WordJoin::kAll},   // the campaign column only
      {{"nowhere"}, {}, WordJoin::kAll},  // no match: no snippet
  };
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  SnippetMaker maker;
  int compared = 0;
  int non_empty = 0;
  for (const Case& c : cases) {
    for (WorkspaceScope scope : {WorkspaceScope::kInMatch, WorkspaceScope::kOmitted}) {
      LessonQuery q;
      q.workspace_id = ws;
      q.tags = c.tags;
      const std::string match = BuildLessonMatch(q, c.words, c.join, scope).expression;
      for (const Lesson& l : lessons) {
        for (int column : {1, 2}) {
          const std::string expected = IndexSnippet(db, match, l.id, column);
          EXPECT_EQ(maker.Snippet(RowOf(db, l.id), match, column, "[", "]", "…", 8), expected)
              << match << " on lesson " << l.title << ", column " << column;
          ++compared;
          if (!expected.empty()) ++non_empty;
        }
      }
    }
  }
  EXPECT_EQ(compared, 9 * 2 * 3 * 2);
  EXPECT_GT(non_empty, 20);  // the comparison is not between empty answers
  // A page's rows snippeted together: each its own row's snippet, in its own column, in the
  // order given, a row that does not match (the other workspace's, with the scope) left empty.
  for (const Case& c : cases) {
    LessonQuery page_query;
    page_query.workspace_id = ws;
    page_query.tags = c.tags;
    const std::string match =
        BuildLessonMatch(page_query, c.words, c.join, WorkspaceScope::kInMatch).expression;
    std::vector<FtsRow> rows;
    std::vector<int> columns;
    std::vector<std::string> expected;
    for (LessonId id : {lessons[2].id, lessons[0].id, lessons[1].id, foreign.id}) {
      for (int column : {2, 1}) {
        rows.push_back(RowOf(db, id));
        columns.push_back(column);
        expected.push_back(IndexSnippet(db, match, id, column));
      }
    }
    EXPECT_EQ(maker.Snippets(rows, columns, match, "[", "]", "…", 8), expected) << match;
  }
  EXPECT_TRUE(maker.Snippets({}, {}, "emoji", "[", "]", "…", 8).empty());
  // A long body is cut around the match, with an ellipsis.
  LessonQuery q;
  q.workspace_id = ws;
  const std::string deep = BuildLessonMatch(q, {"replies"}, WordJoin::kAll).expression;
  const std::string cut = maker.Snippet(RowOf(db, lessons[2].id), deep, 2, "[", "]", "…", 8);
  EXPECT_NE(cut.find("[replies]"), std::string::npos) << cut;
  EXPECT_EQ(cut.rfind("…", 0), 0u) << cut;
}

TEST_F(SqliteStoreTest, SnippetMakerReportsAMalformedMatchAndStaysUsable) {
  const WorkspaceId ws = AddWorkspace("T1");
  const Lesson l = Add(MakeLesson(ws, "Emoji subject lines", "Emoji cut clicks.", {"email"},
                                  Outcome::kFlopped, 1000));
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  SnippetMaker maker;
  EXPECT_THROW(maker.Snippet(RowOf(db, l.id), "title : (", 2, "[", "]", "…", 8), SQLite::Exception);
  // The failed call left no row behind: one copy matches, and it is this lesson's.
  EXPECT_EQ(maker.Snippet(RowOf(db, l.id), "clicks", 2, "[", "]", "…", 8), "Emoji cut [clicks].");
  FtsRow other = RowOf(db, l.id);
  other.body = "Nothing relevant.";
  EXPECT_EQ(maker.Snippet(other, "clicks", 2, "[", "]", "…", 8), "");
}

}  // namespace
}  // namespace lessonbook::sqlite
