// The PostgreSQL connection pool: never more connections than its bound however many threads
// ask (callers wait for one to come back), connections kept open for reuse, and a broken one
// dropped and replaced. Against the test run's real PostgreSQL.
#include "storage/postgres/pg_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "tests/support/postgres_server.h"

namespace lessonbook::testing {
namespace {

// Parameterised only so that the name starts with "Postgres/" and runs with the other
// PostgreSQL tests (one process, one server).
class PgPoolTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    Result<PostgresServer*> server = PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << "PostgreSQL did not start: " << server.status().ToString();
    Result<std::string> uri = (*server)->ResetSharedDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    uri_ = *uri;
  }
  std::string uri_;
};

TEST_P(PgPoolTest, ManyThreadsShareAtMostTheBoundOfConnections) {
  pg::PgPool pool(uri_, 3);
  std::mutex mu;
  std::set<std::int64_t> backends;
  std::atomic<size_t> most_open{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        pg::PgLease lease = pool.Lease();
        const std::int64_t pid = lease.conn().Exec("SELECT pg_backend_pid()").Int(0, 0);
        lease.conn().Exec("SELECT pg_sleep(0.002)");
        size_t open = pool.open_connections();
        size_t seen = most_open.load();
        while (open > seen && !most_open.compare_exchange_weak(seen, open)) {
        }
        std::lock_guard<std::mutex> lock(mu);
        backends.insert(pid);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most_open.load(), 3u);
  EXPECT_LE(backends.size(), 3u) << "120 queries from 12 threads ran on at most 3 sessions";
  EXPECT_GE(backends.size(), 1u);
  EXPECT_EQ(pool.open_connections(), backends.size()) << "kept open for the next callers";
}

TEST_P(PgPoolTest, ABrokenConnectionIsReplacedAndFreesItsPlace) {
  pg::PgPool pool(uri_, 1);
  std::int64_t first_pid = 0;
  {
    pg::PgLease lease = pool.Lease();
    first_pid = lease.conn().Exec("SELECT pg_backend_pid()").Int(0, 0);
    pg::PgConnection admin(uri_);
    admin.Exec("SELECT pg_terminate_backend($1::int)", pg::PgParams().Add(first_pid));
    EXPECT_THROW(lease.conn().Exec("SELECT 1"), pg::PgError);
  }
  EXPECT_EQ(pool.open_connections(), 0u) << "the broken one is closed, not kept";
  pg::PgLease again = pool.Lease();  // the only place is free again: no wait, a new session
  EXPECT_NE(again.conn().Exec("SELECT pg_backend_pid()").Int(0, 0), first_pid);
  EXPECT_EQ(pool.open_connections(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Postgres, PgPoolTest, ::testing::Values(0));

}  // namespace
}  // namespace lessonbook::testing
