// PgStore: the whole database as rows for another store (ExportData), and an empty database
// filled from another store's rows (ImportData) — `lessonbook migrate`.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "storage/import_checks.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_store.h"
#include "storage/sql_identifier.h"
#include "storage/table_order.h"

namespace lessonbook::pg {
namespace {

constexpr int kFetchRows = 500;
// PostgreSQL takes at most 65535 bound parameters per statement.
constexpr size_t kMaxParams = 60000;
constexpr size_t kMaxInsertRows = 1000;

enum class ColumnKind { kInteger, kBoolean, kReal, kText };

// A table that is copied: its stored columns (generated ones, like lessons.search, are left
// out: the target computes them), key and id sequence.
struct CopyTable {
  std::vector<std::string> columns;
  std::vector<ColumnKind> kinds;
  std::vector<std::string> key;  // primary key columns in key order
  std::string id_column;         // the column a sequence fills, or ""
  std::string id_sequence;       // its sequence (pg_get_serial_sequence), or ""
  std::set<std::string> parents;
};

std::string Joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + QuoteIdentifier(c);
  return out;
}

ColumnKind KindOf(const std::string& type) {
  if (type == "bigint" || type == "integer" || type == "smallint") return ColumnKind::kInteger;
  if (type == "boolean") return ColumnKind::kBoolean;
  if (type == "double precision" || type == "real" || type == "numeric") return ColumnKind::kReal;
  return ColumnKind::kText;
}

// Not copied: process state (applied migrations, leadership leases).
bool IsCopied(const std::string& name) { return name != "schema_migrations" && name != "leases"; }

std::map<std::string, CopyTable> ReadCopyTables(PgConnection& conn) {
  std::map<std::string, CopyTable> tables;
  PgResult cols = conn.Exec(
      "SELECT c.relname, a.attname, format_type(a.atttypid, NULL), a.attgenerated <> '', "
      "coalesce(array_position(i.indkey::int2[], a.attnum), 0), "
      "coalesce(pg_get_serial_sequence(quote_ident(c.relname), a.attname), '') "
      "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
      "AND NOT a.attisdropped "
      "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
      "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') "
      "ORDER BY c.relname, a.attnum");
  std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> keys;
  for (int row = 0; row < cols.rows(); ++row) {
    const std::string table = cols.Text(row, 0);
    if (!IsCopied(table)) continue;
    CopyTable& t = tables[table];
    if (cols.Bool(row, 3)) continue;  // generated
    const std::string column = cols.Text(row, 1);
    t.columns.push_back(column);
    t.kinds.push_back(KindOf(cols.Text(row, 2)));
    if (std::int64_t position = cols.Int(row, 4); position > 0) {
      keys[table].emplace_back(position, column);
    }
    if (!cols.Text(row, 5).empty() && t.id_column.empty()) {
      t.id_column = column;
      t.id_sequence = cols.Text(row, 5);
    }
  }
  for (auto& [table, key] : keys) {
    std::sort(key.begin(), key.end());
    for (const auto& [position, column] : key) tables[table].key.push_back(column);
  }
  PgResult fks = conn.Exec(
      "SELECT child.relname, parent.relname FROM pg_constraint k "
      "JOIN pg_class child ON child.oid = k.conrelid "
      "JOIN pg_class parent ON parent.oid = k.confrelid "
      "WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace");
  for (int row = 0; row < fks.rows(); ++row) {
    auto it = tables.find(fks.Text(row, 0));
    if (it != tables.end()) it->second.parents.insert(fks.Text(row, 1));
  }
  return tables;
}

std::vector<std::string> OwnOrder(const std::map<std::string, CopyTable>& tables) {
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& [name, t] : tables) parents[name] = t.parents;
  return ParentsFirst(parents);
}

DataValue ReadValue(const PgResult& r, int row, int col, ColumnKind kind) {
  if (r.IsNull(row, col)) return std::monostate{};
  switch (kind) {
    case ColumnKind::kInteger:
      return r.Int(row, col);
    case ColumnKind::kBoolean:
      return static_cast<std::int64_t>(r.Bool(row, col) ? 1 : 0);
    case ColumnKind::kReal:
      return r.Double(row, col);
    case ColumnKind::kText:
      break;
  }
  return r.Text(row, col);
}

