// WordRows: sets served only at their generation, a newer generation drops them all, past the
// byte budget no more are kept until the next generation (Full tells the store so), and a key
// counts as searched before from its second asking in a generation.
#include "storage/sqlite/word_rows.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace lessonbook::sqlite {
namespace {

std::shared_ptr<const RowBitmap> SetOf(std::vector<std::int64_t> rowids) {
  return std::make_shared<const RowBitmap>(RowBitmap::Of(std::move(rowids)).value());
}

TEST(WordRowsTest, ASetIsServedOnlyAtItsGeneration) {
  WordRows rows;
  rows.Put("2\x1f" "launch", 5, SetOf({1, 2, 3}));
  ASSERT_NE(rows.Get("2\x1f" "launch", 5), nullptr);
  EXPECT_EQ(rows.Get("2\x1f" "launch", 5)->size(), 3);
  EXPECT_EQ(rows.Get("2\x1f" "launch", 4), nullptr);
  EXPECT_EQ(rows.Get("2\x1f" "launch", 6), nullptr);
  EXPECT_EQ(rows.Get("2\x1f" "email", 5), nullptr);
}

TEST(WordRowsTest, ANewerGenerationDropsEverySetAndAnOlderOneIsIgnored) {
  WordRows rows;
  rows.Put("a", 5, SetOf({1}));
  rows.Put("b", 6, SetOf({2}));  // a write happened: "a" was read before it
  EXPECT_EQ(rows.Get("a", 5), nullptr);
  EXPECT_EQ(rows.Get("a", 6), nullptr);
  EXPECT_NE(rows.Get("b", 6), nullptr);
  rows.Put("c", 5, SetOf({3}));  // a slow reader of the old snapshot
  EXPECT_EQ(rows.Get("c", 5), nullptr);
  EXPECT_EQ(rows.Get("c", 6), nullptr);
  EXPECT_NE(rows.Get("b", 6), nullptr);
}

TEST(WordRowsTest, PastTheBudgetNoMoreSetsAreKeptUntilTheNextGeneration) {
  // Each set of rowids 0..6399 holds 100 words of 8 bytes.
  std::vector<std::int64_t> dense;
  for (std::int64_t i = 0; i < 6400; ++i) dense.push_back(i);
  WordRows rows(2000);
  rows.Put("a", 1, SetOf(dense));
  rows.Put("b", 1, SetOf(dense));
  EXPECT_FALSE(rows.Full(1));
  rows.Put("c", 1, SetOf(dense));  // 2,400 bytes: refused
  EXPECT_TRUE(rows.Full(1));
  EXPECT_NE(rows.Get("a", 1), nullptr);
  EXPECT_NE(rows.Get("b", 1), nullptr);
  EXPECT_EQ(rows.Get("c", 1), nullptr);
  EXPECT_FALSE(rows.Full(2));
  rows.Put("c", 2, SetOf(dense));
  EXPECT_FALSE(rows.Full(2));
  EXPECT_NE(rows.Get("c", 2), nullptr);
  EXPECT_EQ(rows.Get("a", 2), nullptr);
}

TEST(WordRowsTest, PastHalfTheBudgetSetsAreKeptWithoutTheirValues) {
  // 640 rowids with values: 80 bytes of bits, 1,280 of values, 40 of ranks.
  std::vector<RowBitmap::Row> dense;
  for (std::int64_t i = 0; i < 640; ++i) dense.push_back({i, static_cast<std::uint16_t>(i % 7)});
  const auto valued = [&] {
    return std::make_shared<const RowBitmap>(RowBitmap::WithValues(dense).value());
  };
  WordRows rows(3000);
  EXPECT_TRUE(rows.KeepsValues(1));
  rows.Put("a", 1, valued());
  ASSERT_NE(rows.Get("a", 1), nullptr);
  EXPECT_TRUE(rows.Get("a", 1)->has_values());
  EXPECT_EQ(rows.Get("a", 1)->Value(13), 6);
  EXPECT_TRUE(rows.KeepsValues(1));  // 1,400 bytes of 1,500
  rows.Put("b", 1, valued());        // would pass half the budget: its bits only
  ASSERT_NE(rows.Get("b", 1), nullptr);
  EXPECT_FALSE(rows.Get("b", 1)->has_values());
  EXPECT_EQ(rows.Get("b", 1)->size(), 640);
  rows.Put("c", 1, valued());
  EXPECT_FALSE(rows.KeepsValues(1));  // 1,560 bytes
  EXPECT_FALSE(rows.Full(1));
  EXPECT_TRUE(rows.KeepsValues(2));  // a write drops them all
}

TEST(WordRowsTest, AKeyIsSearchedBeforeFromItsSecondAskingInAGeneration) {
  WordRows rows;
  EXPECT_FALSE(rows.SearchedBefore("a", 1));
  EXPECT_TRUE(rows.SearchedBefore("a", 1));
  EXPECT_FALSE(rows.SearchedBefore("b", 1));
  EXPECT_FALSE(rows.SearchedBefore("a", 2));  // a write: asked anew
  EXPECT_TRUE(rows.SearchedBefore("a", 2));
  EXPECT_FALSE(rows.SearchedBefore("b", 1));  // an older snapshot notes nothing
  EXPECT_FALSE(rows.SearchedBefore("b", 2));
}

// Once a generation has lasted kAskedBeforeEager different words, writes are rare next to
// searches: every word counts as searched before, so its set is read at its first search.
TEST(WordRowsTest, EveryKeyIsSearchedBeforeOnceAGenerationWasAskedAboutEnoughWords) {
  WordRows rows;
  for (size_t i = 0; i + 1 < WordRows::kAskedBeforeEager; ++i) {
    EXPECT_FALSE(rows.SearchedBefore("w" + std::to_string(i), 1)) << i;
  }
  EXPECT_TRUE(rows.SearchedBefore("w0", 1));  // asked again: not another different word
  EXPECT_FALSE(rows.SearchedBefore("last", 1));
  EXPECT_TRUE(rows.SearchedBefore("never asked", 1));
  EXPECT_FALSE(rows.SearchedBefore("older", 0));  // an older snapshot: asked anew, notes nothing
  EXPECT_TRUE(rows.SearchedBefore("another", 1));
  EXPECT_FALSE(rows.SearchedBefore("never asked", 2));  // a write: from its second asking again
  EXPECT_TRUE(rows.SearchedBefore("never asked", 2));
  EXPECT_FALSE(rows.SearchedBefore("another", 2));
}

TEST(WordRowsTest, RefusedGenerationsKeepNoMoreSets) {
  WordRows rows;
  rows.Put("a", 1, SetOf({1}));
  rows.Refuse(1);
  EXPECT_TRUE(rows.Full(1));
  rows.Put("b", 1, SetOf({2}));
  EXPECT_EQ(rows.Get("b", 1), nullptr);
  EXPECT_NE(rows.Get("a", 1), nullptr);  // what was kept stays right
  EXPECT_FALSE(rows.Full(2));
}

TEST(WordRowsTest, AHandedOutSetOutlivesItsDrop) {
  WordRows rows;
  rows.Put("a", 1, SetOf({42}));
  std::shared_ptr<const RowBitmap> held = rows.Get("a", 1);
  rows.Put("b", 2, SetOf({1}));
  ASSERT_NE(held, nullptr);
  EXPECT_TRUE(held->Contains(42));
}

}  // namespace
}  // namespace lessonbook::sqlite
