// lesson_tags (migration 0011): the rows the SQLite store derives from lessons.tags for listings
// by tag stay exactly in step with the lessons through every write.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;
using Row =
    std::tuple<LessonId, std::string, std::string, std::string>;  // id, tag, outcome, author

// What lesson_tags holds, and what it should hold as derived from lessons.tags.
std::pair<std::set<Row>, std::set<Row>> HeldAndExpected(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::set<Row> held, expected;
  SQLite::Statement t(db, "SELECT lesson_id, tag, outcome, author FROM lesson_tags");
  while (t.executeStep()) {
    held.emplace(t.getColumn(0).getInt64(), t.getColumn(1).getString(), t.getColumn(2).getString(),
                 t.getColumn(3).getString());
  }
  SQLite::Statement l(db, "SELECT id, tags, outcome, author FROM lessons");
  while (l.executeStep()) {
    std::string tags = l.getColumn(1).getString();
    size_t at = 0;
    while (at <= tags.size()) {
      size_t end = tags.find(' ', at);
      if (end == std::string::npos) end = tags.size();
      if (end > at) {
        expected.emplace(l.getColumn(0).getInt64(), tags.substr(at, end - at),
                         l.getColumn(2).getString(), l.getColumn(3).getString());
      }
      at = end + 1;
    }
  }
  return {held, expected};
}

TEST_F(SqliteStoreTest, LessonTagsFollowEveryInsertUpdateAndDelete) {
  WorkspaceId ws = AddWorkspace("T1");
  Lesson a = MakeLesson(ws, "A", "", {"email", "paid-social"}, Outcome::kWorked, 1000);
  a.author = "U1";
  a = Add(a);
  // Quotes, backslashes and letters of other scripts in tags, and a tag given twice.
  Lesson b = Add(MakeLesson(ws, "B", "", {"say-\"hi\"", "back\\slash", "été", "email", "email"},
                            Outcome::kFlopped, 2000));
  Add(MakeLesson(ws, "C", "", {}, Outcome::kInsight, 3000));
  auto [held, expected] = HeldAndExpected(DbPath());
  EXPECT_EQ(held, expected);
  EXPECT_EQ(held.size(), 6u);  // email twice on B is one row

  a.tags = {"seo"};
  a.outcome = Outcome::kFlopped;
  ASSERT_TRUE(store_->UpdateLesson(a).ok());
  ASSERT_TRUE(store_->DeleteLesson(ws, b.id).ok());
  {
    // The store never changes an author or a date; a plain SQL write still keeps the rows right.
    SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
    SQLite::Statement u(db, "UPDATE lessons SET author = 'U2', created_at = 1500 WHERE id = ?");
    u.bind(1, static_cast<std::int64_t>(a.id));
    ASSERT_EQ(u.exec(), 1);
  }
  std::tie(held, expected) = HeldAndExpected(DbPath());
  EXPECT_EQ(held, expected);
  EXPECT_EQ(held, (std::set<Row>{{a.id, "seo", "flopped", "U2"}}));
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT created_at FROM lesson_tags").getInt64(), 1500);
}

// A database from before migration 0011 gets the rows of the lessons it already has.
TEST_F(SqliteStoreTest, LessonTagsAreFilledForTheLessonsOfAnOlderDatabase) {
  WorkspaceId ws = AddWorkspace("T1");
  for (int i = 0; i < 30; ++i) {
    Add(MakeLesson(ws, "L" + std::to_string(i), "", {"t" + std::to_string(i % 4), "all"},
                   Outcome::kWorked, 1000 + i));
  }
  {
    SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
    db.exec(
        "DROP TRIGGER lesson_tags_after_insert; DROP TRIGGER lesson_tags_after_delete; "
        "DROP TRIGGER lesson_tags_after_update; DROP TABLE lesson_tags; "
        "DELETE FROM schema_migrations WHERE version = 11");
  }
  store_ = Reopen();
  auto [held, expected] = HeldAndExpected(DbPath());
  EXPECT_EQ(held.size(), 60u);
  EXPECT_EQ(held, expected);
}

}  // namespace
}  // namespace lessonbook::sqlite
