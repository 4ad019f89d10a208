#include "storage/sqlite/connection_pool.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace lessonbook::sqlite {

ConnectionLease::~ConnectionLease() {
  if (reader_ != nullptr) {
    pool_->GiveBack(std::move(reader_), holder_);
  } else if (writer_lock_.owns_lock()) {
    pool_->WriterGivenBack();  // before writer_lock_ unlocks
  }
}

namespace {

size_t DefaultMaxReaders() {
  const size_t cores = std::thread::hardware_concurrency();
  return std::max<size_t>(4, 2 * cores);
}

}  // namespace

ConnectionPool::ConnectionPool(std::string path, size_t max_readers,
                               std::chrono::milliseconds reader_wait)
    : path_(std::move(path)),
      in_memory_(path_ == ":memory:"),
      max_readers_(max_readers > 0 ? max_readers : DefaultMaxReaders()),
      reader_wait_(reader_wait),
      writer_(path_, Connection::Role::kWriter) {}

ConnectionLease ConnectionPool::Writer() {
  std::unique_lock<std::mutex> lock(writer_mu_);
  writer_holder_.store(std::this_thread::get_id());
  return ConnectionLease(this, std::move(lock), &writer_, nullptr);
}

ConnectionLease ConnectionPool::Reader() {
  if (in_memory_) return Writer();
  std::unique_ptr<Connection> reader;
  {
    std::unique_lock<std::mutex> lock(readers_mu_);
    const std::thread::id me = std::this_thread::get_id();
    const bool nested = reader_holders_.count(me) > 0 || writer_holder_.load() == me;
    if (nested ||
        (waiters_.empty() && (!idle_readers_.empty() || leased_readers_ < max_readers_))) {
      // Nested: an idle reader if there is one, else an extra one past the limit, at once.
      if (!idle_readers_.empty()) {
        reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
      ++leased_readers_;
    } else {
      Waiter self;
      waiters_.push_back(&self);
      if (self.granted_cv.wait_for(lock, reader_wait_, [&self] { return self.granted; })) {
        reader = std::move(self.reader);  // the slot was counted by GiveBack
      } else {
        // An extra reader past the limit when the wait runs out (see the header): never a
        // deadlock.
        waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &self));
        ++leased_readers_;
      }
    }
    ++reader_holders_[me];
  }
  if (reader == nullptr) {
    try {
      reader = std::make_unique<Connection>(path_, Connection::Role::kReader);
    } catch (...) {
      std::lock_guard<std::mutex> lock(readers_mu_);
      --leased_readers_;
      Forget(std::this_thread::get_id());
      std::unique_ptr<Connection> none;
      HandToWaiter(&none);
      throw;
    }
  }
  Connection* conn = reader.get();
  return ConnectionLease(this, std::unique_lock<std::mutex>(), conn, std::move(reader));
}

bool ConnectionPool::HandToWaiter(std::unique_ptr<Connection>* reader) {
  if (waiters_.empty() || leased_readers_ >= max_readers_) return false;
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->reader = std::move(*reader);
  next->granted = true;
  ++leased_readers_;
  next->granted_cv.notify_one();  // under the lock: the waiter's stack frame outlives it
  return true;
}

void ConnectionPool::Forget(std::thread::id holder) {
  auto it = reader_holders_.find(holder);
  if (it != reader_holders_.end() && --it->second == 0) reader_holders_.erase(it);
}

void ConnectionPool::GiveBack(std::unique_ptr<Connection> reader, std::thread::id holder) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  --leased_readers_;
  Forget(holder);
  if (HandToWaiter(&reader)) return;
  if (idle_readers_.size() + leased_readers_ < max_readers_) {
    idle_readers_.push_back(std::move(reader));
  }
  // An extra reader (over the limit) is closed when the parameter goes, after the lock.
}

size_t ConnectionPool::Waiting() {
  std::lock_guard<std::mutex> lock(readers_mu_);
  return waiters_.size();
}

}  // namespace lessonbook::sqlite
