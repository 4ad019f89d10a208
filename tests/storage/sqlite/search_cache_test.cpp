// The search result cache never serves a stale page: every lesson write (add, edit, delete,
// import, another store or a plain SQL write on the same file) changes the generation the page
// was cached at. Also the cache itself (generations, LRU) and the single-workspace query shape.
#include "storage/sqlite/search_cache.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

SearchPage PageWithTotal(int total) {
  SearchPage p;
  p.total = total;
  return p;
}

TEST(SearchCacheTest, ServesAPageOnlyAtTheGenerationItWasStoredAt) {
  SearchCache cache;
  cache.Put("k", 7, PageWithTotal(3));
  ASSERT_TRUE(cache.Get("k", 7).has_value());
  EXPECT_EQ(cache.Get("k", 7)->total, 3);
  EXPECT_FALSE(cache.Get("k", 8).has_value());
  EXPECT_FALSE(cache.Get("k", 6).has_value());
  EXPECT_FALSE(cache.Get("other", 7).has_value());
}

TEST(SearchCacheTest, AnOlderPageNeverReplacesANewerOne) {
  SearchCache cache;
  cache.Put("k", 8, PageWithTotal(2));
  cache.Put("k", 7, PageWithTotal(1));  // a slow search that started before the write
  EXPECT_FALSE(cache.Get("k", 7).has_value());
  ASSERT_TRUE(cache.Get("k", 8).has_value());
  EXPECT_EQ(cache.Get("k", 8)->total, 2);
}

TEST(SearchCacheTest, DropsTheLeastRecentlyUsedBeyondCapacity) {
  SearchCache cache(2);
  cache.Put("a", 1, PageWithTotal(1));
  cache.Put("b", 1, PageWithTotal(2));
  ASSERT_TRUE(cache.Get("a", 1).has_value());  // a is now the most recent
  cache.Put("c", 1, PageWithTotal(3));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Get("a", 1).has_value());
  EXPECT_FALSE(cache.Get("b", 1).has_value());
  EXPECT_TRUE(cache.Get("c", 1).has_value());
}

TEST(SearchCacheTest, CapacityZeroStoresNothing) {
  SearchCache cache(0);
  cache.Put("k", 1, PageWithTotal(1));
  EXPECT_FALSE(cache.Get("k", 1).has_value());
}

class SqliteSearchCacheTest : public testing::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    ws_ = AddWorkspace("T1");
  }

  LessonQuery Query(std::vector<std::string> words, WorkspaceId ws = 0) const {
    LessonQuery q;
    q.workspace_id = ws == 0 ? ws_ : ws;
    q.words = std::move(words);
    q.limit = 5;
    return q;
  }

  std::vector<std::string> Titles(Store& store, const LessonQuery& q) {
    Result<SearchPage> page = store.SearchLessons(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> titles;
    if (page.ok()) {
      for (const SearchHit& h : page->hits) titles.push_back(h.lesson.title);
    }
    return titles;
  }
  std::vector<std::string> Titles(const LessonQuery& q) { return Titles(*store_, q); }

  // Searches twice, so that the second answer may come from the cache.
  std::vector<std::string> TitlesTwice(const LessonQuery& q) {
    std::vector<std::string> first = Titles(q);
    EXPECT_EQ(Titles(q), first);
    return first;
  }

  WorkspaceId ws_ = 0;
};

using Titles_t = std::vector<std::string>;

TEST_F(SqliteSearchCacheTest, AnAddedLessonIsFoundAfterACachedSearch) {
  Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  Add(MakeLesson(ws_, "Webinar partner", "A co-host doubled the sign-ups."));
  EXPECT_EQ(Titles(Query({"webinar"})).size(), 2u);
}

TEST_F(SqliteSearchCacheTest, AnEditedLessonShowsItsNewTextAfterACachedSearch) {
  Lesson l = Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  l.title = "Webinar day of the week";
  ASSERT_TRUE(store_->UpdateLesson(l).ok());
  EXPECT_EQ(Titles(Query({"webinar"})), (Titles_t{"Webinar day of the week"}));
  EXPECT_TRUE(Titles(Query({"timing"})).empty());
}

