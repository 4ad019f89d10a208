// SqliteStore: the whole database as rows for another store (ExportData), and an empty database
// filled from another store's rows (ImportData) — `lessonbook migrate`.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <set>

#include "storage/import_checks.h"
#include "storage/sql_identifier.h"
#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/search_index.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/workspace_cache.h"
#include "storage/table_order.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

constexpr size_t kBatchRows = 500;

// A table that is copied: its columns, key and id counter.
struct CopyTable {
  std::vector<std::string> columns;
  std::vector<std::string> key;  // primary key columns in key order; empty: by rowid
  std::string id_column;         // the INTEGER PRIMARY KEY (the rowid) or ""
  bool autoincrement = false;    // its id counter lives in sqlite_sequence
  std::set<std::string> parents;
};

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Not copied: SQLite's own tables, what the store derives (the FTS5 index and its shadow tables,
// the search cache's generations and the tags' rows, which the lessons triggers rebuild) and
// process state (applied migrations, leadership leases).
bool IsCopied(const std::string& name, const std::set<std::string>& virtual_tables) {
  static const std::set<std::string> kNotCopied = {"schema_migrations", "leases",
                                                   "lesson_generations", "lesson_tags"};
  if (name.rfind("sqlite_", 0) == 0 || kNotCopied.count(name)) return false;
  if (virtual_tables.count(name)) return false;
  for (const std::string& vt : virtual_tables) {
    if (name.rfind(vt + "_", 0) == 0) return false;
  }
  return true;
}

std::map<std::string, CopyTable> ReadCopyTables(SQLite::Database& db) {
  std::map<std::string, std::string> sql_of;
  std::set<std::string> virtual_tables;
  {
    SQLite::Statement q(db,
                        "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table'");
    while (q.executeStep()) {
      const std::string name = q.getColumn(0).getString();
      const std::string sql = Upper(q.getColumn(1).getString());
      sql_of[name] = sql;
      if (sql.rfind("CREATE VIRTUAL TABLE", 0) == 0) virtual_tables.insert(name);
    }
  }
  std::map<std::string, CopyTable> tables;
  for (const auto& [name, sql] : sql_of) {
    if (!IsCopied(name, virtual_tables)) continue;
    CopyTable t;
    std::vector<std::pair<int, std::string>> key;
    std::string single_key_type;
    {
      SQLite::Statement cols(db,
                             "SELECT name, upper(type), pk FROM pragma_table_info(?) ORDER BY cid");
      cols.bind(1, name);
      while (cols.executeStep()) {
        t.columns.push_back(cols.getColumn(0).getString());
        if (int pk = cols.getColumn(2).getInt(); pk > 0) {
          key.emplace_back(pk, t.columns.back());
          single_key_type = cols.getColumn(1).getString();
        }
      }
    }
    std::sort(key.begin(), key.end());
    for (const auto& [position, column] : key) t.key.push_back(column);
    const bool rowid_table = sql.find("WITHOUT ROWID") == std::string::npos;
    if (rowid_table && key.size() == 1 && single_key_type == "INTEGER") t.id_column = t.key[0];
    t.autoincrement = !t.id_column.empty() && sql.find("AUTOINCREMENT") != std::string::npos;
    {
      SQLite::Statement fks(db, "SELECT \"table\" FROM pragma_foreign_key_list(?)");
      fks.bind(1, name);
      while (fks.executeStep()) t.parents.insert(fks.getColumn(0).getString());
    }
    tables[name] = std::move(t);
  }
  return tables;
}

std::vector<std::string> OwnOrder(const std::map<std::string, CopyTable>& tables) {
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& [name, t] : tables) parents[name] = t.parents;
  return ParentsFirst(parents);
}

std::string Joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + QuoteIdentifier(c);
  return out;
}

