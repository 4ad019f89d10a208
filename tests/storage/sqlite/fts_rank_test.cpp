// lb_bm25's kept token counts (storage/sqlite/fts_rank.h): scores stay FTS5's bm25 when the
// same rows are scored again, and when a lesson's text changes between two searches.
#include "storage/sqlite/fts_rank.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;

// (id, score) of the page as the store ranks it, and as FTS5's own rank does.
std::vector<std::pair<LessonId, double>> StorePage(Store& store, WorkspaceId ws,
                                                   const std::vector<std::string>& words) {
  LessonQuery q;
  q.workspace_id = ws;
  q.words = words;
  q.limit = 20;
  Result<SearchPage> page = store.SearchLessons(q);
  EXPECT_TRUE(page.ok());
  std::vector<std::pair<LessonId, double>> out;
  if (page.ok()) {
    for (const SearchHit& h : page->hits) out.emplace_back(h.lesson.id, h.score);
  }
  return out;
}

std::vector<std::pair<LessonId, double>> Fts5Page(const std::string& path,
                                                  const std::vector<std::string>& words) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::string match = "{title body tags campaign} : (";
  for (size_t i = 0; i < words.size(); ++i) match += (i ? " AND \"" : "\"") + words[i] + "\"";
  match += ")";
  SQLite::Statement s(db,
                      "SELECT rowid, rank FROM lessons_fts WHERE lessons_fts MATCH ? "
                      "ORDER BY rank, rowid LIMIT 20");
  s.bind(1, match);
  std::vector<std::pair<LessonId, double>> out;
  while (s.executeStep()) out.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getDouble());
  return out;
}

TEST_F(SqliteStoreTest, KeptTokenCountsFollowEditsSoScoresStayBm25s) {
  const WorkspaceId ws = AddWorkspace("T1");
  std::vector<Lesson> lessons;
  for (int i = 0; i < 30; ++i) {
    std::string body = "Webinar reminders";
    for (int k = 0; k < i % 6; ++k) body += " sent the day before";
    lessons.push_back(Add(
        MakeLesson(ws, "Note " + std::to_string(i), body, {"events"}, Outcome::kWorked, 1000 + i)));
  }
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{"webinar"}, {"reminders", "day"}}) {
    // The second search scores rows the first one scored: their counts come from what was kept.
    const auto store_page = StorePage(*store_, ws, words);
    const auto fts5_page = Fts5Page(DbPath(), words);
    ASSERT_EQ(store_page.size(), fts5_page.size());
    for (size_t i = 0; i < store_page.size(); ++i) {
      EXPECT_EQ(store_page[i].first, fts5_page[i].first) << words[0] << " #" << i;
      EXPECT_DOUBLE_EQ(store_page[i].second, fts5_page[i].second) << words[0] << " #" << i;
    }
  }
  // The shortest lesson (the best match) grows long: its kept count is stale and must go.
  Lesson& best = lessons[0];
  for (int k = 0; k < 40; ++k) best.body += " and a long story about it";
  ASSERT_TRUE(store_->UpdateLesson(best).ok());
  const auto store_page = StorePage(*store_, ws, {"webinar"});
  const auto fts5_page = Fts5Page(DbPath(), {"webinar"});
  ASSERT_EQ(store_page.size(), fts5_page.size());
  for (size_t i = 0; i < store_page.size(); ++i) {
    EXPECT_EQ(store_page[i].first, fts5_page[i].first) << "after the edit, #" << i;
    EXPECT_DOUBLE_EQ(store_page[i].second, fts5_page[i].second) << "after the edit, #" << i;
  }
  EXPECT_NE(store_page.front().first, best.id);  // no longer the best match
}

TEST(FtsRankState, KeepsTokenCountsForOneGenerationOnly) {
  FtsRankState state;
  int tokens = 0;
  state.Keep(5, 12);  // no generation set: nothing kept
  EXPECT_FALSE(state.TokensOf(5, &tokens));
  state.UseGeneration(3);
  state.Keep(5, 12);
  state.Keep(70000, 0);
  state.Keep(6, 70000);  // too long to keep
  ASSERT_TRUE(state.TokensOf(5, &tokens));
  EXPECT_EQ(tokens, 12);
  ASSERT_TRUE(state.TokensOf(70000, &tokens));
  EXPECT_EQ(tokens, 0);
  EXPECT_FALSE(state.TokensOf(6, &tokens));
  EXPECT_FALSE(state.TokensOf(-1, &tokens));
  state.UseGeneration(3);  // the same generation keeps them
  EXPECT_TRUE(state.TokensOf(5, &tokens));
  state.UseGeneration(4);  // a new one drops them
  EXPECT_FALSE(state.TokensOf(5, &tokens));
  EXPECT_FALSE(state.TokensOf(70000, &tokens));
}

}  // namespace
}  // namespace lessonbook::sqlite
