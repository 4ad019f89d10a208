#include "adapters/slack/task_threads.h"

#include <utility>

namespace lessonbook {

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
  if (idle_ >= tasks_.size()) {  // an idle thread is free for it
    cv_.notify_one();
    return;
  }
  threads_.emplace_back([this] { Loop(); });
}

void TaskThreads::Loop() {
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
