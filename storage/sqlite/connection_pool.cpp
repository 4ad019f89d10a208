#include "storage/sqlite/connection_pool.h"

#include <utility>

namespace lessonbook::sqlite {

ConnectionLease::~ConnectionLease() {
  if (reader_ != nullptr) pool_->GiveBack(std::move(reader_));
}

ConnectionPool::ConnectionPool(std::string path)
    : path_(std::move(path)),
      in_memory_(path_ == ":memory:"),
      writer_(path_, Connection::Role::kWriter) {}

ConnectionLease ConnectionPool::Writer() {
  std::unique_lock<std::mutex> lock(writer_mu_);
  return ConnectionLease(this, std::move(lock), &writer_, nullptr);
}

ConnectionLease ConnectionPool::Reader() {
  if (in_memory_) return Writer();
  std::unique_ptr<Connection> reader;
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (reader == nullptr) {
    reader = std::make_unique<Connection>(path_, Connection::Role::kReader);
  }
  Connection* conn = reader.get();
  return ConnectionLease(this, std::unique_lock<std::mutex>(), conn, std::move(reader));
}

void ConnectionPool::GiveBack(std::unique_ptr<Connection> reader) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

}  // namespace lessonbook::sqlite
