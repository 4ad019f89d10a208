// ConnectionPool: readers are reused, at most max_readers are kept, and a reader asked for while
// the caller already holds a lease (a nested read) comes at once instead of a deadlock, and
// callers that wait are served in the order they came.
#include "storage/sqlite/connection_pool.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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

// The wait is an hour: were a nested reader to wait for it, the test would hang past ctest's
// timeout instead of passing.
TEST(SqliteConnectionPoolTest, ANestedReaderPastTheLimitIsAnExtraConnectionAtOnce) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1, std::chrono::hours(1));
  ConnectionLease outer = pool.Reader();
  ConnectionLease inner = pool.Reader();  // this thread holds the only reader: an extra one
  EXPECT_NE(&inner.conn(), &outer.conn());
  SQLite::Statement q(inner.db(), "SELECT 1");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 1);
}

// Waits (up to 10 s) until n callers wait for a reader.
void AwaitWaiting(ConnectionPool& pool, size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pool.Waiting() < n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(pool.Waiting(), n);
}

TEST(SqliteConnectionPoolTest, WaitingCallersGetReadersInTheOrderTheyCame) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1, std::chrono::seconds(30));
  std::mutex mu;
  std::vector<int> served;
  std::vector<std::thread> callers;
  {
    ConnectionLease held = pool.Reader();
    for (int i = 0; i < 5; ++i) {
      callers.emplace_back([&pool, &mu, &served, i] {
        ConnectionLease lease = pool.Reader();
        std::lock_guard lock(mu);
        served.push_back(i);
      });
      AwaitWaiting(pool, static_cast<size_t>(i) + 1);  // caller i is queued before caller i + 1
    }
  }  // the held reader goes back: to caller 0, then each to the next
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(served, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(pool.Waiting(), 0u);
}

TEST(SqliteConnectionPoolTest, ANewcomerQueuesBehindWaitingCallersEvenWhenAReaderIsIdle) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1, std::chrono::seconds(30));
  Connection* only = nullptr;
  std::mutex mu;
  std::vector<std::string> served;
  std::thread waiter;
  {
    ConnectionLease held = pool.Reader();
    only = &held.conn();
    waiter = std::thread([&] {
      ConnectionLease lease = pool.Reader();
      std::lock_guard lock(mu);
      served.push_back("waiter");
      EXPECT_EQ(&lease.conn(), only);  // handed over, not a new connection
    });
    AwaitWaiting(pool, 1);
  }
  {
    ConnectionLease later = pool.Reader();  // after the waiter, never before it
    std::lock_guard lock(mu);
    served.push_back("newcomer");
  }
  waiter.join();
  EXPECT_EQ(served, (std::vector<std::string>{"waiter", "newcomer"}));
}

TEST(SqliteConnectionPoolTest, AReaderAskedForWhileHoldingTheWriterComesAtOnce) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1, std::chrono::hours(1));
  std::mutex mu;
  std::condition_variable cv;
  bool taken = false;
  bool release = false;
  std::thread other([&] {  // holds the only reader until told
    ConnectionLease lease = pool.Reader();
    std::unique_lock lock(mu);
    taken = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return taken; });
  }
  {
    ConnectionLease writer = pool.Writer();
    ConnectionLease reader = pool.Reader();  // an extra one: never waits while holding the writer
    SQLite::Statement q(reader.db(), "SELECT 1");
    EXPECT_TRUE(q.executeStep());
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  other.join();
}

TEST(SqliteConnectionPoolTest, AWaitThatRunsOutOpensAnExtraReaderAndLeavesTheQueue) {
  testing::TempDir dir;
  ConnectionPool pool(dir.File("pool.db"), 1, std::chrono::milliseconds(20));
  ConnectionLease held = pool.Reader();
  Connection* extra = nullptr;
  std::thread other([&] {  // holds nothing: waits 20 ms, then gets an extra reader
    ConnectionLease lease = pool.Reader();
    extra = &lease.conn();
  });
  other.join();
  EXPECT_NE(extra, &held.conn());
  EXPECT_EQ(pool.Waiting(), 0u);
}

}  // namespace
}  // namespace lessonbook::sqlite
