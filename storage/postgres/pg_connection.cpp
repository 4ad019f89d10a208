#include "storage/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <cstdlib>

namespace lessonbook::pg {
namespace {

std::string Trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Throws unless r is a successful result; takes ownership of r either way.
PgResult Checked(PGconn* conn, PGresult* r) {
  PgResult owned(r);
  if (r == nullptr) throw PgError("", Trimmed(PQerrorMessage(conn)));
  const ExecStatusType status = PQresultStatus(r);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return owned;
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string message = Trimmed(PQresultErrorMessage(r));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn));
  throw PgError(state != nullptr ? state : "", message);
}

}  // namespace

PgResult::~PgResult() {
  if (r_ != nullptr) PQclear(r_);
}

int PgResult::rows() const { return PQntuples(r_); }

int PgResult::affected() const {
  const char* n = PQcmdTuples(r_);
  return n != nullptr && *n != '\0' ? std::atoi(n) : 0;
}

bool PgResult::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

std::string PgResult::Text(int row, int col) const {
  if (IsNull(row, col)) return "";
  return std::string(PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col)));
}

std::int64_t PgResult::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10);
}

double PgResult::Double(int row, int col) const {
  if (IsNull(row, col)) return 0;
  return std::strtod(PQgetvalue(r_, row, col), nullptr);
}

bool PgResult::Bool(int row, int col) const {
  const char* v = PQgetvalue(r_, row, col);
  return !IsNull(row, col) && v[0] == 't';
}

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (conn_ == nullptr) throw PgError("", "out of memory while connecting to PostgreSQL");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    throw PgError("", message);
  }
  // Quiet NOTICEs (e.g. "relation already exists, skipping"): they are not errors.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  Checked(conn_, PQexec(conn_, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

PgResult PgConnection::Exec(std::string_view sql, const PgParams& params) {
  const std::string query(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::optional<std::string>& v : params.values()) {
    values.push_back(v ? v->c_str() : nullptr);
  }
  return Checked(conn_, PQexecParams(conn_, query.c_str(), static_cast<int>(values.size()),
                                     nullptr, values.data(), nullptr, nullptr, 0));
}

void PgConnection::ExecScript(std::string_view sql) {
  const std::string script(sql);
  Checked(conn_, PQexec(conn_, script.c_str()));
}

bool PgConnection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

PgTransaction::PgTransaction(PgConnection& conn, std::string_view mode) : conn_(conn) {
  conn_.Exec(mode.empty() ? std::string("BEGIN") : "BEGIN " + std::string(mode));
}

PgTransaction::~PgTransaction() {
  if (done_) return;
  try {
    conn_.Exec("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is broken: healthy() is false and the pool drops it.
  }
}

void PgTransaction::Commit() {
  conn_.Exec("COMMIT");
  done_ = true;
}

}  // namespace lessonbook::pg
