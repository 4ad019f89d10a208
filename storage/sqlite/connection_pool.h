// ConnectionPool: one writer connection behind a mutex plus reader connections handed out one per
// caller. WAL lets readers run while the writer writes, so searches do not wait for writes. A
// ":memory:" database cannot be shared between connections: there every lease is the writer
// (still one thread at a time).
//
// At most max_readers readers are leased at once (Default: twice the CPU cores, at least 4):
// more readers than cores only add page caches (up to 2 MiB each, the bulk of the server's
// memory with 32 HTTP threads) and cache misses, not throughput, since a search is CPU work once
// the file is in the OS cache. A caller that waits longer than kReaderWait for a reader (e.g. a
// callback that reads while its caller holds a reader) gets an extra reader instead, closed when
// it is given back, so nesting never deadlocks.
//
// Waiting callers are served first come, first served: a given-back reader goes straight to the
// caller that has waited longest, and a newcomer never takes a reader while others wait. With
// 32 HTTP threads on 4 readers, a condition variable woke an arbitrary waiter, so under load a
// few unlucky commands waited many turns (the bench's p99, bench/README.md).
//
// Thread-safety: all methods may be called from any thread. A lease must not outlive the pool.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
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
  // max_readers 0: twice the CPU cores, at least 4. reader_wait: how long Reader() waits before
  // it opens an extra reader (tests lengthen it).
  static constexpr std::chrono::milliseconds kReaderWait{250};
  explicit ConnectionPool(std::string path, size_t max_readers = 0,
                          std::chrono::milliseconds reader_wait = kReaderWait);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  const std::string& path() const { return path_; }

  // Waits for the writer. Start write transactions with BEGIN IMMEDIATE on it.
  ConnectionLease Writer();
  // An idle reader, opened when none is idle and fewer than max_readers are leased; else waits
  // for one to be given back (at most reader_wait), behind every caller that waits already.
  // Throws SQLite::Exception when it cannot be opened.
  ConnectionLease Reader();
  // Callers waiting in Reader() now (tests).
  size_t Waiting();

 private:
  friend class ConnectionLease;
  void GiveBack(std::unique_ptr<Connection> reader);

  const std::string path_;
  const bool in_memory_;
  const size_t max_readers_;
  const std::chrono::milliseconds reader_wait_;
  std::mutex writer_mu_;
  Connection writer_;
  // A caller waiting in Reader(), on its own stack; granted and reader are set by GiveBack.
  struct Waiter {
    std::condition_variable granted_cv;
    bool granted = false;
    std::unique_ptr<Connection> reader;  // null when granted: open a new one
  };
  // Hands the lease slot just freed to the longest waiter, if any. Needs readers_mu_.
  bool HandToWaiter(std::unique_ptr<Connection>* reader);

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by readers_mu_
  std::deque<Waiter*> waiters_;                            // guarded by readers_mu_, oldest first
  size_t leased_readers_ = 0;                              // guarded by readers_mu_
};

}  // namespace lessonbook::sqlite
