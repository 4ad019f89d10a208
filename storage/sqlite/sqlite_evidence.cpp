// SqliteStore: evidence between lessons (storage/migrations/sqlite/0006_evidence.sql). The
// lessons' confirmations/contradictions follow from the rows by triggers, so recording, changing,
// withdrawing and deleting a lesson all keep the counts right in the same transaction.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

constexpr int kMaxList = 5000;

Status LessonNotFound(LessonId id) {
  return Status::NotFound("lesson " + std::to_string(id) + " was not found in this workspace");
}

}  // namespace

Result<Lesson> SqliteStore::RecordEvidence(WorkspaceId ws, LessonId lesson_id,
                                           LessonId evidence_lesson_id,
                                           std::optional<EvidenceKind> kind,
                                           std::string_view recorded_by, Time now) {
  if (lesson_id == evidence_lesson_id) {
    return Status::InvalidArgument("a lesson cannot confirm or contradict itself");
  }
  return Guarded("recording evidence", [&]() -> Result<Lesson> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    if (!LoadLesson(writer.conn(), ws, lesson_id)) return LessonNotFound(lesson_id);
    std::optional<Lesson> evidence = LoadLesson(writer.conn(), ws, evidence_lesson_id);
    if (!evidence) return LessonNotFound(evidence_lesson_id);
    if (kind) {
      CachedStatement up(
          writer.conn(),
          "INSERT INTO lesson_evidence (workspace_id, lesson_id, evidence_lesson_id, "
          "campaign, kind, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (lesson_id, evidence_lesson_id) DO UPDATE SET "
          "campaign = excluded.campaign, kind = excluded.kind, "
          "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at "
          "WHERE kind <> excluded.kind OR campaign <> excluded.campaign");
      up->bind(1, static_cast<std::int64_t>(ws));
      up->bind(2, static_cast<std::int64_t>(lesson_id));
      up->bind(3, static_cast<std::int64_t>(evidence_lesson_id));
      up->bind(4, evidence->campaign);
      up->bind(5, EvidenceKindName(*kind));
      up->bind(6, ValidUtf8(recorded_by));
      up->bind(7, Unix(now));
      up->exec();
    } else {
      CachedStatement del(writer.conn(),
                          "DELETE FROM lesson_evidence WHERE lesson_id = ? AND "
                          "evidence_lesson_id = ? AND workspace_id = ?");
      del->bind(1, static_cast<std::int64_t>(lesson_id));
      del->bind(2, static_cast<std::int64_t>(evidence_lesson_id));
      del->bind(3, static_cast<std::int64_t>(ws));
      del->exec();
    }
    std::optional<Lesson> updated = LoadLesson(writer.conn(), ws, lesson_id);
    tx.commit();
    return *updated;
  });
}

Result<std::vector<EvidenceRecord>> SqliteStore::ListEvidenceRecorded(WorkspaceId ws, Time from,
                                                                      Time to, int limit) {
  return Guarded("listing evidence", [&]() -> Result<std::vector<EvidenceRecord>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(),
                      "SELECT lesson_id, evidence_lesson_id, campaign, kind, recorded_by, "
                      "recorded_at FROM lesson_evidence WHERE workspace_id = ? AND "
                      "recorded_at >= ? AND recorded_at < ? "
                      "ORDER BY recorded_at, lesson_id, evidence_lesson_id LIMIT ?");
    q->bind(1, static_cast<std::int64_t>(ws));
    q->bind(2, Unix(from));
    q->bind(3, Unix(to));
    q->bind(4, std::clamp(limit, 0, kMaxList));
    std::vector<EvidenceRecord> out;
    while (q->executeStep()) {
      EvidenceRecord e;
      e.workspace_id = ws;
      e.lesson_id = q->getColumn(0).getInt64();
      e.evidence_lesson_id = q->getColumn(1).getInt64();
      e.campaign = q->getColumn(2).getString();
      e.kind = q->getColumn(3).getString() == "contradicts" ? EvidenceKind::kContradicts
                                                            : EvidenceKind::kConfirms;
      e.recorded_by = q->getColumn(4).getString();
      e.recorded_at = FromUnix(q->getColumn(5).getInt64());
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace lessonbook::sqlite
