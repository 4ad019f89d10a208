#include "storage/sqlite/rows.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/sqlite/fts_query.h"

namespace lessonbook::sqlite {
namespace {

Time TimeAt(const SQLite::Statement& row, int i) { return FromUnix(row.getColumn(i).getInt64()); }

OutboxStatus ParseOutboxStatus(std::string_view s) {
  if (s == "sent") return OutboxStatus::kSent;
  if (s == "failed") return OutboxStatus::kFailed;
  return OutboxStatus::kPending;
}

}  // namespace

std::string JoinTags(const std::vector<std::string>& tags) {
  std::vector<std::string> seen;
  std::string out;
  for (const std::string& tag : tags) {
    std::string t = NormalizeTag(tag);
    if (t.find_first_not_of(' ') == std::string::npos) continue;
    if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(t);
    seen.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> SplitTags(std::string_view joined) {
  std::vector<std::string> tags;
  while (!joined.empty()) {
    const size_t space = joined.find(' ');
    std::string_view tag = joined.substr(0, space);
    if (!tag.empty()) tags.emplace_back(tag);
    if (space == std::string_view::npos) break;
    joined.remove_prefix(space + 1);
  }
  return tags;
}

Lesson ReadLesson(const SQLite::Statement& row) {
  Lesson l;
  l.id = row.getColumn(0).getInt64();
  l.workspace_id = row.getColumn(1).getInt64();
  l.title = row.getColumn(2).getString();
  l.body = row.getColumn(3).getString();
  l.outcome = ParseOutcome(row.getColumn(4).getString()).value_or(Outcome::kInsight);
  l.tags = SplitTags(row.getColumn(5).getString());
  l.campaign = row.getColumn(6).getString();
  l.author = row.getColumn(7).getString();
  l.source = ParseLessonSource(row.getColumn(8).getString()).value_or(LessonSource::kManual);
  l.created_at = TimeAt(row, 9);
  l.updated_at = TimeAt(row, 10);
  l.confirmations = row.getColumn(11).getInt();
  l.contradictions = row.getColumn(12).getInt();
  return l;
}

Workspace ReadWorkspace(const SQLite::Statement& row) {
  Workspace w;
  w.id = row.getColumn(0).getInt64();
  w.platform = ParsePlatform(row.getColumn(1).getString()).value_or(Platform::kWeb);
  w.external_id = row.getColumn(2).getString();
  w.name = row.getColumn(3).getString();
  w.timezone = row.getColumn(4).getString();
  w.bot_token = row.getColumn(5).getString();
  w.created_at = TimeAt(row, 6);
  return w;
}

InboxEvent ReadInboxEvent(const SQLite::Statement& row) {
  InboxEvent e;
  e.id = row.getColumn(0).getInt64();
  e.platform = ParsePlatform(row.getColumn(1).getString()).value_or(Platform::kWeb);
  e.event_id = row.getColumn(2).getString();
  e.workspace_id = row.getColumn(3).getInt64();
  e.payload = row.getColumn(4).getString();
  e.handled = row.getColumn(5).getInt() != 0;
  e.received_at = TimeAt(row, 6);
  return e;
}

OutboxMessage ReadOutboxMessage(const SQLite::Statement& row) {
  OutboxMessage m;
  m.id = row.getColumn(0).getInt64();
  m.workspace_id = row.getColumn(1).getInt64();
  m.platform = ParsePlatform(row.getColumn(2).getString()).value_or(Platform::kWeb);
  m.target = row.getColumn(3).getString();
  m.message = row.getColumn(4).getString();
  m.dedupe_key = row.getColumn(5).getString();  // NULL reads as ""
  m.attempts = row.getColumn(6).getInt();
  m.next_attempt_at = TimeAt(row, 7);
  m.claimed_by = row.getColumn(8).getString();
  m.lease_until = TimeAt(row, 9);
  m.status = ParseOutboxStatus(row.getColumn(10).getString());
  m.last_error = row.getColumn(11).getString();
  m.created_at = TimeAt(row, 12);
  m.sent_at = TimeAt(row, 13);
  return m;
}

}  // namespace lessonbook::sqlite
