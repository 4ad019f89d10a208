// SqliteStore: operations on the whole database — online backup, integrity check, purging a
// workspace, rewriting stored secrets (key rotation).
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "storage/sql_identifier.h"
#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/search_index.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/workspace_cache.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

// Tables that hold no workspace's data: purge leaves them alone.
//   schema_migrations: applied migrations; leases: leadership leases (process names);
//   teams_service_urls: Microsoft's Bot Connector hosts, shared by every tenant;
//   server_secrets: keys of the server itself (the Book links' signing key).
const std::set<std::string>& GlobalTables() {
  static const std::set<std::string> kTables = {"schema_migrations", "leases", "teams_service_urls",
                                                "server_secrets"};
  return kTables;
}

// The lessons' FTS5 index and its shadow tables: kept in step by the lessons triggers.
bool IsSearchIndexTable(const std::string& name) { return name.rfind("lessons_fts", 0) == 0; }

struct TableInfo {
  bool has_workspace_id = false;
  // Foreign keys of this table: (column, parent table, parent column).
  struct Key {
    std::string column;
    std::string parent;
    std::string parent_column;
  };
  std::vector<Key> keys;
};

std::map<std::string, TableInfo> ReadTables(SQLite::Database& db) {
  std::vector<std::string> names;
  {
    SQLite::Statement q(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite_%' ORDER BY name");
    while (q.executeStep()) names.push_back(q.getColumn(0).getString());
  }
  std::map<std::string, TableInfo> tables;
  for (const std::string& name : names) {
    TableInfo info;
    SQLite::Statement cols(db, "SELECT name FROM pragma_table_info(?)");
    cols.bind(1, name);
    while (cols.executeStep()) {
      if (cols.getColumn(0).getString() == "workspace_id") info.has_workspace_id = true;
    }
    SQLite::Statement fks(db, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)");
    fks.bind(1, name);
    while (fks.executeStep()) {
      info.keys.push_back({fks.getColumn(0).getString(), fks.getColumn(1).getString(),
                           fks.isColumnNull(2) ? "id" : fks.getColumn(2).getString()});
    }
    tables[name] = std::move(info);
  }
  return tables;
}

// The DELETE that removes the workspace's rows of one table (?1 is the workspace id), or ""
// when the table cannot be linked to a workspace.
std::string PurgeStatement(const std::string& name, const std::map<std::string, TableInfo>& all) {
  const TableInfo& t = all.at(name);
  if (name == "workspaces") return "DELETE FROM workspaces WHERE id = ?1";
  if (t.has_workspace_id)
    return "DELETE FROM " + QuoteIdentifier(name) + " WHERE workspace_id = ?1";
  // A child table: its rows go with the parent rows of the workspace.
  for (const auto& key : t.keys) {
    auto parent = all.find(key.parent);
    if (parent == all.end()) continue;
    if (key.parent == "workspaces") {
      return "DELETE FROM " + QuoteIdentifier(name) + " WHERE " + QuoteIdentifier(key.column) +
             " = ?1";
    }
    if (parent->second.has_workspace_id) {
      return "DELETE FROM " + QuoteIdentifier(name) + " WHERE " + QuoteIdentifier(key.column) +
             " IN (SELECT " + QuoteIdentifier(key.parent_column) + " FROM " +
             QuoteIdentifier(key.parent) + " WHERE workspace_id = ?1)";
    }
  }
  return "";
}

// Tables in an order where every table comes before the tables it references, so no ON DELETE
// CASCADE removes rows behind the report's back and no foreign key blocks a delete.
std::vector<std::string> DeleteOrder(const std::vector<std::string>& names,
                                     const std::map<std::string, TableInfo>& all) {
  std::vector<std::string> order;
  std::set<std::string> done;
  std::set<std::string> pending(names.begin(), names.end());
  while (!pending.empty()) {
    bool progressed = false;
    for (auto it = pending.begin(); it != pending.end();) {
      // Ready when no other pending table references it.
      bool referenced = false;
      for (const std::string& other : pending) {
        if (other == *it) continue;
        for (const auto& key : all.at(other).keys) referenced |= key.parent == *it;
      }
      if (referenced) {
        ++it;
        continue;
      }
      order.push_back(*it);
      it = pending.erase(it);
      progressed = true;
    }
    if (!progressed) {  // a reference cycle: fall back to name order for the rest
      order.insert(order.end(), pending.begin(), pending.end());
      break;
    }
  }
  return order;
}

// PRAGMA secure_delete on a connection for the length of a scope.
class SecureDelete {
 public:
  explicit SecureDelete(SQLite::Database& db) : db_(db) { db_.exec("PRAGMA secure_delete = ON"); }
  ~SecureDelete() {
    try {
      db_.exec("PRAGMA secure_delete = OFF");
    } catch (const std::exception&) {  // only slower deletes on this connection from now on
    }
  }
  SecureDelete(const SecureDelete&) = delete;
  SecureDelete& operator=(const SecureDelete&) = delete;

 private:
  SQLite::Database& db_;
};

}  // namespace

