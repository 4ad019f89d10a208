#include "storage/sqlite/connection.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <mutex>

#include "storage/sqlite/fts_rank.h"
#include "storage/sqlite/kth_largest.h"
#include "storage/sqlite/row_bitmap.h"
#include "storage/sqlite/snippet_maker.h"

namespace lessonbook::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// SQLite keeps memory statistics (sqlite3_memory_used) unless told not to, and that takes one
// process-wide mutex on every allocation. Debian's SQLite is built without lookaside memory, so
// every small allocation of every connection goes through malloc and that mutex: the readers of
// concurrent searches queued on it. Nothing here reads the statistics. Only possible before
// SQLite initializes (the first connection opened in the process); later it changes nothing.
void SkipMemoryStatistics() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Connection::Connection(const std::string& path, Role role)
    : rank_(std::make_unique<FtsRankState>()) {
  SkipMemoryStatistics();
  const int flags =
      role == Role::kWriter ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE : SQLite::OPEN_READWRITE;
  db_ = std::make_unique<SQLite::Database>(path, flags | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
  if (role == Role::kWriter) {
    db_->exec("PRAGMA journal_mode=WAL");
  }
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a committed transaction is
  // durable against a process crash (what the SIGKILL tests check); only power loss may drop it.
  db_->exec("PRAGMA synchronous=NORMAL");
  db_->exec("PRAGMA foreign_keys=ON");
  if (role == Role::kReader) {
    db_->exec("PRAGMA query_only=ON");
  }
  if (!RegisterFtsRank(db_->getHandle(), rank_.get())) {
    throw SQLite::Exception("FTS5's extension API is not available for lb_bm25");
  }
  if (!RegisterKthLargest(db_->getHandle())) {
    throw SQLite::Exception("registering lb_kth_largest failed");
  }
  if (!RegisterRowBitmap(db_->getHandle())) {
    throw SQLite::Exception("registering lb_row_bitmap failed");
  }
}

Connection::~Connection() {
  statements_.clear();  // statements are finalized before their database closes
}

SQLite::Statement& Connection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(*db_, sql)).first;
  } else {
    it->second->tryReset();  // the error of a failed last step was reported then
    it->second->clearBindings();
  }
  return *it->second;
}

SnippetMaker& Connection::Snippets() {
  if (snippets_ == nullptr) snippets_ = std::make_unique<SnippetMaker>(db_->getHandle());
  return *snippets_;
}

CachedStatement::~CachedStatement() { statement_->tryReset(); }

ReadSnapshot::ReadSnapshot(Connection& conn) : conn_(conn) {
  CachedStatement begin(conn_, "BEGIN");
  begin->exec();
}

ReadSnapshot::~ReadSnapshot() {
  try {
    CachedStatement end(conn_, "ROLLBACK");
    end->exec();
  } catch (const SQLite::Exception&) {
    // As SQLite::Transaction: SQLite ended the transaction itself after an error; nothing to end.
  }
}

}  // namespace lessonbook::sqlite