void AddParam(PgParams& params, const DataValue& v, ColumnKind kind) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (kind == ColumnKind::kBoolean) {
      params.Add(*i != 0);
    } else {
      params.Add(*i);
    }
  } else if (const auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    params.Add(std::string_view(buf));
  } else if (const auto* text = std::get_if<std::string>(&v)) {
    params.Add(*text);
  } else {
    params.AddNull();
  }
}

std::int64_t Count(PgConnection& conn, const std::string& table) {
  return conn.Exec("SELECT count(*) FROM " + QuoteIdentifier(table)).Int(0, 0);
}

// Writes the rows it is sent into the tables of an empty database, inside the caller's
// transaction (multi-row INSERTs), and remembers what each table should hold.
class ImportSink final : public DataSink {
 public:
  ImportSink(PgConnection& conn, const std::map<std::string, CopyTable>& tables)
      : conn_(conn), tables_(tables) {}

  std::vector<std::string> TableOrder() const override { return OwnOrder(tables_); }

  Status BeginTable(const std::string& table, const std::vector<std::string>& columns) override {
    auto it = tables_.find(table);
    if (it == tables_.end()) {
      return Status::InvalidArgument("the source has a table " + table +
                                     " that this PostgreSQL database does not have: both must "
                                     "be at the same schema version of the same Lessonbook");
    }
    if (announced_.count(table)) {
      return Status::InvalidArgument("the source sent the table " + table + " twice");
    }
    kinds_.clear();
    for (const std::string& c : columns) {
      const auto& known = it->second.columns;
      auto pos = std::find(known.begin(), known.end(), c);
      if (pos == known.end()) {
        return Status::InvalidArgument("the source's table " + table + " has a column " + c +
                                       " that this PostgreSQL database does not have (or "
                                       "computes itself)");
      }
      kinds_.push_back(it->second.kinds[static_cast<size_t>(pos - known.begin())]);
    }
    table_ = table;
    columns_ = columns;
    inserted_ = 0;
    pending_.clear();
    started_ = true;
    return Status::Ok();
  }

  Status AddRows(const std::vector<std::vector<DataValue>>& rows) override {
    if (!started_) return Status::Internal("rows sent before their table");
    for (const auto& row : rows) {
      if (row.size() != columns_.size()) {
        return Status::InvalidArgument("a row of table " + table_ + " has " +
                                       std::to_string(row.size()) + " values for " +
                                       std::to_string(columns_.size()) + " columns");
      }
    }
    return Guarded("copying rows into table " + table_, [&] {
      for (const auto& row : rows) {
        pending_.push_back(&row);
        if (pending_.size() >= kMaxInsertRows ||
            (pending_.size() + 1) * columns_.size() > kMaxParams) {
          Flush();
        }
      }
      Flush();  // the rows belong to the caller: nothing is kept past this call
      return Status::Ok();
    });
  }

  Status EndTable(std::int64_t rows, std::int64_t last_id) override {
    if (!started_) return Status::Internal("a table ended that did not begin");
    started_ = false;
    if (rows != inserted_) {
      return Status::Internal("the source announced " + std::to_string(rows) + " rows of table " +
                              table_ + " but sent " + std::to_string(inserted_));
    }
    announced_[table_] = {rows, last_id};
    order_.push_back(table_);
    return Status::Ok();
  }

  const std::vector<std::string>& order() const { return order_; }
  const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& announced() const {
    return announced_;
  }

 private:
  // Inserts the pending rows with one statement. Throws PgError.
  void Flush() {
    if (pending_.empty()) return;
    std::string sql =
        "INSERT INTO " + QuoteIdentifier(table_) + " (" + Joined(columns_) + ") VALUES ";
    PgParams params;
    size_t n = 0;
    for (size_t r = 0; r < pending_.size(); ++r) {
      sql += r == 0 ? "(" : ", (";
      for (size_t c = 0; c < columns_.size(); ++c) {
        sql += (c == 0 ? "$" : ", $") + std::to_string(++n);
        AddParam(params, (*pending_[r])[c], kinds_[c]);
      }
      sql += ")";
    }
    conn_.Exec(sql, params);
    inserted_ += static_cast<std::int64_t>(pending_.size());
    pending_.clear();
  }

  PgConnection& conn_;
  const std::map<std::string, CopyTable>& tables_;
  bool started_ = false;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<ColumnKind> kinds_;
  std::vector<const std::vector<DataValue>*> pending_;
  std::int64_t inserted_ = 0;
  std::vector<std::string> order_;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> announced_;  // rows, last id
};

}  // namespace

