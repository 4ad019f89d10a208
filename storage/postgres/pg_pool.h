// PgPool: PostgreSQL connections handed out one per caller and given back for reuse, so many
// HTTP threads query in parallel. A connection that broke (server restart, network) is dropped
// when given back, with the idle ones; the next lease connects anew.
//
// Thread-safety: all methods may be called from any thread. A lease must not outlive the pool.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/postgres/pg_connection.h"

namespace lessonbook::pg {

class PgPool;

// Exclusive use of one connection until destruction.
class PgLease {
 public:
  PgLease(PgLease&&) = default;
  PgLease& operator=(PgLease&&) = delete;
  ~PgLease();
  PgConnection& conn() const { return *conn_; }

 private:
  friend class PgPool;
  PgLease(PgPool* pool, std::unique_ptr<PgConnection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  PgPool* pool_;
  std::unique_ptr<PgConnection> conn_;
};

class PgPool {
 public:
  // Does not connect; Lease() does. conninfo is a libpq URI or key=value string.
  explicit PgPool(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  const std::string& conninfo() const { return conninfo_; }
  // An idle connection, or a new one. Throws PgError when PostgreSQL cannot be reached.
  PgLease Lease();

 private:
  friend class PgLease;
  void GiveBack(std::unique_ptr<PgConnection> conn);

  static constexpr size_t kMaxIdle = 8;

  const std::string conninfo_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
};

}  // namespace lessonbook::pg
