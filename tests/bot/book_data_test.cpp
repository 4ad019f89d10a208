// The Book's data for frequent words (bot/domain.h, kFrequentRankedAmong): the Book page ranks and
// pages the newest matches only and says so; an export still lists every match.
#include "bot/book_data.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

class BookDataFrequentWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(OpenStore(dir_.File("book.db")).value());
    Workspace w;
    w.platform = Platform::kSlack;
    w.external_id = "T1";
    ws_ = store_->EnsureWorkspace(w).value();
    std::vector<Lesson> lessons;
    for (int i = 0; i < 700; ++i) {  // "launch" is in every lesson: a frequent word
      Lesson l;
      l.workspace_id = ws_.id;
      l.title = "Launch note " + std::to_string(i);
      l.body = "The launch went out on a Tuesday.";
      l.outcome = Outcome::kInsight;
      l.author = "U1";
      l.created_at = FromUnix(2000 + i);
      l.updated_at = l.created_at;
      lessons.push_back(l);
    }
    ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  Workspace ws_;
};

TEST_F(BookDataFrequentWordsTest, BookPageRanksOnlyTheNewestMatchesAndKeepsTheExactCount) {
  BookFilter filter;
  filter.text = "launch";
  Result<BookView> first = LoadBookView(*store_, ws_, filter, 0);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->total, 700);
  EXPECT_EQ(first->ranked_among, kFrequentRankedAmong);
  EXPECT_EQ(first->hits.size(), 100u);
  Result<BookView> past = LoadBookView(*store_, ws_, filter, 500);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->hits.empty());
}

TEST_F(BookDataFrequentWordsTest, ExportOfAFrequentWordListsEveryMatchNewestFirst) {
  LessonQuery q;
  q.workspace_id = ws_.id;
  q.words = {"launch"};
  Result<std::vector<Lesson>> lessons = LessonsToExport(*store_, ws_, &q);
  ASSERT_TRUE(lessons.ok()) << lessons.status().ToString();
  ASSERT_EQ(lessons->size(), 700u);
  std::set<LessonId> ids;
  for (const Lesson& l : *lessons) ids.insert(l.id);
  EXPECT_EQ(ids.size(), 700u);
  EXPECT_EQ(lessons->front().title, "Launch note 699");
}

}  // namespace
}  // namespace lessonbook