Status PgStore::ExportData(DataSink& sink) {
  return Guarded("reading the database for the copy", [&]() -> Status {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    // One snapshot for every table while other sessions go on writing.
    PgTransaction snapshot(conn, "ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const auto tables = ReadCopyTables(conn);
    for (const std::string& name : SendOrder(sink.TableOrder(), OwnOrder(tables))) {
      const CopyTable& t = tables.at(name);
      if (Status s = sink.BeginTable(name, t.columns); !s.ok()) return s;
      conn.Exec("DECLARE lessonbook_copy NO SCROLL CURSOR FOR SELECT " + Joined(t.columns) +
                " FROM " + QuoteIdentifier(name) +
                (t.key.empty() ? std::string() : " ORDER BY " + Joined(t.key)));
      std::int64_t rows = 0;
      while (true) {
        PgResult r = conn.Exec("FETCH " + std::to_string(kFetchRows) + " FROM lessonbook_copy");
        if (r.rows() == 0) break;
        std::vector<std::vector<DataValue>> batch;
        batch.reserve(static_cast<size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row) {
          std::vector<DataValue> values;
          values.reserve(t.columns.size());
          for (size_t c = 0; c < t.columns.size(); ++c) {
            values.push_back(ReadValue(r, row, static_cast<int>(c), t.kinds[c]));
          }
          batch.push_back(std::move(values));
        }
        rows += r.rows();
        if (Status s = sink.AddRows(batch); !s.ok()) return s;
      }
      conn.Exec("CLOSE lessonbook_copy");
      std::int64_t last_id = 0;
      if (!t.id_column.empty()) {
        last_id = conn.Exec("SELECT greatest(coalesce(max(" + QuoteIdentifier(t.id_column) +
                                "), 0), coalesce(pg_sequence_last_value($1::regclass), 0)) "
                                "FROM " +
                                QuoteIdentifier(name),
                            PgParams().Add(t.id_sequence))
                      .Int(0, 0);
      }
      if (Status s = sink.EndTable(rows, last_id); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

Result<ImportedData> PgStore::ImportData(const std::function<Status(DataSink&)>& produce) {
  return Guarded("copying rows into the database", [&]() -> Result<ImportedData> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    const auto tables = ReadCopyTables(conn);
    // No other session writes between the check that the tables are empty and the commit;
    // readers go on. A server still using the database makes the lock wait, then fail.
    conn.Exec("SET LOCAL lock_timeout = '10s'");
    std::string names;
    for (const auto& [name, t] : tables)
      names += (names.empty() ? "" : ", ") + QuoteIdentifier(name);
    if (!names.empty()) {
      try {
        conn.Exec("LOCK TABLE " + names + " IN EXCLUSIVE MODE");
      } catch (const PgError& e) {
        if (e.sqlstate() != "55P03") throw;
        return Status::Unavailable(
            "the target database is in use (its tables stayed locked for 10 s): stop the "
            "servers that use it and try again; nothing was written");
      }
    }
    const RowCounter count = [&conn](const std::string& table) { return Count(conn, table); };
    if (Status empty = CheckImportTargetEmpty(tables, count, "createdb NAME"); !empty.ok()) {
      return empty;
    }
    ImportSink sink(conn, tables);
    if (Status s = produce(sink); !s.ok()) return s;  // the transaction rolls back

    Result<ImportedData> report = VerifyImportedRows(sink.order(), sink.announced(), count);
    if (!report.ok()) return report.status();
    // Every sequence moves past the copied ids and the source's own counter, so an id handed
    // out before (a deleted lesson's included) is never handed out again.
    for (const auto& [name, t] : tables) {
      if (t.id_sequence.empty()) continue;
      auto announced = sink.announced().find(name);
      const std::int64_t last_id =
          announced == sink.announced().end() ? 0 : announced->second.second;
      conn.Exec(
          "SELECT setval($1::regclass, greatest(m, $2::bigint, 1), greatest(m, $2::bigint) "
          "> 0) FROM (SELECT coalesce(max(" +
              QuoteIdentifier(t.id_column) + "), 0) AS m FROM " + QuoteIdentifier(name) +
              ") AS copied",
          PgParams().Add(t.id_sequence).Add(last_id));
    }
    // Fresh statistics, so the first searches after the move get good plans (autovacuum would
    // analyze the new rows only later).
    if (!names.empty()) conn.Exec("ANALYZE " + names);
    tx.Commit();
    return report;
  });
}

}  // namespace lessonbook::pg
