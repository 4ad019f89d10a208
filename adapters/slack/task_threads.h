// TaskThreads: runs tasks on at most a fixed number of threads that are kept for the next task,
// so a slash command does not pay for a thread's creation and exit (with glibc, a large share of
// a search's CPU time under load: stack mmap/munmap, the per-thread malloc cache freed at exit).
// A thread starts when a task finds none idle and fewer than the limit run; beyond the limit
// tasks wait in arrival order for the next free thread.
//
// Why a limit: commands are CPU work on a few cores. One thread per command in flight (32 under
// 32 connections) made the scheduler interleave them: every answer waited for all the others'
// slices and their SQLite page caches took turns in the CPU cache. Eight threads on 2 cores
// answered 20-35% more searches a second with a p99 about 40% lower (bench/README.md, "The
// command threads"). A task that waits past a caller's deadline is not lost: RunWithBudget's caller
// answers later (the deferral path).
//
// Thread-safety: Run may be called from any thread. The destructor runs the queued tasks, then
// joins every thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lessonbook {

class TaskThreads {
 public:
  // At most max_threads threads (0 is taken as 1).
  explicit TaskThreads(size_t max_threads);
  ~TaskThreads();
  TaskThreads(const TaskThreads&) = delete;
  TaskThreads& operator=(const TaskThreads&) = delete;

  void Run(std::function<void()> task);

  // The threads started so far (never more than max_threads).
  size_t threads() const;

 private:
  void Loop();

  const size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  size_t idle_ = 0;                          // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;         // guarded by mu_
};

}  // namespace lessonbook
