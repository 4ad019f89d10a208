#include "adapters/slack/task_threads.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace lessonbook {

TaskThreads::TaskThreads(size_t max_threads) : max_threads_(std::max<size_t>(1, max_threads)) {}

TaskThreads::~TaskThreads() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (std::thread& t : threads) t.join();
}

void TaskThreads::Run(std::function<void()> task) {
  std::lock_guard lock(mu_);
  tasks_.push_back(std::move(task));
  if (idle_ >= tasks_.size() || threads_.size() >= max_threads_) {
    cv_.notify_one();  // an idle thread takes it, or the next thread to finish a task
    return;
  }
  threads_.emplace_back([this] { Loop(); });
}

size_t TaskThreads::threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

void TaskThreads::Loop() {
  pthread_setname_np(pthread_self(), "lb-command");  // as `top -H` and gdb list it (15 bytes)
  std::unique_lock lock(mu_);
  for (;;) {
    if (!tasks_.empty()) {
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      task = nullptr;  // the task's captures are released outside the lock
      lock.lock();
      continue;
    }
    if (stopping_) return;
    ++idle_;
    cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    --idle_;
  }
}

}  // namespace lessonbook
