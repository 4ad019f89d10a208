// ConnectionPool: readers are reused, at most max_readers are kept, and a reader asked for while
// the caller already holds every reader (a nested read) still comes instead of a deadlock.
#include "storage/sqlite/connection_pool.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lessonbook::sqlite {
namespace {

TEST(SqliteConnectionPoolTest, AGivenBackReaderIsReused) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 2);
  Connection* first = nullptr;
  {
    ConnectionLease lease = pool.Reader();
    first = &lease.conn();
  }
  ConnectionLease again = pool.Reader();
  EXPECT_EQ(&again.conn(), first);
}

TEST(SqliteConnectionPoolTest, ANestedReaderPastTheLimitIsAnExtraConnection) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1);
  ConnectionLease outer = pool.Reader();
  ConnectionLease inner = pool.Reader();  // waits kReaderWait, then opens an extra reader
  EXPECT_NE(&inner.conn(), &outer.conn());
  SQLite::Statement q(inner.db(), "SELECT 1");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 1);
}

}  // namespace
}  // namespace lessonbook::sqlite
