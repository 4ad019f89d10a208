// TaskThreads: every task runs, concurrently up to the thread limit and in arrival order beyond
// it, threads are reused, and the destructor waits for what was queued.
#include "adapters/slack/task_threads.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace lessonbook {
namespace {

TEST(TaskThreadsTest, ThreadsAreNamedForTopAndGdb) {
  std::string name;
  {
    TaskThreads threads(1);
    threads.Run([&name] {
      char buffer[16] = {};
      pthread_getname_np(pthread_self(), buffer, sizeof buffer);
      name = buffer;
    });
  }
  EXPECT_EQ(name, "lb-command");
}

TEST(TaskThreadsTest, RunsEveryTaskBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  {
    TaskThreads threads(4);
    for (int i = 0; i < 100; ++i) threads.Run([&ran] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(TaskThreadsTest, TasksRunAtOnceUpToTheLimit) {
  // Two tasks that each wait for the other can only finish when they run at the same time.
  TaskThreads threads(2);
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
  TaskThreads threads(8);
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

TEST(TaskThreadsTest, BeyondTheLimitTasksWaitForAFreeThreadInArrivalOrder) {
  // Each task notes when it starts, then holds its thread until it gets a permit. The test hands
  // out one permit at a time, so exactly one thread comes free and exactly one waiting task
  // starts: the order in which tasks take a free thread is what `order` shows (two tasks
  // released together could note their start in either order).
  TaskThreads threads(2);
  std::mutex mu;
  std::condition_variable cv;
  int permits = 0;
  int running = 0;
  int most_at_once = 0;
  std::vector<int> order;
  for (int i = 0; i < 10; ++i) {
    threads.Run([&, i] {
      std::unique_lock lock(mu);
      order.push_back(i);
      most_at_once = std::max(most_at_once, ++running);
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(10), [&] { return permits > 0; });
      --permits;
      --running;
    });
  }
  const auto started = [&](size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return order.size() >= n; });
  };
  ASSERT_TRUE(started(2));
  // The two running hold their threads: the eight others wait, none runs beside them (the lock
  // is free meanwhile, so a third task that ran would show in `order`).
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(order.size(), 2u);
  }
  for (size_t n = 3; n <= 10; ++n) {
    {
      std::lock_guard lock(mu);
      ++permits;  // one task ends, and its thread takes the next waiting task
    }
    cv.notify_all();
    ASSERT_TRUE(started(n)) << n;
  }
  {
    std::lock_guard lock(mu);
    permits += 2;  // the last two end
  }
  cv.notify_all();
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard lock(mu);
      if (running == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::lock_guard lock(mu);
  EXPECT_EQ(most_at_once, 2);
  EXPECT_EQ(threads.threads(), 2u);
  ASSERT_EQ(order.size(), 10u);
  // The first two in either order; the rest as they arrived.
  for (int i = 2; i < 10; ++i) EXPECT_EQ(order[i], i) << i;
}

}  // namespace
}  // namespace lessonbook
