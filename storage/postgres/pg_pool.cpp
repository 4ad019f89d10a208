#include "storage/postgres/pg_pool.h"

namespace lessonbook::pg {

PgLease::~PgLease() {
  if (conn_ != nullptr) pool_->GiveBack(std::move(conn_));
}

PgLease PgPool::Lease() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    const bool ready = returned_.wait_for(lock, kWaitLimit, [this] {
      return !idle_.empty() || open_ < max_connections_;
    });
    if (!ready) {
      throw PgError("53000", "all " + std::to_string(max_connections_) +
                                 " database connections stayed busy for " +
                                 std::to_string(kWaitLimit.count()) + " s");
    }
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      return PgLease(this, std::move(conn));
    }
    ++open_;  // reserved while connecting, outside the lock
  }
  try {
    return PgLease(this, std::make_unique<PgConnection>(conninfo_));
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    returned_.notify_one();
    throw;
  }
}

size_t PgPool::open_connections() {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

void PgPool::GiveBack(std::unique_ptr<PgConnection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!conn->healthy()) {
    // Broken (or stuck mid-transaction): closed, not reused. A lost connection usually means a
    // server restart or a network cut that broke the idle ones too: they go as well, so the
    // next callers connect afresh instead of each failing once on a dead connection.
    open_ -= 1 + idle_.size();
    idle_.clear();
    returned_.notify_all();
    return;
  }
  idle_.push_back(std::move(conn));
  returned_.notify_one();
}

}  // namespace lessonbook::pg
