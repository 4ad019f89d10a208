// RowLengths: rows' lengths kept per generation as a suffix of each workspace's rows, served only
// when every row asked for is kept at exactly that generation.
#include "storage/sqlite/row_lengths.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace lessonbook::sqlite {
namespace {

const FtsTotals kTotals{100, 5000};

TEST(RowLengthsTest, RowsAreServedOnlyFromTheKeptSuffixAtTheirGeneration) {
  RowLengths lengths;
  std::vector<int> tokens;
  FtsTotals totals;
  EXPECT_FALSE(lengths.Get(1, 7, {10}, &tokens, &totals));
  EXPECT_EQ(lengths.CoveredFrom(1, 7), std::numeric_limits<std::int64_t>::max());
  lengths.Put(1, 7, {{30, 12}, {20, 0}, {10, 40}}, 10, kTotals);
  ASSERT_TRUE(lengths.Get(1, 7, {30, 10}, &tokens, &totals));
  EXPECT_EQ(tokens, (std::vector<int>{12, 40}));
  EXPECT_EQ(totals.rows, 100);
  EXPECT_EQ(totals.tokens, 5000);
  EXPECT_FALSE(lengths.Get(1, 7, {30, 9}, &tokens, &totals));  // below the suffix
  EXPECT_FALSE(lengths.Get(1, 8, {30}, &tokens, &totals));     // another workspace's
  EXPECT_EQ(lengths.CoveredFrom(1, 7), 10);
  lengths.Put(1, 7, {{9, 3}, {5, 4}}, 5, kTotals);  // the next rows down
  EXPECT_EQ(lengths.CoveredFrom(1, 7), 5);
  ASSERT_TRUE(lengths.Get(1, 7, {20, 9, 5}, &tokens, &totals));
  EXPECT_EQ(tokens, (std::vector<int>{0, 3, 4}));
  EXPECT_FALSE(lengths.Get(1, 7, {6}, &tokens, &totals));  // covered, but not a row
}

TEST(RowLengthsTest, ANewerGenerationDropsEverythingAndAnOlderOneIsIgnored) {
  RowLengths lengths;
  std::vector<int> tokens;
  FtsTotals totals;
  lengths.Put(2, 7, {{30, 12}}, 30, kTotals);
  lengths.Put(1, 7, {{40, 1}}, 1, kTotals);  // a slower reader of an older snapshot
  EXPECT_FALSE(lengths.Get(1, 7, {40}, &tokens, &totals));
  EXPECT_EQ(lengths.CoveredFrom(2, 7), 30);
  lengths.Put(3, 7, {{50, 2}}, 50, kTotals);
  EXPECT_FALSE(lengths.Get(2, 7, {30}, &tokens, &totals));
  EXPECT_FALSE(lengths.Get(3, 7, {30}, &tokens, &totals));
  EXPECT_TRUE(lengths.Get(3, 7, {50}, &tokens, &totals));
}

TEST(RowLengthsTest, RowsPastTheLimitsAreNeverKeptNorTheSuffixBelowThem) {
  RowLengths lengths;
  std::vector<int> tokens;
  FtsTotals totals;
  lengths.Put(1, 7, {{RowLengths::kMaxRowid, 3}, {10, 3}}, 10, kTotals);
  EXPECT_FALSE(lengths.Get(1, 7, {10}, &tokens, &totals));
  EXPECT_EQ(lengths.CoveredFrom(1, 7), std::numeric_limits<std::int64_t>::max());
  lengths.Put(1, 8, {{20, 70000}}, 20, kTotals);
  EXPECT_FALSE(lengths.Get(1, 8, {20}, &tokens, &totals));
}

}  // namespace
}  // namespace lessonbook::sqlite
