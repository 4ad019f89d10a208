// RowBitmap and lb_row_bitmap: a set of rowids made in SQL, kept as bits, and the count and k-th
// largest of the rowids several sets share, exactly as a plain set intersection gives them.
#include "storage/sqlite/row_bitmap.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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

TEST(RowBitmapTest, EachRowidKeepsItsValueThroughTheRanksAndTheBlob) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::map<std::int64_t, std::uint16_t> want;
    std::vector<RowBitmap::Row> rows;
    const std::int64_t from = static_cast<std::int64_t>(rng() % 1000);
    const int density = 1 + static_cast<int>(rng() % 20);
    for (std::int64_t x = from; x < from + 3000; ++x) {
      if (static_cast<int>(rng() % density) != 0) continue;
      const auto v = static_cast<std::uint16_t>(rng() % 65536);
      want[x] = v;
      rows.push_back({x, v});
    }
    std::shuffle(rows.begin(), rows.end(), rng);
    if (!rows.empty()) rows.push_back({rows.front().rowid, 1});  // a duplicate keeps the first
    const RowBitmap b = RowBitmap::WithValues(rows).value();
    ASSERT_TRUE(b.has_values() || want.empty());
    ASSERT_EQ(b.size(), static_cast<std::int64_t>(want.size()));
    const std::optional<RowBitmap> back = RowBitmap::FromBlob(b.ToBlob());
    ASSERT_TRUE(back);
    for (const auto& [x, v] : want) {
      ASSERT_EQ(b.Value(x), v) << round << " " << x;
      ASSERT_EQ(back->Value(x), v) << round << " " << x;
    }
  }
  EXPECT_FALSE(RowBitmap::Of({1, 2}).value().has_values());
  const std::string blob = RowBitmap::WithValues({{1, 5}, {700, 6}}).value().ToBlob();
  EXPECT_FALSE(RowBitmap::FromBlob(blob.substr(0, blob.size() - 2)));  // a value missing
}

TEST(RowBitmapTest, CommonRowsFromTheLowestAreTheIntersectionLargestFirst) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::set<std::int64_t>> sets(1 + rng() % 3);
    std::vector<RowBitmap> bitmaps;
    for (auto& s : sets) {
      const std::int64_t from = static_cast<std::int64_t>(rng() % 2000);
      const int density = 1 + static_cast<int>(rng() % 5);
      for (std::int64_t x = from; x < from + 4000; ++x) {
        if (static_cast<int>(rng() % density) == 0) s.insert(x);
      }
      bitmaps.push_back(RowBitmap::Of(std::vector<std::int64_t>(s.begin(), s.end())).value());
    }
    std::vector<const RowBitmap*> all;
    for (const RowBitmap& b : bitmaps) all.push_back(&b);
    const std::int64_t lowest = static_cast<std::int64_t>(rng() % 6000);
    std::vector<std::int64_t> want;
    for (auto it = sets.front().rbegin(); it != sets.front().rend() && *it >= lowest; ++it) {
      bool everywhere = true;
      for (const auto& s : sets) everywhere = everywhere && s.count(*it) > 0;
      if (everywhere) want.push_back(*it);
    }
    ASSERT_EQ(CommonRowsFrom(all, lowest), want) << round;
  }
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

TEST_F(RowBitmapSqlTest, TheAggregateKeepsEachRowsValueAndNoneWhenOneIsOutOfRange) {
  db_.exec("CREATE TABLE w (x, y)");
  db_.exec("INSERT INTO w VALUES (900, 12.0), (3, 0), (64, 65535), (NULL, 7)");
  const auto made = [&](const std::string& sql) {
    SQLite::Statement q(db_, sql);
    q.executeStep();
    const SQLite::Column c = q.getColumn(0);
    return RowBitmap::FromBlob(std::string_view(static_cast<const char*>(c.getBlob()),
                                                static_cast<size_t>(c.getBytes())))
        .value();
  };
  const RowBitmap b = made("SELECT lb_row_bitmap(x, y) FROM w");
  ASSERT_TRUE(b.has_values());
  EXPECT_EQ(b.size(), 3);
  EXPECT_EQ(b.Value(900), 12);
  EXPECT_EQ(b.Value(3), 0);
  EXPECT_EQ(b.Value(64), 65535);
  for (const char* out : {"65536", "-1", "2.5", "'many'", "NULL"}) {
    db_.exec(std::string("INSERT INTO w VALUES (5, ") + out + ")");
    const RowBitmap none = made("SELECT lb_row_bitmap(x, y) FROM w");
    EXPECT_FALSE(none.has_values()) << out;
    EXPECT_EQ(none.size(), 4) << out;  // the rows are all kept
    db_.exec("DELETE FROM w WHERE x = 5");
  }
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
