// PgStore: operations on the whole database — backup (PostgreSQL's own tools), an integrity
// check, purging a workspace, rewriting stored secrets (key rotation).
#include <map>
#include <set>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"
#include "storage/sql_identifier.h"

namespace lessonbook::pg {
namespace {

// Tables that hold no workspace's data: purge leaves them alone (as in the SQLite store).
const std::set<std::string>& GlobalTables() {
  static const std::set<std::string> kTables = {"schema_migrations", "leases", "teams_service_urls",
                                                "server_secrets"};
  return kTables;
}

struct TableInfo {
  bool has_workspace_id = false;
  struct Key {  // a single-column foreign key: (column, parent table, parent column)
    std::string column;
    std::string parent;
    std::string parent_column;
  };
  std::vector<Key> keys;
};

// The tables of the store's schema, their workspace_id columns and foreign keys.
std::map<std::string, TableInfo> ReadTables(PgConnection& conn) {
  std::map<std::string, TableInfo> tables;
  PgResult names = conn.Exec(
      "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND "
      "a.attname = 'workspace_id' AND NOT a.attisdropped) FROM pg_class c "
      "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') "
      "ORDER BY c.relname");
  for (int row = 0; row < names.rows(); ++row) {
    tables[names.Text(row, 0)].has_workspace_id = names.Bool(row, 1);
  }
  PgResult keys = conn.Exec(
      "SELECT child.relname, ca.attname, parent.relname, pa.attname FROM pg_constraint k "
      "JOIN pg_class child ON child.oid = k.conrelid "
      "JOIN pg_class parent ON parent.oid = k.confrelid "
      "JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1] "
      "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
      "WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace "
      "ORDER BY 1, 2");
  for (int row = 0; row < keys.rows(); ++row) {
    auto it = tables.find(keys.Text(row, 0));
    if (it == tables.end()) continue;
    it->second.keys.push_back({keys.Text(row, 1), keys.Text(row, 2), keys.Text(row, 3)});
  }
  return tables;
}

// The DELETE that removes the workspace's rows of one table ($1 is the workspace id), or ""
// when the table cannot be linked to a workspace.
std::string PurgeStatement(const std::string& name, const std::map<std::string, TableInfo>& all) {
  const TableInfo& t = all.at(name);
  if (name == "workspaces") return "DELETE FROM workspaces WHERE id = $1";
  if (t.has_workspace_id)
    return "DELETE FROM " + QuoteIdentifier(name) + " WHERE workspace_id = $1";
  for (const auto& key : t.keys) {  // a child table: its rows go with the workspace's parents
    auto parent = all.find(key.parent);
    if (parent == all.end()) continue;
    if (key.parent == "workspaces") {
      return "DELETE FROM " + QuoteIdentifier(name) + " WHERE " + QuoteIdentifier(key.column) +
             " = $1";
    }
    if (parent->second.has_workspace_id) {
      return "DELETE FROM " + QuoteIdentifier(name) + " WHERE " + QuoteIdentifier(key.column) +
             " IN (SELECT " + QuoteIdentifier(key.parent_column) + " FROM " +
             QuoteIdentifier(key.parent) + " WHERE workspace_id = $1)";
    }
  }
  return "";
}

// Every table before the tables it references, so no ON DELETE CASCADE removes rows behind the
// report's back and no foreign key blocks a delete.
std::vector<std::string> DeleteOrder(const std::vector<std::string>& names,
                                     const std::map<std::string, TableInfo>& all) {
  std::vector<std::string> order;
  std::set<std::string> pending(names.begin(), names.end());
  while (!pending.empty()) {
    bool progressed = false;
    for (auto it = pending.begin(); it != pending.end();) {
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
    if (!progressed) {  // a reference cycle: name order for the rest
      order.insert(order.end(), pending.begin(), pending.end());
      break;
    }
  }
  return order;
}

}  // namespace

Status PgStore::Backup(const std::string& path) {
  return Status::InvalidArgument(
      "lessonbook backup copies SQLite databases only; for PostgreSQL use its own tools: "
      "pg_dump --format=custom --file=" +
      (path.empty() ? std::string("FILE") : path) +
      " DATABASE (a consistent snapshot while the server runs; restore with pg_restore)");
}

// PostgreSQL checks its own pages (checksums, when the cluster has them) and keeps the search
// vectors itself (a generated column): what can drift is what the store derives, the lessons'
// evidence counts. The check compares them with lesson_evidence and names the lessons that
// disagree.
Result<std::string> PgStore::CheckIntegrity() {
  return Guarded("checking the database's integrity", [&]() -> Result<std::string> {
    PgLease lease = pool_->Lease();
    PgResult r = lease.conn().Exec(
        "WITH counted AS (SELECT lesson_id, "
        "count(DISTINCT CASE WHEN btrim(campaign) = '' THEN '#' || evidence_lesson_id "
        "ELSE 'c:' || lower(btrim(campaign)) END) FILTER (WHERE kind = 'confirms') AS c, "
        "count(DISTINCT CASE WHEN btrim(campaign) = '' THEN '#' || evidence_lesson_id "
        "ELSE 'c:' || lower(btrim(campaign)) END) FILTER (WHERE kind = 'contradicts') AS x "
        "FROM lesson_evidence GROUP BY lesson_id) "
        "SELECT l.id FROM lessons l LEFT JOIN counted e ON e.lesson_id = l.id "
        "WHERE l.confirmations <> coalesce(e.c, 0) OR l.contradictions <> coalesce(e.x, 0) "
        "ORDER BY l.id LIMIT 20");
    if (r.rows() == 0) return std::string("ok");
    std::string out = "the evidence counts of lessons";
    for (int row = 0; row < r.rows(); ++row) out += " " + std::to_string(r.Int(row, 0));
    return out + " do not match lesson_evidence";
  });
}

Result<PurgeReport> PgStore::PurgeWorkspace(WorkspaceId ws, bool dry_run) {
  return Guarded("purging a workspace", [&]() -> Result<PurgeReport> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    if (conn.Exec("SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE", PgParams().Add(ws)).rows() ==
        0) {
      return Status::NotFound("there is no workspace " + std::to_string(ws));
    }
    const auto tables = ReadTables(conn);
    std::vector<std::string> purged;
    for (const auto& [name, info] : tables) {
      if (GlobalTables().count(name)) continue;
      if (PurgeStatement(name, tables).empty()) {
        return Status::Internal("the table " + name +
                                " has no workspace_id and no foreign key to a workspace's "
                                "table: teach PurgeWorkspace about it before purging");
      }
      purged.push_back(name);
    }
    PurgeReport report;
    for (const std::string& name : DeleteOrder(purged, tables)) {
      PgResult del = conn.Exec(PurgeStatement(name, tables), PgParams().Add(ws));
      report.rows_by_table.emplace_back(name, del.affected());
    }
    if (dry_run) return report;  // the transaction rolls back
    tx.Commit();
    return report;
  });
}

Result<int> PgStore::RewriteSecrets(
    const std::function<Result<std::string>(const StoredSecret&)>& rewrite) {
  return Guarded("rewriting the stored secrets", [&]() -> Result<int> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    PgResult r = conn.Exec(
        "SELECT id, bot_token FROM workspaces WHERE bot_token <> '' ORDER BY id FOR UPDATE");
    for (int row = 0; row < r.rows(); ++row) {
      StoredSecret s{r.Int(row, 0), "bot_token", r.Text(row, 1)};
      Result<std::string> next = rewrite(s);
      if (!next.ok()) return next.status();
      conn.Exec("UPDATE workspaces SET bot_token = $1 WHERE id = $2",
                PgParams().Add(*next).Add(s.workspace_id));
    }
    tx.Commit();
    return r.rows();
  });
}

}  // namespace lessonbook::pg
