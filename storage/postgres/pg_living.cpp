// PgStore: living lessons — similar lessons, evidence between lessons, and server secrets.
// The lessons' confirmations/contradictions follow from lesson_evidence by a trigger
// (storage/migrations/postgres/0006_evidence.sql), as in the SQLite store.
#include <algorithm>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/similarity.h"
#include "storage/sqlite/text.h"

namespace lessonbook::pg {
namespace {

using sqlite::SignificantTerms;
using sqlite::Term;
using sqlite::TermSimilarity;

// The same limits as the SQLite store's SimilarLessons.
constexpr size_t kMaxQueryTerms = 40;
constexpr int kCandidates = 60;
constexpr int kMaxLimit = 20;
constexpr int kMaxList = 5000;

Status LessonNotFound(LessonId id) {
  return Status::NotFound("lesson " + std::to_string(id) + " was not found in this workspace");
}

}  // namespace

// Candidates: lessons of the workspace whose title or body (weights A and D of `search`) match
// any of the lesson's significant words (plainto_tsquery per word, OR-joined with ||, so lesson
// text is never tsquery syntax), best ts_rank_cd first; each is then scored by TermSimilarity
// like in the SQLite store, so one threshold serves both.
Result<std::vector<SimilarLesson>> PgStore::SimilarLessons(const Lesson& lesson, int limit,
                                                           double min_similarity) {
  return Guarded("finding similar lessons", [&]() -> Result<std::vector<SimilarLesson>> {
    std::vector<SimilarLesson> out;
    limit = std::clamp(limit, 0, kMaxLimit);
    const std::vector<Term> terms = SignificantTerms(lesson.title, lesson.body);
    if (terms.empty() || limit == 0) return out;
    PgParams params;
    params.Add(lesson.workspace_id).Add(lesson.id).Add(kCandidates);
    std::string query = "(SELECT ";
    for (size_t i = 0; i < terms.size() && i < kMaxQueryTerms; ++i) {
      if (i > 0) query += " || ";
      params.Add(terms[i].word);
      query += "plainto_tsquery('lessonbook_english', $" + std::to_string(params.size()) + ")";
    }
    query += " AS q) AS words";
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgResult r = conn.Exec(
        std::string("SELECT ") + kLessonColumns + " FROM lessons, " + query +
            " WHERE workspace_id = $1 AND id <> $2 AND search @@ q AND "
            "ts_filter(search, '{a,d}') @@ q "
            "ORDER BY ts_rank_cd(ts_filter(search, '{a,d}'), q) DESC, id DESC LIMIT $3",
        params);
    for (int row = 0; row < r.rows(); ++row) {
      Lesson other = ReadLesson(r, row);
      const double similarity = TermSimilarity(terms, SignificantTerms(other.title, other.body));
      if (similarity < min_similarity) continue;
      out.push_back(SimilarLesson{std::move(other), similarity});
    }
    std::stable_sort(out.begin(), out.end(), [](const SimilarLesson& a, const SimilarLesson& b) {
      if (a.similarity != b.similarity) return a.similarity > b.similarity;
      return a.lesson.id > b.lesson.id;  // the newer one first on a tie
    });
    if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
    return out;
  });
}

Result<Lesson> PgStore::RecordEvidence(WorkspaceId ws, LessonId lesson_id,
                                       LessonId evidence_lesson_id,
                                       std::optional<EvidenceKind> kind,
                                       std::string_view recorded_by, Time now) {
  if (lesson_id == evidence_lesson_id) {
    return Status::InvalidArgument("a lesson cannot confirm or contradict itself");
  }
  return Guarded("recording evidence", [&]() -> Result<Lesson> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    // Locks the lesson that gains evidence: two replicas recording on it count in turn.
    if (conn.Exec("SELECT 1 FROM lessons WHERE workspace_id = $1 AND id = $2 FOR UPDATE",
                  PgParams().Add(ws).Add(lesson_id))
            .rows() == 0) {
      return LessonNotFound(lesson_id);
    }
    std::optional<Lesson> evidence = LoadLesson(conn, ws, evidence_lesson_id);
    if (!evidence) return LessonNotFound(evidence_lesson_id);
    if (kind) {
      conn.Exec(
          "INSERT INTO lesson_evidence (workspace_id, lesson_id, evidence_lesson_id, campaign, "
          "kind, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
          "ON CONFLICT (lesson_id, evidence_lesson_id) DO UPDATE SET "
          "campaign = excluded.campaign, kind = excluded.kind, "
          "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at "
          "WHERE lesson_evidence.kind <> excluded.kind OR "
          "lesson_evidence.campaign <> excluded.campaign",
          PgParams()
              .Add(ws)
              .Add(lesson_id)
              .Add(evidence_lesson_id)
              .Add(evidence->campaign)
              .Add(EvidenceKindName(*kind))
              .Add(sqlite::ValidUtf8(recorded_by))
              .Add(Unix(now)));
    } else {
      conn.Exec(
          "DELETE FROM lesson_evidence WHERE lesson_id = $1 AND evidence_lesson_id = $2 AND "
          "workspace_id = $3",
          PgParams().Add(lesson_id).Add(evidence_lesson_id).Add(ws));
    }
    std::optional<Lesson> updated = LoadLesson(conn, ws, lesson_id);
    tx.Commit();
    return *updated;
  });
}

Result<std::vector<EvidenceRecord>> PgStore::ListEvidenceRecorded(WorkspaceId ws, Time from,
                                                                  Time to, int limit) {
  return Guarded("listing evidence", [&]() -> Result<std::vector<EvidenceRecord>> {
    PgLease lease = pool_->Lease();
    PgResult r = lease.conn().Exec(
        "SELECT lesson_id, evidence_lesson_id, campaign, kind, recorded_by, recorded_at "
        "FROM lesson_evidence WHERE workspace_id = $1 AND recorded_at >= $2 AND "
        "recorded_at < $3 ORDER BY recorded_at, lesson_id, evidence_lesson_id LIMIT $4",
        PgParams().Add(ws).Add(Unix(from)).Add(Unix(to)).Add(std::clamp(limit, 0, kMaxList)));
    std::vector<EvidenceRecord> out;
    for (int row = 0; row < r.rows(); ++row) {
      EvidenceRecord e;
      e.workspace_id = ws;
      e.lesson_id = r.Int(row, 0);
      e.evidence_lesson_id = r.Int(row, 1);
      e.campaign = r.Text(row, 2);
      e.kind = r.Text(row, 3) == "contradicts" ? EvidenceKind::kContradicts
                                               : EvidenceKind::kConfirms;
      e.recorded_by = r.Text(row, 4);
      e.recorded_at = FromUnix(r.Int(row, 5));
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::string> PgStore::KeepSecret(std::string_view name, std::string_view candidate) {
  return Guarded("keeping a server secret", [&]() -> Result<std::string> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    // The INSERT waits for a concurrent one of the same name, so the SELECT sees the winner.
    conn.Exec(
        "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        PgParams().Add(name).Add(candidate));
    PgResult r =
        conn.Exec("SELECT value FROM server_secrets WHERE name = $1", PgParams().Add(name));
    if (r.rows() == 0) return Status::Internal("the secret was not kept");
    return r.Text(0, 0);
  });
}

}  // namespace lessonbook::pg
