// Mapping between table rows and domain values for the SQLite store: the column lists each query
// selects, and readers that build a value from a statement's current row.
// Thread-safety: pure functions. Readers throw SQLite::Exception like the statement does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"

namespace SQLite {
class Statement;
}  // namespace SQLite

namespace lessonbook::sqlite {

inline std::int64_t Unix(Time t) { return static_cast<std::int64_t>(ToUnix(t)); }

// Tags as stored: normalized (see NormalizeTag), empty and repeated ones dropped, space-joined.
std::string JoinTags(const std::vector<std::string>& tags);
std::vector<std::string> SplitTags(std::string_view joined);

// Columns of `lessons` (no alias) in the order ReadLesson expects.
inline constexpr const char* kLessonColumns =
    "id, workspace_id, title, body, outcome, tags, campaign, author, source, created_at, "
    "updated_at, confirmations, contradictions";
Lesson ReadLesson(const SQLite::Statement& row);

// Columns of `workspaces` (no admins: they live in workspace_admins).
inline constexpr const char* kWorkspaceColumns =
    "id, platform, external_id, name, timezone, bot_token, created_at";
Workspace ReadWorkspace(const SQLite::Statement& row);

inline constexpr const char* kInboxColumns =
    "id, platform, event_id, workspace_id, payload, handled, received_at";
InboxEvent ReadInboxEvent(const SQLite::Statement& row);

inline constexpr const char* kOutboxColumns =
    "id, workspace_id, platform, target, message, dedupe_key, attempts, next_attempt_at, "
    "claimed_by, lease_until, status, last_error, created_at, sent_at";
OutboxMessage ReadOutboxMessage(const SQLite::Statement& row);

class Connection;
// Inserts an outbox row inside the caller's transaction; 0 when its dedupe key exists already.
std::int64_t InsertOutboxRow(Connection& conn, const OutboxMessage& m);

}  // namespace lessonbook::sqlite
