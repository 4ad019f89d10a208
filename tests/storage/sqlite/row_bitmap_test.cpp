// RowBitmap and lb_row_bitmap: a set of rowids made in SQL, kept as bits, and the count and k-th
// largest of the rowids several sets share, exactly as a plain set intersection gives them.
#include "storage/sqlite/row_bitmap.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace lessonbook::sqlite {
namespace {

// The count and k-th largest of the values in every set, by std::set.
CommonRows Expected(const std::vector<std::set<std::int64_t>>& sets, std::int64_t k) {
  std::vector<std::int64_t> common(sets.front().begin(), sets.front().end());
  for (const auto& s : sets) {
    std::erase_if(common, [&](std::int64_t x) { return s.count(x) == 0; });
  }
  CommonRows r;
  r.count = static_cast<std::int64_t>(common.size());
  if (r.count >= k) r.kth_largest = common[common.size() - static_cast<size_t>(k)];
  return r;
}

TEST(RowBitmapTest, CountsAndKthLargestAreThoseOfTheSetsIntersection) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    const int n_sets = 1 + static_cast<int>(rng() % 3);
    std::vector<std::set<std::int64_t>> sets(n_sets);
    std::vector<RowBitmap> bitmaps;
    for (auto& s : sets) {
      // Each set in its own range, dense or sparse, so ranges overlap partly or not at all.
      const std::int64_t from = static_cast<std::int64_t>(rng() % 3000);
      const std::int64_t span = 1 + static_cast<std::int64_t>(rng() % 5000);
      const int density = 1 + static_cast<int>(rng() % 30);
      for (std::int64_t x = from; x < from + span; ++x) {
        if (static_cast<int>(rng() % density) == 0) s.insert(x);
      }
      std::vector<std::int64_t> rowids(s.begin(), s.end());
      std::shuffle(rowids.begin(), rowids.end(), rng);
      if (!rowids.empty()) rowids.push_back(rowids.front());  // a duplicate changes nothing
      bitmaps.push_back(RowBitmap::Of(rowids).value());
      ASSERT_EQ(bitmaps.back().size(), static_cast<std::int64_t>(s.size()));
    }
    std::vector<const RowBitmap*> all;
    for (const RowBitmap& b : bitmaps) all.push_back(&b);
    for (std::int64_t k : {std::int64_t{1}, std::int64_t{7}, std::int64_t{64}, std::int64_t{500},
                           static_cast<std::int64_t>(1 + rng() % 3000)}) {
      const CommonRows got = CountCommonRows(all, k);
      const CommonRows want = Expected(sets, k);
      ASSERT_EQ(got.count, want.count) << round << " k " << k;
      ASSERT_EQ(got.kth_largest, want.kth_largest) << round << " k " << k;
    }
  }
}

TEST(RowBitmapTest, EmptySetsShareNothing) {
  const RowBitmap empty = RowBitmap::Of({}).value();
  const RowBitmap some = RowBitmap::Of({1, 2, 3}).value();
  EXPECT_EQ(empty.size(), 0);
  EXPECT_FALSE(empty.Contains(1));
  const CommonRows r = CountCommonRows({&empty, &some}, 1);
  EXPECT_EQ(r.count, 0);
  EXPECT_FALSE(r.kth_largest);
  EXPECT_EQ(CountCommonRows({&some}, 3).kth_largest, 1);
  EXPECT_FALSE(CountCommonRows({&some}, 4).kth_largest);
}

TEST(RowBitmapTest, HoldsExactlyItsRowidsAtWordEdgesAndIgnoresNegatives) {
  const RowBitmap b = RowBitmap::Of({-5, 0, 63, 64, 127, 128, 1000000}).value();
  EXPECT_EQ(b.size(), 6);
  for (std::int64_t x : {0, 63, 64, 127, 128, 1000000}) EXPECT_TRUE(b.Contains(x)) << x;
  for (std::int64_t x : {-5, 1, 62, 65, 126, 129, 999999, 1000001}) EXPECT_FALSE(b.Contains(x)) << x;
}

