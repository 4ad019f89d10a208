// PgConnection: one libpq connection to PostgreSQL, with statements run by text-format bound
// parameters ($1, $2, …) — user values are never spliced into SQL. PgResult owns a PGresult,
// PgTransaction is a scoped BEGIN … COMMIT that rolls back when it leaves scope uncommitted.
//
// Thread-safety: a connection is used by one thread at a time (the pool hands it out).
// Errors: methods throw PgError (a std::runtime_error carrying the SQLSTATE); callers run them
// inside pg::Guarded(), which turns them into a Status.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace lessonbook::pg {

// A failed libpq call. sqlstate() is the five-character SQLSTATE ("23505"), or empty when the
// connection itself failed (no server answer).
class PgError : public std::runtime_error {
 public:
  PgError(std::string sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool connection_lost() const { return sqlstate_.empty() || sqlstate_.rfind("08", 0) == 0; }

 private:
  std::string sqlstate_;
};

// Bound parameters in text format; nullopt is SQL NULL.
class PgParams {
 public:
  PgParams() = default;
  PgParams& Add(std::int64_t v) {
    values_.push_back(std::to_string(v));
    return *this;
  }
  PgParams& Add(int v) { return Add(static_cast<std::int64_t>(v)); }
  PgParams& Add(bool v) {
    values_.push_back(v ? "true" : "false");
    return *this;
  }
  PgParams& Add(std::string_view v) {
    values_.emplace_back(std::string(v));
    return *this;
  }
  PgParams& Add(const std::string& v) { return Add(std::string_view(v)); }
  PgParams& Add(const char* v) { return Add(std::string_view(v)); }
  PgParams& AddNull() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  // NULL when v is empty.
  PgParams& AddOrNull(std::string_view v) { return v.empty() ? AddNull() : Add(v); }
  size_t size() const { return values_.size(); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // Rows an INSERT/UPDATE/DELETE changed.
  int affected() const;
  bool IsNull(int row, int col) const;
  std::string Text(int row, int col) const;  // "" for NULL
  std::int64_t Int(int row, int col) const;  // 0 for NULL
  double Double(int row, int col) const;
  bool Bool(int row, int col) const;

 private:
  pg_result* r_;
};

class PgConnection {
 public:
  // Connects; throws PgError with libpq's message (the password is never part of it).
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with bound parameters. Throws PgError.
  PgResult Exec(std::string_view sql, const PgParams& params = {});
  // Runs a script of several statements without parameters (migrations). Throws PgError.
  void ExecScript(std::string_view sql);
  // False once the connection was lost (a later lease reconnects).
  bool healthy() const;

 private:
  pg_conn* conn_;
};

// BEGIN on construction (with `mode`, e.g. "ISOLATION LEVEL REPEATABLE READ READ ONLY");
// ROLLBACK on destruction unless Commit() ran.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn, std::string_view mode = {});
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void Commit();

 private:
  PgConnection& conn_;
  bool done_ = false;
};

}  // namespace lessonbook::pg
