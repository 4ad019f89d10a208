// TaskThreads: every task runs, concurrently when asked at once, threads are reused, and the
// destructor waits for what was queued.
#include "adapters/slack/task_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace lessonbook {
namespace {

TEST(TaskThreadsTest, RunsEveryTaskBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  {
    TaskThreads threads;
    for (int i = 0; i < 100; ++i) threads.Run([&ran] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(TaskThreadsTest, ATaskNeverWaitsForABusyThread) {
  // Two tasks that each wait for the other can only finish when they run at the same time.
  TaskThreads threads;
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  std::atomic<int> finished{0};
  auto meet = [&] {
    std::unique_lock lock(mu);
    ++arrived;
    cv.notify_all();
    if (cv.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == 2; })) ++finished;
  };
  threads.Run(meet);
  threads.Run(meet);
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == 2; }));
  lock.unlock();
  while (finished.load() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(finished.load(), 2);
}

TEST(TaskThreadsTest, ReusesAnIdleThreadForTheNextTask) {
  TaskThreads threads;
  std::set<std::thread::id> ids;
  std::mutex mu;
  for (int i = 0; i < 20; ++i) {
    std::atomic<bool> done{false};
    threads.Run([&] {
      std::lock_guard lock(mu);
      ids.insert(std::this_thread::get_id());
      done = true;
    });
    while (!done.load()) std::this_thread::sleep_for(std::chrono::microseconds(100));
    // The thread goes back to waiting right after the task; give it the moment it needs.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_LT(ids.size(), 20u);
}

}  // namespace
}  // namespace lessonbook