TEST_F(SqliteSearchCacheTest, ADeletedLessonIsGoneAfterACachedSearch) {
  Lesson l = Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  ASSERT_TRUE(store_->DeleteLesson(ws_, l.id).ok());
  EXPECT_TRUE(Titles(Query({"webinar"})).empty());
}

TEST_F(SqliteSearchCacheTest, ImportedLessonsAreFoundAfterACachedSearch) {
  Lesson l = Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  Lesson updated = l;
  updated.title = "Webinar weekday";
  Lesson added = MakeLesson(ws_, "Webinar recordings", "Half watched the recording.");
  ASSERT_TRUE(store_->ImportLessons({updated, added}).ok());
  Titles_t titles = Titles(Query({"webinar"}));
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(titles, (Titles_t{"Webinar recordings", "Webinar weekday"}));
}

TEST_F(SqliteSearchCacheTest, AWriteByAnotherStoreOnTheSameFileIsSeen) {
  // Another replica (or `lessonbook import`) on the same database: its own process, its own
  // cache; the generation in the file is what tells this store its page is old.
  Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  std::unique_ptr<Store> replica = Reopen();
  ASSERT_NE(replica, nullptr);
  ASSERT_TRUE(replica->AddLesson(MakeLesson(ws_, "Webinar replica", "")).ok());
  EXPECT_EQ(Titles(Query({"webinar"})).size(), 2u);
}

TEST_F(SqliteSearchCacheTest, APlainSqlWriteOnTheFileIsSeen) {
  // Triggers bump the generation, so even a write that bypasses the store (a later migration,
  // an evidence trigger, an operator's UPDATE) invalidates cached pages.
  Lesson l = Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  {
    SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE lessons SET title = 'Webinar by hand' WHERE id = " + std::to_string(l.id));
  }
  EXPECT_EQ(Titles(Query({"webinar"})), (Titles_t{"Webinar by hand"}));
}

TEST_F(SqliteSearchCacheTest, AnotherWorkspacesFirstLessonNeverShowsUpHere) {
  // With one workspace the scope is left out of the MATCH; the moment a second workspace gets a
  // lesson it must be back, cached pages or not.
  Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  WorkspaceId other = AddWorkspace("T2");
  Add(MakeLesson(other, "Webinar elsewhere", "Another team's lesson."));
  EXPECT_EQ(TitlesTwice(Query({"webinar"})), (Titles_t{"Webinar timing"}));
  EXPECT_EQ(TitlesTwice(Query({"webinar"}, other)), (Titles_t{"Webinar elsewhere"}));
}

TEST_F(SqliteSearchCacheTest, AWorkspaceWithoutLessonsFindsNothingNextToOneWithLessons) {
  Add(MakeLesson(ws_, "Webinar timing", "Tuesday webinars drew more people."));
  WorkspaceId empty = AddWorkspace("T2");
  EXPECT_TRUE(TitlesTwice(Query({"webinar"}, empty)).empty());
  LessonQuery filters_only;
  filters_only.workspace_id = empty;
  filters_only.outcome = Outcome::kInsight;
  filters_only.limit = 5;
  EXPECT_TRUE(Titles(filters_only).empty());
}

TEST_F(SqliteSearchCacheTest, PagesAndFiltersAreCachedApart) {
  for (int i = 0; i < 7; ++i) {
    Add(MakeLesson(ws_, "Webinar lesson " + std::to_string(i), "", {i % 2 ? "events" : "email"}));
  }
  LessonQuery first = Query({"webinar"});
  LessonQuery second = first;
  second.offset = 5;
  LessonQuery tagged = first;
  tagged.tags = {"events"};
  EXPECT_EQ(TitlesTwice(first).size(), 5u);
  EXPECT_EQ(TitlesTwice(second).size(), 2u);
  EXPECT_EQ(TitlesTwice(tagged).size(), 3u);
}

}  // namespace
}  // namespace lessonbook::sqlite
