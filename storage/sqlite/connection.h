// Connection: one SQLite connection configured for Lessonbook (WAL, foreign keys, busy timeout)
// with a cache of its prepared statements. CachedStatement hands out a cached statement and
// resets it when it leaves scope, so a half-read SELECT never keeps a stale read snapshot open.
//
// Thread-safety: a Connection is used by one thread at a time (ConnectionPool guarantees it).
// Errors: the methods throw SQLite::Exception; callers run them inside Guarded().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace lessonbook::sqlite {

class FtsRankState;
class SnippetMaker;

class Connection {
 public:
  enum class Role {
    kWriter,  // may write; sets journal_mode=WAL on the file
    kReader,  // query_only: a write through it fails instead of racing the writer
  };

  // Opens (and for kWriter creates) the database at path; ":memory:" opens a private in-memory
  // database. Throws SQLite::Exception.
  Connection(const std::string& path, Role role);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLite::Database& db() { return *db_; }

  // The prepared statement for sql (prepared on first use), reset and with no bindings.
  SQLite::Statement& Prepare(const std::string& sql);

  // What lb_bm25 keeps on this connection (storage/sqlite/fts_rank.h).
  FtsRankState& Rank() { return *rank_; }

  // This connection's snippet maker (storage/sqlite/snippet_maker.h), made on first use.
  SnippetMaker& Snippets();

 private:
  std::unique_ptr<FtsRankState> rank_;  // lb_bm25's user data: declared first, outlives db_
  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  std::unique_ptr<SnippetMaker> snippets_;
};

// A cached statement for the length of a scope: `CachedStatement s(conn, "SELECT ...");
// s->bind(...)`.
class CachedStatement {
 public:
  CachedStatement(Connection& conn, const std::string& sql) : statement_(&conn.Prepare(sql)) {}
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  SQLite::Statement& operator*() const { return *statement_; }
  SQLite::Statement* operator->() const { return statement_; }

 private:
  SQLite::Statement* statement_;
};

// A read transaction on conn for the length of a scope: every query inside it reads the same
// snapshot of the database. Leaving the scope ends it (it only read, so nothing is undone).
// Its BEGIN and ROLLBACK are statements prepared once per connection; SQLite::Transaction
// compiles both on every use through sqlite3_exec (preparing them once saves 1.6% of a 10k
// search's instructions: bench/README.md, "The read transaction's statements").
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& conn);  // throws SQLite::Exception
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Connection& conn_;
};

}  // namespace lessonbook::sqlite
