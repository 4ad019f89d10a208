// Mapping between table rows and domain values for the PostgreSQL store: the column lists each
// query selects (the same as the SQLite store's, so the two stay easy to compare) and readers
// that build a value from a result row. Times are Unix seconds in BIGINT columns.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "bot/domain.h"

namespace lessonbook::pg {

class PgResult;
class PgConnection;

inline std::int64_t Unix(Time t) { return static_cast<std::int64_t>(ToUnix(t)); }

inline constexpr const char* kLessonColumns =
    "id, workspace_id, title, body, outcome, tags, campaign, author, source, created_at, "
    "updated_at, confirmations, contradictions";
// Reads kLessonColumns starting at column `first`.
Lesson ReadLesson(const PgResult& r, int row, int first = 0);

inline constexpr const char* kWorkspaceColumns =
    "id, platform, external_id, name, timezone, bot_token, created_at";
Workspace ReadWorkspace(const PgResult& r, int row);

inline constexpr const char* kInboxColumns =
    "id, platform, event_id, workspace_id, payload, handled, received_at";
InboxEvent ReadInboxEvent(const PgResult& r, int row);

inline constexpr const char* kOutboxColumns =
    "id, workspace_id, platform, target, message, dedupe_key, attempts, next_attempt_at, "
    "claimed_by, lease_until, status, last_error, created_at, sent_at";
OutboxMessage ReadOutboxMessage(const PgResult& r, int row);

// Inserts an outbox row inside the caller's transaction; 0 when its dedupe key exists already.
std::int64_t InsertOutboxRow(PgConnection& conn, const OutboxMessage& m);

}  // namespace lessonbook::pg
