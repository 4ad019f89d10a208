// The search index's upkeep: a bulk import leaves it in one segment with the same search results,
// a small import into a big Book leaves FTS5's own segments alone, and tidying merges the many
// segments of lessons written one at a time in short steps, results unchanged.
#include "storage/sqlite/search_index.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;

class SearchIndexTest : public SqliteStoreTest {
 protected:
  std::int64_t Segments() {
    SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
    return SearchIndexSegments(db);
  }

  std::vector<Lesson> Lessons(WorkspaceId ws, int n, int from) {
    std::vector<Lesson> lessons;
    for (int i = from; i < from + n; ++i) {
      lessons.push_back(MakeLesson(ws, "Note " + std::to_string(i),
                                   "Launch email number " + std::to_string(i % 97) +
                                       (i % 5 ? " with a webinar" : " with pricing pages")));
    }
    return lessons;
  }

  // How many of the workspace's lessons a search finds.
  int Total(WorkspaceId ws, const std::vector<std::string>& words) {
    LessonQuery q;
    q.workspace_id = ws;
    q.words = words;
    Result<SearchPage> page = store_->SearchLessons(q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }
};

TEST_F(SearchIndexTest, ABulkImportLeavesOneSegmentAndEveryLessonFound) {
  const WorkspaceId ws = AddWorkspace("T1");
  // Lessons added one by one: each commit writes a segment, FTS5 merges some of them.
  for (const Lesson& l : Lessons(ws, 40, 0)) Add(l);
  EXPECT_GT(Segments(), 1);
  EXPECT_EQ(Total(ws, {"pricing"}), 8);
  ASSERT_TRUE(store_->ImportLessons(Lessons(ws, 3000, 40)).ok());
  EXPECT_EQ(Segments(), 1);
  SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
  EXPECT_NO_THROW(
      db.exec("INSERT INTO lessons_fts (lessons_fts, rank) VALUES ('integrity-check', 1)"));
  EXPECT_EQ(Total(ws, {"pricing"}), 8 + 600);
  EXPECT_EQ(Total(ws, {"webinar", "launch"}), 3040 - 608);
  Add(MakeLesson(ws, "Pricing once more"));
  EXPECT_EQ(Total(ws, {"pricing"}), 609);
}

TEST_F(SearchIndexTest, ASmallImportIntoABigBookLeavesTheSegmentsToFts5) {
  const WorkspaceId ws = AddWorkspace("T1");
  ASSERT_TRUE(store_->ImportLessons(Lessons(ws, 12000, 0)).ok());
  ASSERT_EQ(Segments(), 1);
  for (const Lesson& l : Lessons(ws, 3, 12000)) Add(l);
  const std::int64_t segments = Segments();
  EXPECT_GT(segments, 1);
  // 1,000 lessons are under 1 in 10 of the 13,003: not merged.
  ASSERT_TRUE(store_->ImportLessons(Lessons(ws, 1000, 12003)).ok());
  EXPECT_GT(Segments(), 1);
  EXPECT_EQ(Total(ws, {"pricing"}), 13003 / 5 + 1);
}

TEST_F(SearchIndexTest, TidyingMergesWhatLessonsWrittenOneAtATimeLeftInShortSteps) {
  const WorkspaceId ws = AddWorkspace("T1");
  for (const Lesson& l : Lessons(ws, 300, 0)) Add(l);
  ASSERT_GE(Segments(), 8);
  const int pricing = Total(ws, {"pricing"});
  const int both = Total(ws, {"webinar", "launch"});
  int steps = 0;
  while (true) {
    Result<bool> more = store_->TidySearchIndex(2);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ASSERT_LT(++steps, 10000);
  }
  EXPECT_GT(steps, 1);  // two pages at a time: several short transactions
  EXPECT_EQ(Segments(), 1);
  SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
  EXPECT_NO_THROW(
      db.exec("INSERT INTO lessons_fts (lessons_fts, rank) VALUES ('integrity-check', 1)"));
  EXPECT_EQ(Total(ws, {"pricing"}), pricing);
  EXPECT_EQ(Total(ws, {"webinar", "launch"}), both);

  // A few new segments are left to FTS5 until there are many again.
  for (const Lesson& l : Lessons(ws, 3, 300)) Add(l);
  const std::int64_t few = Segments();
  EXPECT_GT(few, 1);
  EXPECT_LT(few, 8);
  Result<bool> more = store_->TidySearchIndex(100);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
  EXPECT_EQ(Segments(), few);
}

TEST_F(SearchIndexTest, AnEmptyIndexHasNoSegmentsAndNothingToTidy) {
  AddWorkspace("T1");
  EXPECT_EQ(Segments(), 0);
  Result<bool> more = store_->TidySearchIndex(100);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

}  // namespace
}  // namespace lessonbook::sqlite
