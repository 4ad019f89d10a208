// PostgresServer: a real PostgreSQL server for the tests, started once per test binary run on
// 127.0.0.1 (a free port) from a fresh cluster in a temporary directory, and stopped at the end
// of the run (a gtest Environment) — or by the kernel if the test binary dies (the server is the
// binary's child with a parent-death signal). As root, initdb and the server run as the
// `postgres` user (initdb refuses root): `runuser -u postgres -- initdb`, the server after
// setuid.
//
// The binaries come from /usr/lib/postgresql/<newest>/bin (Debian's `postgresql` package,
// installed by deploy/install-deps.sh --test) or from LESSONBOOK_PG_BIN. When the server cannot
// start, Shared() returns an error with the reason and the log's tail: tests fail, never skip.
// Tests get a clean database from ResetSharedDatabase() (or their own from CreateDatabase()).
//
// Thread-safety: Shared() and CreateDatabase() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>

#include "bot/status.h"

struct pg_conn;  // libpq's PGconn

namespace lessonbook::testing {

class PostgresServer {
 public:
  // The run's server, started on the first call. Later calls return the same server or the
  // same error.
  static Result<PostgresServer*> Shared();
  // Stops the shared server if it was started and removes its directory.
  static void StopShared();

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A new empty database; returns its postgres:// URI.
  Result<std::string> CreateDatabase();
  // The run's shared test database with every table emptied and every id sequence restarted
  // (the schema and schema_migrations are kept): a fresh store in a few milliseconds (rows
  // deleted on a connection kept for it), not CREATE DATABASE + migrations. Empty (not
  // migrated) on the first call.
  Result<std::string> ResetSharedDatabase();
  // Drops a database CreateDatabase made (closing its connections).
  void DropDatabase(const std::string& uri);
  // postgres://postgres@127.0.0.1:PORT/DB
  std::string Uri(const std::string& database) const;

 private:
  PostgresServer() = default;
  Status Start();
  void Stop();
  std::string LogTail() const;

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::mutex mu_;
  int next_db_ = 0;  // guarded by mu_
  std::string shared_db_;  // guarded by mu_; its URI once created
  pg_conn* reset_conn_ = nullptr;  // guarded by mu_; the connection ResetSharedDatabase uses
};

}  // namespace lessonbook::testing
