// ConnectionPool: one writer connection behind a mutex plus reader connections handed out one per
// caller. WAL lets readers run while the writer writes, so searches do not wait for writes. A
// ":memory:" database cannot be shared between connections: there every lease is the writer
// (still one thread at a time).
//
// At most max_readers readers are leased at once (Default: twice the CPU cores, at least 4):
// more readers than cores only add page caches (up to 2 MiB each, the bulk of the server's
// memory with 32 HTTP threads) and cache misses, not throughput, since a search is CPU work once
// the file is in the OS cache. A thread that already holds a reader or the writer of this pool
// (a callback that reads while its caller holds a lease) gets an extra reader at once, closed
// when it is given back, so nesting never deadlocks and never waits. Any other caller that waits
// longer than reader_wait (kReaderWait, 5 s: a safety valve for a wait across threads the pool
// cannot see) gets an extra reader too. Until 2026-12-02 that wait was 250 ms and was the only
// rule: under heavy load (1,000,000 lessons, common words) many callers passed it together and
// opened cold extra readers, which made every search slower and the memory peak higher.
//
// Waiting callers are served first come, first served: a given-back reader goes straight to the
// caller that has waited longest, and a newcomer never takes a reader while others wait. With
// 32 HTTP threads on 4 readers, a condition variable woke an arbitrary waiter, so under load a
// few unlucky commands waited many turns (the bench's p99, bench/README.md).
//
// Thread-safety: all methods may be called from any thread. A lease must not outlive the pool.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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
        holder_(std::this_thread::get_id()),
        writer_lock_(std::move(writer_lock)),
        conn_(conn),
        reader_(std::move(reader)) {}

  ConnectionPool* pool_;
  std::thread::id holder_;                    // the thread that took the lease
  std::unique_lock<std::mutex> writer_lock_;  // held for a writer lease
  Connection* conn_;
  std::unique_ptr<Connection> reader_;  // owned for a reader lease, given back on destruction
};

class ConnectionPool {
 public:
  // Opens the writer connection (creating the file). Throws SQLite::Exception.
  // max_readers 0: twice the CPU cores, at least 4. reader_wait: how long Reader() waits before
  // it opens an extra reader (tests lengthen it).
  static constexpr std::chrono::milliseconds kReaderWait{5000};
  explicit ConnectionPool(std::string path, size_t max_readers = 0,
                          std::chrono::milliseconds reader_wait = kReaderWait);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  const std::string& path() const { return path_; }

  // Waits for the writer. Start write transactions with BEGIN IMMEDIATE on it.
  ConnectionLease Writer();
  // An idle reader, opened when none is idle and fewer than max_readers are leased; else waits
  // for one to be given back (at most reader_wait), behind every caller that waits already.
  // A thread holding a lease of this pool never waits (see the header).
  // Throws SQLite::Exception when it cannot be opened.
  ConnectionLease Reader();
  // Callers waiting in Reader() now (tests).
  size_t Waiting();

 private:
  friend class ConnectionLease;
  void GiveBack(std::unique_ptr<Connection> reader, std::thread::id holder);
  void WriterGivenBack() { writer_holder_.store(std::thread::id()); }

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
  // One lease of holder's fewer in reader_holders_. Needs readers_mu_.
  void Forget(std::thread::id holder);
  // Hands the lease slot just freed to the longest waiter, if any. Needs readers_mu_.
  bool HandToWaiter(std::unique_ptr<Connection>* reader);

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by readers_mu_
  std::deque<Waiter*> waiters_;                            // guarded by readers_mu_, oldest first
  size_t leased_readers_ = 0;                              // guarded by readers_mu_
  std::map<std::thread::id, int> reader_holders_;  // guarded by readers_mu_: leases a thread holds
  std::atomic<std::thread::id> writer_holder_{};   // the writer's holder, or none
};

}  // namespace lessonbook::sqlite
