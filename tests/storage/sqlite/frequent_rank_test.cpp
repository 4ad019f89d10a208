// RankKeptRows: a frequent-word search ranked from its words' kept rows (each row's weighted
// frequency from lb_phrase_weight, its length from lb_row_tokens) gives FTS5's own bm25 page:
// the same rows in the same order with the same scores, bit for bit, over every match or the
// newest ones only, from any offset.
#include "storage/sqlite/frequent_rank.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/fts_rank.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;

constexpr const char* kText = "{title body tags campaign} : ";

class FrequentRankTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    const WorkspaceId ws = AddWorkspace("T1");
    std::vector<Lesson> lessons;
    for (int i = 0; i < 900; ++i) {
      std::string title = "Note " + std::to_string(i) + (i % 7 == 0 ? " webinar launch" : "");
      std::string body = "Pricing pages";
      for (int k = 0; k < i % 5; ++k) body += " with a launch email";
      if (i % 3 == 0) body += " for the spring webinar.";
      for (int k = 0; k < i % 11; ++k) body += " More words to make rows of many lengths.";
      Lesson l = MakeLesson(ws, title, body, {i % 2 ? "email" : "events"});
      if (i % 4 == 0) l.campaign = "Spring launch";
      lessons.push_back(l);
    }
    ASSERT_TRUE(store_->ImportLessons(lessons).ok());
    conn_ = std::make_unique<Connection>(DbPath(), Connection::Role::kReader);
    conn_->Rank().UseGeneration(1);
  }

  // The word's kept rows, as the store reads them.
  RowBitmap WordSet(const std::string& word) {
    SQLite::Statement q(conn_->db(),
                        "SELECT lb_row_bitmap(r, w) FROM (SELECT rowid AS r, lb_phrase_weight("
                        "lessons_fts, " + std::string(kFtsRankWeights) +
                            ") AS w FROM lessons_fts WHERE lessons_fts MATCH ? LIMIT -1)");
    q.bind(1, kText + ("\"" + word + "\""));
    EXPECT_TRUE(q.executeStep());
    const SQLite::Column c = q.getColumn(0);
    std::optional<RowBitmap> set = RowBitmap::FromBlob(
        std::string_view(static_cast<const char*>(c.getBlob()), static_cast<size_t>(c.getBytes())));
    EXPECT_TRUE(set && set->has_values()) << word;
    return set.value_or(RowBitmap());
  }

  static std::string Match(const std::vector<std::string>& words) {
    std::string match = std::string(kText) + "(";
    for (size_t i = 0; i < words.size(); ++i) match += (i ? " AND \"" : "\"") + words[i] + "\"";
    return match + ")";
  }

  // The page ranked from the words' kept rows, rows from lowest up.
  std::vector<RankedRow> Kept(const std::vector<std::string>& words, std::int64_t lowest,
                              int offset, int limit) {
    std::vector<RowBitmap> sets;
    for (const std::string& w : words) sets.push_back(WordSet(w));
    KeptRanking ranking;
    for (const RowBitmap& s : sets) ranking.words.push_back(&s);
    ranking.rows = CommonRowsFrom(ranking.words, lowest);
    std::map<std::int64_t, int> tokens;
    SQLite::Statement lengths(conn_->db(),
                              "SELECT rowid, lb_row_tokens(lessons_fts) FROM lessons_fts WHERE "
                              "lessons_fts MATCH ?");
    lengths.bind(1, Match(words));
    while (lengths.executeStep()) tokens[lengths.getColumn(0).getInt64()] = lengths.getColumn(1);
    for (std::int64_t r : ranking.rows) ranking.tokens.push_back(tokens.at(r));
    const std::optional<FtsTotals> totals = conn_->Rank().Totals();
    EXPECT_TRUE(totals);
    if (!totals) return {};
    ranking.average_length = totals->AverageLength();
    for (const RowBitmap& s : sets) ranking.idf.push_back(Bm25Idf(totals->rows, s.size()));
    return RankKeptRows(ranking, offset, limit);
  }

  // FTS5's own bm25 page (the table's rank setting has the same weights).
  std::vector<RankedRow> Fts5(const std::vector<std::string>& words, std::int64_t lowest,
                              int offset, int limit) {
    SQLite::Statement q(conn_->db(),
                        "SELECT rowid, rank FROM lessons_fts WHERE lessons_fts MATCH ? AND "
                        "rowid >= ? ORDER BY rank, rowid LIMIT ? OFFSET ?");
    q.bind(1, Match(words));
    q.bind(2, lowest);
    q.bind(3, limit);
    q.bind(4, offset);
    std::vector<RankedRow> rows;
    while (q.executeStep()) rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getDouble()});
    return rows;
  }

  void ExpectSame(const std::vector<std::string>& words, std::int64_t lowest, int offset,
                  int limit) {
    const std::vector<RankedRow> kept = Kept(words, lowest, offset, limit);
    const std::vector<RankedRow> fts5 = Fts5(words, lowest, offset, limit);
    ASSERT_EQ(kept.size(), fts5.size()) << Match(words);
    ASSERT_FALSE(kept.empty()) << Match(words);
    for (size_t i = 0; i < kept.size(); ++i) {
      EXPECT_EQ(kept[i].rowid, fts5[i].rowid) << Match(words) << " #" << i;
      EXPECT_EQ(kept[i].score, fts5[i].score) << Match(words) << " #" << i;  // bit for bit
    }
  }

  std::unique_ptr<Connection> conn_;
};

TEST_F(FrequentRankTest, EveryMatchRankedFromKeptRowsIsFts5sBm25PageBitForBit) {
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {"launch"}, {"launch", "email"}, {"webinar", "launch"}, {"pricing", "spring"},
           {"note", "webinar", "spring"}, {"email", "events"}}) {
    ExpectSame(words, 0, 0, 10);
    ExpectSame(words, 0, 7, 25);
  }
}

TEST_F(FrequentRankTest, TheNewestMatchesOnlyRankedFromKeptRowsAreFts5sPageFromTheSameRow) {
  ExpectSame({"launch"}, 400, 0, 10);
  ExpectSame({"launch", "email"}, 650, 3, 5);
  ExpectSame({"pricing"}, 899, 0, 10);
}

TEST(RankKeptRowsTest, EqualScoresGoByRowidAndAPagePastTheRowsIsEmpty) {
  std::optional<RowBitmap> word = RowBitmap::WithValues({{9, 1}, {4, 1}, {7, 2}});
  ASSERT_TRUE(word);
  KeptRanking ranking;
  ranking.words = {&*word};
  ranking.idf = {1.5};
  ranking.average_length = 10;
  ranking.rows = {9, 7, 4};
  ranking.tokens = {10, 10, 10};
  const std::vector<RankedRow> page = RankKeptRows(ranking, 0, 3);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].rowid, 7);  // twice the frequency: the best (lowest) score
  EXPECT_EQ(page[1].rowid, 4);  // the tie of 4 and 9 in rowid order
  EXPECT_EQ(page[2].rowid, 9);
  EXPECT_EQ(page[1].score, page[2].score);
  EXPECT_LT(page[0].score, page[1].score);
  EXPECT_TRUE(RankKeptRows(ranking, 3, 5).empty());
  EXPECT_EQ(RankKeptRows(ranking, 1, 1).front().rowid, 4);
}

}  // namespace
}  // namespace lessonbook::sqlite
