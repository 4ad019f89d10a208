// lb_kth_largest: the k-th largest of an aggregate's integers, whatever the order of the rows;
// NULL with fewer than k values; a clear error for a bad k.
#include "storage/sqlite/kth_largest.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace lessonbook::sqlite {
namespace {

class KthLargestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(RegisterKthLargest(db_.getHandle()));
    db_.exec("CREATE TABLE v (x INTEGER)");
  }

  void Insert(const std::vector<std::optional<std::int64_t>>& values) {
    SQLite::Statement ins(db_, "INSERT INTO v (x) VALUES (?)");
    for (const auto& x : values) {
      if (x) {
        ins.bind(1, *x);
      } else {
        ins.bind(1);
      }
      ins.exec();
      ins.reset();
    }
  }

  // lb_kth_largest(x, k) over the table; nullopt for NULL.
  std::optional<std::int64_t> Kth(std::int64_t k) {
    SQLite::Statement q(db_, "SELECT lb_kth_largest(x, ?) FROM v");
    q.bind(1, k);
    q.executeStep();
    if (q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getInt64();
  }

  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

TEST_F(KthLargestTest, IsTheKthLargestInAnyRowOrder) {
  std::vector<std::optional<std::int64_t>> values;
  for (std::int64_t i = 1; i <= 2000; ++i) values.push_back(i * 3);
  std::shuffle(values.begin(), values.end(), std::mt19937(7));
  Insert(values);
  EXPECT_EQ(Kth(1), 6000);
  EXPECT_EQ(Kth(2), 5997);
  EXPECT_EQ(Kth(500), 3 * (2000 - 499));
  EXPECT_EQ(Kth(2000), 3);
  EXPECT_EQ(Kth(2001), std::nullopt);  // fewer than k values
}

// Ascending values (an FTS scan) are kept in a ring; one out of order later moves them to a heap.
TEST_F(KthLargestTest, AscendingValuesThenOneOutOfOrder) {
  std::vector<std::optional<std::int64_t>> values;
  for (std::int64_t i = 1; i <= 1000; ++i) values.push_back(i);
  Insert(values);
  EXPECT_EQ(Kth(1), 1000);
  EXPECT_EQ(Kth(7), 994);
  EXPECT_EQ(Kth(1000), 1);
  Insert({2000, 500, 999, 3000});  // after the ascending run: 2000 then out of order
  EXPECT_EQ(Kth(1), 3000);
  EXPECT_EQ(Kth(2), 2000);
  EXPECT_EQ(Kth(3), 1000);
  EXPECT_EQ(Kth(4), 999);
  EXPECT_EQ(Kth(5), 999);
  EXPECT_EQ(Kth(6), 998);
  EXPECT_EQ(Kth(1004), 1);
}

TEST_F(KthLargestTest, CountsDuplicatesAndNegativesAndSkipsNulls) {
  Insert({5, std::nullopt, 5, -4, 9, std::nullopt, 5});
  EXPECT_EQ(Kth(1), 9);
  EXPECT_EQ(Kth(2), 5);
  EXPECT_EQ(Kth(4), 5);
  EXPECT_EQ(Kth(5), -4);
  EXPECT_EQ(Kth(6), std::nullopt);  // five values, the NULLs not counted
}

TEST_F(KthLargestTest, NoRowsGiveNull) { EXPECT_EQ(Kth(1), std::nullopt); }

TEST_F(KthLargestTest, RefusesABadKWithAClearError) {
  Insert({1, 2, 3});
  for (const char* k : {"0", "-1", "100001", "'ten'", "2.5"}) {
    try {
      SQLite::Statement q(db_, std::string("SELECT lb_kth_largest(x, ") + k + ") FROM v");
      q.executeStep();
      ADD_FAILURE() << "k = " << k << " was accepted";
    } catch (const SQLite::Exception& e) {
      EXPECT_NE(std::string(e.what()).find("lb_kth_largest"), std::string::npos) << e.what();
    }
  }
  SQLite::Statement changing(db_, "SELECT lb_kth_largest(x, x) FROM v");
  EXPECT_THROW(changing.executeStep(), SQLite::Exception);
}

}  // namespace
}  // namespace lessonbook::sqlite