DataValue ReadValue(const SQLite::Column& c) {
  if (c.isInteger()) return c.getInt64();
  if (c.isFloat()) return c.getDouble();
  if (c.isNull()) return std::monostate{};
  return c.getString();  // TEXT (and BLOB, as its bytes)
}

void Bind(SQLite::Statement& s, int index, const DataValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    s.bind(index, static_cast<int64_t>(*i));
  } else if (const auto* d = std::get_if<double>(&v)) {
    s.bind(index, *d);
  } else if (const auto* text = std::get_if<std::string>(&v)) {
    s.bind(index, *text);
  } else {
    s.bind(index);
  }
}

std::int64_t Count(SQLite::Database& db, const std::string& table) {
  SQLite::Statement q(db, "SELECT count(*) FROM " + QuoteIdentifier(table));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// Writes the rows it is sent into the tables of an empty database, inside the caller's
// transaction, and remembers what each table should hold.
class ImportSink final : public DataSink {
 public:
  ImportSink(SQLite::Database& db, const std::map<std::string, CopyTable>& tables)
      : db_(db), tables_(tables) {}

  std::vector<std::string> TableOrder() const override { return OwnOrder(tables_); }

  Status BeginTable(const std::string& table, const std::vector<std::string>& columns) override {
    auto it = tables_.find(table);
    if (it == tables_.end()) {
      return Status::InvalidArgument("the source has a table " + table +
                                     " that this SQLite database does not have: both must be "
                                     "at the same schema version of the same Lessonbook");
    }
    for (const std::string& c : columns) {
      if (std::find(it->second.columns.begin(), it->second.columns.end(), c) ==
          it->second.columns.end()) {
        return Status::InvalidArgument("the source's table " + table + " has a column " + c +
                                       " that this SQLite database does not have");
      }
    }
    if (announced_.count(table)) {
      return Status::InvalidArgument("the source sent the table " + table + " twice");
    }
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) marks += i == 0 ? "?" : ", ?";
    return Guarded("preparing the copy of table " + table, [&] {
      insert_ = std::make_unique<SQLite::Statement>(db_, "INSERT INTO " + QuoteIdentifier(table) +
                                                             " (" + Joined(columns) + ") VALUES (" +
                                                             marks + ")");
      table_ = table;
      width_ = columns.size();
      inserted_ = 0;
      return Status::Ok();
    });
  }

  Status AddRows(const std::vector<std::vector<DataValue>>& rows) override {
    if (!insert_) return Status::Internal("rows sent before their table");
    return Guarded("copying rows into table " + table_, [&] {
      for (const auto& row : rows) {
        if (row.size() != width_) {
          return Status::InvalidArgument("a row of table " + table_ + " has " +
                                         std::to_string(row.size()) + " values for " +
                                         std::to_string(width_) + " columns");
        }
        insert_->reset();
        for (size_t i = 0; i < row.size(); ++i) Bind(*insert_, static_cast<int>(i + 1), row[i]);
        insert_->exec();
        ++inserted_;
      }
      return Status::Ok();
    });
  }

  Status EndTable(std::int64_t rows, std::int64_t last_id) override {
    if (!insert_) return Status::Internal("a table ended that did not begin");
    insert_.reset();
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
  SQLite::Database& db_;
  const std::map<std::string, CopyTable>& tables_;
  std::unique_ptr<SQLite::Statement> insert_;
  std::string table_;
  size_t width_ = 0;
  std::int64_t inserted_ = 0;
  std::vector<std::string> order_;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> announced_;  // rows, last id
};

}  // namespace

