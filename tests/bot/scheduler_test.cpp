#include "bot/scheduler.h"

#include <gtest/gtest.h>

#include "bot/local_time.h"
#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

class SchedulerTest : public testing::StoreTest {
 protected:
  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
};

TEST_P(SchedulerTest, JobsRunAtTheirInterval) {
  Scheduler s(*store_, clock_, "a");
  int fast = 0, slow = 0;
  s.Add("fast", std::chrono::seconds(1), false, [&](Time) { ++fast; });
  s.Add("slow", std::chrono::seconds(60), false, [&](Time) { ++slow; });
  Time t = clock_.Now();
  s.Tick(t);
  s.Tick(t);
  s.Tick(t + std::chrono::seconds(1));
  s.Tick(t + std::chrono::seconds(59));
  s.Tick(t + std::chrono::seconds(60));
  EXPECT_EQ(fast, 4);
  EXPECT_EQ(slow, 2);
}

TEST_P(SchedulerTest, LeaderOnlyJobsRunInOneProcessAtATime) {
  std::unique_ptr<Store> other_process = Reopen();  // the second replica's own store
  ASSERT_NE(other_process, nullptr);
  Scheduler a(*store_, clock_, "replica-a");
  Scheduler b(*other_process, clock_, "replica-b");
  int ran_a = 0, ran_b = 0;
  a.Add("digest", std::chrono::seconds(1), true, [&](Time) { ++ran_a; });
  b.Add("digest", std::chrono::seconds(1), true, [&](Time) { ++ran_b; });
  Time t = clock_.Now();
  a.Tick(t);
  b.Tick(t);
  EXPECT_EQ(ran_a, 1);
  EXPECT_EQ(ran_b, 0);
  // a stops renewing; after the lease runs out b takes over.
  Time later = t + Scheduler::kLeaseTtl + std::chrono::seconds(1);
  b.Tick(later);
  EXPECT_EQ(ran_b, 1);
  a.Tick(later + std::chrono::seconds(1));
  EXPECT_EQ(ran_a, 1);
}

TEST_P(SchedulerTest, AThrowingJobDoesNotStopTheOthers) {
  Scheduler s(*store_, clock_, "a");
  int ran = 0;
  s.Add("broken", std::chrono::seconds(1), false, [](Time) { throw std::runtime_error("bug"); });
  s.Add("fine", std::chrono::seconds(1), false, [&](Time) { ++ran; });
  s.Tick(clock_.Now());
  EXPECT_EQ(ran, 1);
}

// Regression: a restarted server waited 30 s (the old process's lease) before handling the
// inbox, because a graceful stop kept the lease.
class SchedulerReleaseTest : public SchedulerTest {};

TEST_P(SchedulerReleaseTest, AGracefulStopHandsTheLeaseToTheNextProcessAtOnce) {
  Scheduler old_process(*store_, clock_, "old");
  int ran = 0;
  old_process.Add("inbox", std::chrono::seconds(0), true, [&](Time) { ++ran; });
  std::stop_source stop;
  stop.request_stop();
  old_process.Tick(clock_.Now());
  old_process.Run(stop.get_token(), std::chrono::milliseconds(1));
  EXPECT_EQ(ran, 1);
  std::unique_ptr<Store> next_process = Reopen();
  ASSERT_NE(next_process, nullptr);
  EXPECT_TRUE(next_process->TryLead("scheduler", "new", Scheduler::kLeaseTtl, clock_.Now()).value());
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(SchedulerTest);
LESSONBOOK_INSTANTIATE_STORE_TESTS(SchedulerReleaseTest);

}  // namespace
}  // namespace lessonbook