TEST(RowBitmapTest, RowidsTooFarApartMakeNoBitmap) {
  const std::int64_t last_fitting = 64 * RowBitmap::kMaxWords - 1;
  EXPECT_FALSE(RowBitmap::Of({1, last_fitting + 1}));
  EXPECT_FALSE(RowBitmap::Of({3, std::int64_t{1} << 62}));
  std::optional<RowBitmap> widest = RowBitmap::Of({0, last_fitting});
  ASSERT_TRUE(widest);
  EXPECT_EQ(widest->size(), 2);
  EXPECT_TRUE(widest->Contains(last_fitting));
}

TEST(RowBitmapTest, ABlobRoundTripsAndMalformedBlobsAreRefused) {
  const RowBitmap b = RowBitmap::Of({5, 70, 700, 7000}).value();
  const std::string blob = b.ToBlob();
  std::optional<RowBitmap> back = RowBitmap::FromBlob(blob);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->size(), 4);
  for (std::int64_t x : {5, 70, 700, 7000}) EXPECT_TRUE(back->Contains(x));
  EXPECT_EQ(RowBitmap::FromBlob("")->size(), 0);
  EXPECT_FALSE(RowBitmap::FromBlob("short"));
  EXPECT_FALSE(RowBitmap::FromBlob(blob.substr(0, blob.size() - 3)));  // not whole words
  std::string miscounted = blob;
  miscounted[8] = static_cast<char>(miscounted[8] + 1);  // the stored size no longer matches
  EXPECT_FALSE(RowBitmap::FromBlob(miscounted));
}

class RowBitmapSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(RegisterRowBitmap(db_.getHandle()));
    db_.exec("CREATE TABLE v (x)");
  }

  // lb_row_bitmap(x) over the table, read back.
  RowBitmap Made(const std::string& where = "") {
    SQLite::Statement q(db_, "SELECT lb_row_bitmap(x) FROM v" + where);
    q.executeStep();
    const SQLite::Column c = q.getColumn(0);
    std::optional<RowBitmap> b = RowBitmap::FromBlob(
        std::string_view(static_cast<const char*>(c.getBlob()), static_cast<size_t>(c.getBytes())));
    EXPECT_TRUE(b);
    return b.value_or(RowBitmap::Of({}).value());
  }

  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

TEST_F(RowBitmapSqlTest, TheAggregateHoldsEveryIntegerRowInAnyOrder) {
  db_.exec("INSERT INTO v (x) VALUES (900), (3), (NULL), ('text'), (64), (3), (2.5)");
  const RowBitmap b = Made();
  EXPECT_EQ(b.size(), 3);  // NULL, text and real are not rowids
  for (std::int64_t x : {3, 64, 900}) EXPECT_TRUE(b.Contains(x));
}

TEST_F(RowBitmapSqlTest, RowidsTooFarApartGiveZeroNotABlob) {
  db_.exec("INSERT INTO v (x) VALUES (1), (1099511627776)");
  SQLite::Statement q(db_, "SELECT lb_row_bitmap(x) FROM v");
  ASSERT_TRUE(q.executeStep());
  EXPECT_FALSE(q.getColumn(0).isBlob());
  EXPECT_EQ(q.getColumn(0).getInt(), 0);
}

TEST_F(RowBitmapSqlTest, NoRowIsTheEmptySet) {
  SQLite::Statement q(db_, "SELECT lb_row_bitmap(x) FROM v");
  ASSERT_TRUE(q.executeStep());
  EXPECT_TRUE(q.getColumn(0).isNull());
  EXPECT_EQ(Made().size(), 0);
}

TEST_F(RowBitmapSqlTest, AStatementResetBeforeItsEndLeaksNothingAndRunsAgain) {
  db_.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
           "INSERT INTO v SELECT i FROM n");
  SQLite::Statement grouped(db_, "SELECT lb_row_bitmap(x) FROM v GROUP BY x % 10");
  ASSERT_TRUE(grouped.executeStep());  // one group made, the others stepped, then reset
  grouped.reset();
  int groups = 0;
  while (grouped.executeStep()) ++groups;
  EXPECT_EQ(groups, 10);
  EXPECT_EQ(Made().size(), 5000);
}

}  // namespace
}  // namespace lessonbook::sqlite