Status SqliteStore::Backup(const std::string& path) {
  std::error_code ec;
  if (path.empty()) return Status::InvalidArgument("the backup needs a file name");
  if (std::filesystem::exists(path, ec)) {
    return Status::AlreadyExists("the backup file " + path +
                                 " exists already: choose a new name (a backup never overwrites)");
  }
  const std::string partial = path + ".partial-" + std::to_string(getpid());
  Status copied = Guarded("backing up the database", [&]() -> Status {
    ConnectionLease source = pool_->Reader();
    {
      SQLite::Database dest(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      sqlite3_backup* backup =
          sqlite3_backup_init(dest.getHandle(), "main", source.db().getHandle(), "main");
      if (backup == nullptr) {
        return Status::Unavailable(std::string("cannot start the backup: ") +
                                   sqlite3_errmsg(dest.getHandle()));
      }
      // One step copies every page inside one read transaction of the source: a consistent
      // snapshot, while the server's writer keeps committing to the WAL.
      int rc = sqlite3_backup_step(backup, -1);
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        return Status::Unavailable(std::string("the backup failed: ") + sqlite3_errstr(rc));
      }
      SQLite::Statement check(dest, "PRAGMA integrity_check");
      std::string result = check.executeStep() ? check.getColumn(0).getString() : "no answer";
      if (result != "ok") {
        return Status::Internal("the backup copy fails its integrity check: " + result);
      }
    }
    return Status::Ok();
  });
  if (!copied.ok()) {
    std::filesystem::remove(partial, ec);
    std::filesystem::remove(partial + "-wal", ec);
    std::filesystem::remove(partial + "-shm", ec);
    return copied;
  }
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    return Status::Unavailable("cannot move the backup into place at " + path);
  }
  return Status::Ok();
}

Result<std::string> SqliteStore::CheckIntegrity() {
  return Guarded("checking the database's integrity", [&]() -> Result<std::string> {
    std::string out;
    {
      ConnectionLease reader = pool_->Reader();
      SQLite::Statement q(reader.db(), "PRAGMA integrity_check");
      while (q.executeStep()) {
        if (!out.empty()) out += "; ";
        out += q.getColumn(0).getString();
      }
    }
    if (out != "ok") return out.empty() ? std::string("no answer") : out;
    // integrity_check does not look inside FTS5: compare the search index with the lessons.
    ConnectionLease writer = pool_->Writer();
    try {
      writer.db().exec("INSERT INTO lessons_fts (lessons_fts, rank) VALUES ('integrity-check', 1)");
    } catch (const SQLite::Exception& e) {
      return std::string("the lessons' search index does not match the lessons: ") + e.what();
    }
    return out;
  });
}

Result<PurgeReport> SqliteStore::PurgeWorkspace(WorkspaceId ws, bool dry_run) {
  ForgetWorkspacesOnExit forget(*workspaces_);
  return Guarded("purging a workspace", [&]() -> Result<PurgeReport> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Database& db = writer.db();
    PurgeReport report;
    {
      // Deleted rows are overwritten with zeros in the file, not only unlinked.
      SecureDelete secure(db);
      SQLite::Transaction tx(db, TransactionBehavior::IMMEDIATE);
      {
        SQLite::Statement exists(db, "SELECT 1 FROM workspaces WHERE id = ?");
        exists.bind(1, static_cast<std::int64_t>(ws));
        if (!exists.executeStep()) {
          return Status::NotFound("there is no workspace " + std::to_string(ws));
        }
      }
      const auto tables = ReadTables(db);
      std::vector<std::string> purged;
      for (const auto& [name, info] : tables) {
        if (GlobalTables().count(name) || IsSearchIndexTable(name)) continue;
        if (PurgeStatement(name, tables).empty()) {
          return Status::Internal("the table " + name +
                                  " has no workspace_id and no foreign key to a workspace's "
                                  "table: teach PurgeWorkspace about it before purging");
        }
        purged.push_back(name);
      }
      for (const std::string& name : DeleteOrder(purged, tables)) {
        SQLite::Statement del(db, PurgeStatement(name, tables));
        del.bind(1, static_cast<std::int64_t>(ws));
        report.rows_by_table.emplace_back(name, del.exec());
      }
      // Triggers can write the workspace's rows while other tables are purged (deleting a lesson
      // bumps its lesson_generations row): a second sweep removes what they wrote. Those rows
      // were the purge's own, so the report does not count them.
      for (const std::string& name : purged) {
        if (!tables.at(name).has_workspace_id) continue;
        SQLite::Statement del(db, PurgeStatement(name, tables));
        del.bind(1, static_cast<std::int64_t>(ws));
        del.exec();
      }
      if (dry_run) return report;  // the transaction rolls back
      // Merge the search index so the deleted lessons' terms leave its pages too.
      MergeSearchIndex(db);
      tx.commit();
    }
    // Fold the WAL (which still holds the old pages) into the file and empty it.
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return report;
  });
}

Result<int> SqliteStore::RewriteSecrets(
    const std::function<Result<std::string>(const StoredSecret&)>& rewrite) {
  ForgetWorkspacesOnExit forget(*workspaces_);
  return Guarded("rewriting the stored secrets", [&]() -> Result<int> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    std::vector<StoredSecret> secrets;
    {
      SQLite::Statement q(writer.db(),
                          "SELECT id, bot_token FROM workspaces WHERE bot_token != '' ORDER BY id");
      while (q.executeStep()) {
        secrets.push_back({q.getColumn(0).getInt64(), "bot_token", q.getColumn(1).getString()});
      }
    }
    SQLite::Statement upd(writer.db(), "UPDATE workspaces SET bot_token = ? WHERE id = ?");
    for (const StoredSecret& s : secrets) {
      Result<std::string> next = rewrite(s);
      if (!next.ok()) return next.status();
      upd.reset();
      upd.bind(1, *next);
      upd.bind(2, static_cast<std::int64_t>(s.workspace_id));
      upd.exec();
    }
    tx.commit();
    return static_cast<int>(secrets.size());
  });
}

}  // namespace lessonbook::sqlite
