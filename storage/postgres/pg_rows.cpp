#include "storage/postgres/pg_rows.h"

#include "storage/postgres/pg_connection.h"
#include "storage/sqlite/rows.h"

namespace lessonbook::pg {
namespace {

Time TimeAt(const PgResult& r, int row, int col) { return FromUnix(r.Int(row, col)); }

OutboxStatus ParseOutboxStatus(std::string_view s) {
  if (s == "sent") return OutboxStatus::kSent;
  if (s == "failed") return OutboxStatus::kFailed;
  return OutboxStatus::kPending;
}

}  // namespace

Lesson ReadLesson(const PgResult& r, int row, int f) {
  Lesson l;
  l.id = r.Int(row, f + 0);
  l.workspace_id = r.Int(row, f + 1);
  l.title = r.Text(row, f + 2);
  l.body = r.Text(row, f + 3);
  l.outcome = ParseOutcome(r.Text(row, f + 4)).value_or(Outcome::kInsight);
  l.tags = sqlite::SplitTags(r.Text(row, f + 5));
  l.campaign = r.Text(row, f + 6);
  l.author = r.Text(row, f + 7);
  l.source = ParseLessonSource(r.Text(row, f + 8)).value_or(LessonSource::kManual);
  l.created_at = TimeAt(r, row, f + 9);
  l.updated_at = TimeAt(r, row, f + 10);
  l.confirmations = static_cast<int>(r.Int(row, f + 11));
  l.contradictions = static_cast<int>(r.Int(row, f + 12));
  return l;
}

Workspace ReadWorkspace(const PgResult& r, int row) {
  Workspace w;
  w.id = r.Int(row, 0);
  w.platform = ParsePlatform(r.Text(row, 1)).value_or(Platform::kWeb);
  w.external_id = r.Text(row, 2);
  w.name = r.Text(row, 3);
  w.timezone = r.Text(row, 4);
  w.bot_token = r.Text(row, 5);
  w.created_at = TimeAt(r, row, 6);
  return w;
}

InboxEvent ReadInboxEvent(const PgResult& r, int row) {
  InboxEvent e;
  e.id = r.Int(row, 0);
  e.platform = ParsePlatform(r.Text(row, 1)).value_or(Platform::kWeb);
  e.event_id = r.Text(row, 2);
  e.workspace_id = r.Int(row, 3);
  e.payload = r.Text(row, 4);
  e.handled = r.Bool(row, 5);
  e.received_at = TimeAt(r, row, 6);
  return e;
}

OutboxMessage ReadOutboxMessage(const PgResult& r, int row) {
  OutboxMessage m;
  m.id = r.Int(row, 0);
  m.workspace_id = r.Int(row, 1);
  m.platform = ParsePlatform(r.Text(row, 2)).value_or(Platform::kWeb);
  m.target = r.Text(row, 3);
  m.message = r.Text(row, 4);
  m.dedupe_key = r.Text(row, 5);  // NULL reads as ""
  m.attempts = static_cast<int>(r.Int(row, 6));
  m.next_attempt_at = TimeAt(r, row, 7);
  m.claimed_by = r.Text(row, 8);
  m.lease_until = TimeAt(r, row, 9);
  m.status = ParseOutboxStatus(r.Text(row, 10));
  m.last_error = r.Text(row, 11);
  m.created_at = TimeAt(r, row, 12);
  m.sent_at = TimeAt(r, row, 13);
  return m;
}

std::int64_t InsertOutboxRow(PgConnection& conn, const OutboxMessage& m) {
  PgResult r = conn.Exec(
      "INSERT INTO outbox (workspace_id, platform, target, message, dedupe_key, "
      "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id",
      PgParams()
          .Add(static_cast<std::int64_t>(m.workspace_id))
          .Add(PlatformName(m.platform))
          .Add(m.target)
          .Add(m.message)
          .AddOrNull(m.dedupe_key)
          .Add(Unix(m.next_attempt_at))
          .Add(Unix(m.created_at)));
  return r.rows() == 1 ? r.Int(0, 0) : 0;
}

}  // namespace lessonbook::pg
