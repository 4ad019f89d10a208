// ConnectionPool: one writer connection behind a mutex plus reader connections handed out one per
// caller. WAL lets readers run while the writer writes, so searches from many HTTP threads do not
// wait for each other or for writes. A ":memory:" database cannot be shared between connections:
// there every lease is the writer (still one thread at a time).
//
// Thread-safety: all methods may be called from any thread. A lease must not outlive the pool.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sqlite/connection.h"

namespace lessonbook::sqlite {

class ConnectionPool;

// Exclusive use of one connection until destruction.
class ConnectionLease {
 public:
  ConnectionLease(ConnectionLease&&) = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ~ConnectionLease();

  Connection& conn() const { return *conn_; }
  SQLite::Database& db() const { return conn_->db(); }

 private:
  friend class ConnectionPool;
  ConnectionLease(ConnectionPool* pool, std::unique_lock<std::mutex> writer_lock, Connection* conn,
                  std::unique_ptr<Connection> reader)
      : pool_(pool),
        writer_lock_(std::move(writer_lock)),
        conn_(conn),
        reader_(std::move(reader)) {}

  ConnectionPool* pool_;
  std::unique_lock<std::mutex> writer_lock_;  // held for a writer lease
  Connection* conn_;
  std::unique_ptr<Connection> reader_;  // owned for a reader lease, given back on destruction
};

class ConnectionPool {
 public:
  // Opens the writer connection (creating the file). Throws SQLite::Exception.
  explicit ConnectionPool(std::string path);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  const std::string& path() const { return path_; }

  // Waits for the writer. Start write transactions with BEGIN IMMEDIATE on it.
  ConnectionLease Writer();
  // An idle reader, opened when none is idle. Throws SQLite::Exception when it cannot be opened.
  ConnectionLease Reader();

 private:
  friend class ConnectionLease;
  void GiveBack(std::unique_ptr<Connection> reader);

  static constexpr size_t kMaxIdleReaders = 64;

  const std::string path_;
  const bool in_memory_;
  std::mutex writer_mu_;
  Connection writer_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by readers_mu_
};

}  // namespace lessonbook::sqlite
