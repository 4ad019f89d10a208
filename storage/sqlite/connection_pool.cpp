#include "storage/sqlite/connection_pool.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace lessonbook::sqlite {

ConnectionLease::~ConnectionLease() {
  if (reader_ != nullptr) pool_->GiveBack(std::move(reader_));
}

namespace {

size_t DefaultMaxReaders() {
  const size_t cores = std::thread::hardware_concurrency();
  return std::max<size_t>(4, 2 * cores);
}

}  // namespace

ConnectionPool::ConnectionPool(std::string path, size_t max_readers)
    : path_(std::move(path)),
      in_memory_(path_ == ":memory:"),
      max_readers_(max_readers > 0 ? max_readers : DefaultMaxReaders()),
      writer_(path_, Connection::Role::kWriter) {}

ConnectionLease ConnectionPool::Writer() {
  std::unique_lock<std::mutex> lock(writer_mu_);
  return ConnectionLease(this, std::move(lock), &writer_, nullptr);
}

ConnectionLease ConnectionPool::Reader() {
  if (in_memory_) return Writer();
  std::unique_ptr<Connection> reader;
  {
    std::unique_lock<std::mutex> lock(readers_mu_);
    // An extra reader past the limit when the wait runs out (see the header): never a deadlock.
    reader_returned_.wait_for(lock, kReaderWait, [this] {
      return !idle_readers_.empty() || leased_readers_ < max_readers_;
    });
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    ++leased_readers_;
  }
  if (reader == nullptr) {
    try {
      reader = std::make_unique<Connection>(path_, Connection::Role::kReader);
    } catch (...) {
      std::lock_guard<std::mutex> lock(readers_mu_);
      --leased_readers_;
      reader_returned_.notify_one();
      throw;
    }
  }
  Connection* conn = reader.get();
  return ConnectionLease(this, std::unique_lock<std::mutex>(), conn, std::move(reader));
}

void ConnectionPool::GiveBack(std::unique_ptr<Connection> reader) {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    --leased_readers_;
    if (idle_readers_.size() + leased_readers_ < max_readers_) {
      idle_readers_.push_back(std::move(reader));
    }
  }
  reader_returned_.notify_one();
  // An extra reader (over the limit) is closed here, outside the lock.
}

}  // namespace lessonbook::sqlite
