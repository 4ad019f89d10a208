#include "storage/postgres/pg_pool.h"

namespace lessonbook::pg {

PgLease::~PgLease() {
  if (conn_ != nullptr) pool_->GiveBack(std::move(conn_));
}

PgLease PgPool::Lease() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      return PgLease(this, std::move(conn));
    }
  }
  return PgLease(this, std::make_unique<PgConnection>(conninfo_));
}

void PgPool::GiveBack(std::unique_ptr<PgConnection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!conn->healthy()) {
    // Broken (or stuck mid-transaction): closed, not reused. A lost connection usually means a
    // server restart or a network cut that broke the idle ones too: they go as well, so the
    // next callers connect afresh instead of each failing once on a dead connection.
    idle_.clear();
    return;
  }
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
}

}  // namespace lessonbook::pg
