// PgPool: at most `max_connections` PostgreSQL connections, handed out one per caller and kept
// open for reuse, so many HTTP threads query in parallel without connecting per query (a new
// connection costs PostgreSQL ~5 ms of CPU) and several replicas stay inside the server's
// max_connections. A caller finding all in use waits for one to come back. A connection that
// broke (server restart, network) is dropped when given back, with the idle ones; the next lease
// connects anew.
//
// Thread-safety: all methods may be called from any thread. A lease must not outlive the pool.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
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
  // Default: 16 connections per process. Callers beyond that wait.
  static constexpr size_t kDefaultMaxConnections = 16;
  // Default: a caller waits this long for a connection, then the lease fails.
  static constexpr std::chrono::seconds kWaitLimit{20};

  // Does not connect; Lease() does. conninfo is a libpq URI or key=value string.
  explicit PgPool(std::string conninfo, size_t max_connections = kDefaultMaxConnections)
      : conninfo_(std::move(conninfo)), max_connections_(max_connections > 0 ? max_connections : 1) {}
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  const std::string& conninfo() const { return conninfo_; }
  // An idle connection, a new one while fewer than max_connections are open, else the next one
  // given back. Throws PgError when PostgreSQL cannot be reached or none came back in
  // kWaitLimit.
  PgLease Lease();
  // Connections open now (leased and idle), for tests and metrics.
  size_t open_connections();

 private:
  friend class PgLease;
  void GiveBack(std::unique_ptr<PgConnection> conn);

  const std::string conninfo_;
  const size_t max_connections_;
  std::mutex mu_;
  std::condition_variable returned_;
  size_t open_ = 0;                                  // guarded by mu_; leased + idle + connecting
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
};

}  // namespace lessonbook::pg