Status SqliteStore::ExportData(DataSink& sink) {
  return Guarded("reading the database for the copy", [&]() -> Status {
    ConnectionLease reader = pool_->Reader();
    SQLite::Database& db = reader.db();
    // One read transaction: every table from the same snapshot while writers go on. It only
    // reads, so leaving it (the destructor rolls back) changes nothing.
    SQLite::Transaction snapshot(db, TransactionBehavior::DEFERRED);
    const auto tables = ReadCopyTables(db);
    for (const std::string& name : SendOrder(sink.TableOrder(), OwnOrder(tables))) {
      const CopyTable& t = tables.at(name);
      if (Status s = sink.BeginTable(name, t.columns); !s.ok()) return s;
      SQLite::Statement q(db, "SELECT " + Joined(t.columns) + " FROM " + QuoteIdentifier(name) +
                                  " ORDER BY " + (t.key.empty() ? "rowid" : Joined(t.key)));
      std::vector<std::vector<DataValue>> batch;
      std::int64_t rows = 0;
      while (q.executeStep()) {
        std::vector<DataValue> row;
        row.reserve(t.columns.size());
        for (int i = 0; i < q.getColumnCount(); ++i) row.push_back(ReadValue(q.getColumn(i)));
        batch.push_back(std::move(row));
        ++rows;
        if (batch.size() == kBatchRows) {
          if (Status s = sink.AddRows(batch); !s.ok()) return s;
          batch.clear();
        }
      }
      if (!batch.empty()) {
        if (Status s = sink.AddRows(batch); !s.ok()) return s;
      }
      std::int64_t last_id = 0;
      if (!t.id_column.empty()) {
        SQLite::Statement max(db, "SELECT coalesce(max(" + QuoteIdentifier(t.id_column) +
                                      "), 0) FROM " + QuoteIdentifier(name));
        max.executeStep();
        last_id = max.getColumn(0).getInt64();
      }
      if (t.autoincrement) {
        SQLite::Statement seq(db, "SELECT seq FROM sqlite_sequence WHERE name = ?");
        seq.bind(1, name);
        if (seq.executeStep()) last_id = std::max(last_id, seq.getColumn(0).getInt64());
      }
      if (Status s = sink.EndTable(rows, last_id); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

Result<ImportedData> SqliteStore::ImportData(const std::function<Status(DataSink&)>& produce) {
  ForgetWorkspacesOnExit forget(*workspaces_);
  return Guarded("copying rows into the database", [&]() -> Result<ImportedData> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Database& db = writer.db();
    // IMMEDIATE: the write lock from the start, so no other process writes between the check
    // that the database is empty and the commit.
    SQLite::Transaction tx(db, TransactionBehavior::IMMEDIATE);
    const auto tables = ReadCopyTables(db);
    const RowCounter count = [&db](const std::string& table) { return Count(db, table); };
    if (Status empty = CheckImportTargetEmpty(tables, count, "a new file name"); !empty.ok()) {
      return empty;
    }
    ImportSink sink(db, tables);
    if (Status s = produce(sink); !s.ok()) return s;  // the transaction rolls back

    Result<ImportedData> report = VerifyImportedRows(sink.order(), sink.announced(), count);
    if (!report.ok()) return report.status();
    for (const std::string& name : sink.order()) {
      const std::int64_t last_id = sink.announced().at(name).second;
      const CopyTable& t = tables.at(name);
      if (t.autoincrement && last_id > 0) {
        // Ids handed out before (deleted rows included) are never handed out again.
        SQLite::Statement upd(db, "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?");
        upd.bind(1, static_cast<int64_t>(last_id));
        upd.bind(2, name);
        if (upd.exec() == 0) {
          SQLite::Statement ins(db, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)");
          ins.bind(1, name);
          ins.bind(2, static_cast<int64_t>(last_id));
          ins.exec();
        }
      }
    }
    if (db.tableExists("lessons_fts")) {
      MergeSearchIndex(db);  // a copy's index is rebuilt row by row: one b-tree searches faster
      try {
        db.exec("INSERT INTO lessons_fts (lessons_fts, rank) VALUES ('integrity-check', 1)");
      } catch (const SQLite::Exception& e) {
        return Status::Internal(
            std::string("the search index does not match the copied lessons: ") + e.what());
      }
    }
    tx.commit();
    return report;
  });
}

}  // namespace lessonbook::sqlite
