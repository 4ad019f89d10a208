// TaskThreads: runs tasks on threads that are kept for the next task, so a slash command does not
// pay for a thread's creation and exit (with glibc, a large share of a search's CPU time under
// load: stack mmap/munmap, the per-thread malloc cache freed at exit). A task never waits for a
// thread: when none is idle a new one starts, exactly as a detached std::thread would. Threads
// are kept until destruction, so there are as many as tasks ever ran at once (for slash commands,
// about the HTTP server's worker count).
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
  TaskThreads() = default;
  ~TaskThreads();
  TaskThreads(const TaskThreads&) = delete;
  TaskThreads& operator=(const TaskThreads&) = delete;

  void Run(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  size_t idle_ = 0;                          // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;         // guarded by mu_
};

}  // namespace lessonbook
