// SqliteStore: workspace settings, digest subscriptions and runs, searches that found nothing,
// and outbox pacing.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

constexpr const char* kSubscriptionColumns =
    "id, workspace_id, platform, channel_id, target, weekday, minute_of_day, timezone, "
    "created_by, created_at";

DigestSubscription ReadSubscription(const SQLite::Statement& row) {
  DigestSubscription s;
  s.id = row.getColumn(0).getInt64();
  s.workspace_id = row.getColumn(1).getInt64();
  s.platform = ParsePlatform(row.getColumn(2).getString()).value_or(Platform::kWeb);
  s.channel_id = row.getColumn(3).getString();
  s.target = row.getColumn(4).getString();
  s.weekday = row.getColumn(5).getInt();
  s.minute_of_day = row.getColumn(6).getInt();
  s.timezone = row.getColumn(7).getString();
  s.created_by = row.getColumn(8).getString();
  s.created_at = FromUnix(row.getColumn(9).getInt64());
  return s;
}

}  // namespace

Status SqliteStore::DeferOutbox(std::int64_t id, Time next_attempt) {
  return UpdateOutbox("deferring a queued message", id,
                      "UPDATE outbox SET claimed_by = '', lease_until = 0, "
                      "attempts = max(attempts - 1, 0), next_attempt_at = ?2 "
                      "WHERE id = ?1 AND status = 'pending'",
                      [&](SQLite::Statement& s) { s.bind(2, Unix(next_attempt)); });
}

Result<std::optional<std::string>> SqliteStore::GetSetting(WorkspaceId ws, std::string_view key) {
  return Guarded("reading a setting", [&]() -> Result<std::optional<std::string>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(),
                      "SELECT value FROM workspace_settings WHERE workspace_id = ? AND key = ?");
    q->bind(1, static_cast<std::int64_t>(ws));
    q->bind(2, std::string(key));
    if (!q->executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q->getColumn(0).getString());
  });
}

Status SqliteStore::SetSetting(WorkspaceId ws, std::string_view key, std::string_view value) {
  return Guarded("saving a setting", [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement up(writer.conn(),
                       "INSERT INTO workspace_settings (workspace_id, key, value) VALUES (?, ?, ?) "
                       "ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value");
    up->bind(1, static_cast<std::int64_t>(ws));
    up->bind(2, std::string(key));
    up->bind(3, std::string(value));
    up->exec();
    return Status::Ok();
  });
}

Result<DigestSubscription> SqliteStore::AddDigestSubscription(const DigestSubscription& s) {
  return Guarded("subscribing a channel to the digest", [&]() -> Result<DigestSubscription> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement ins(writer.conn(),
                        "INSERT INTO digest_subscriptions (workspace_id, platform, channel_id, "
                        "target, weekday, minute_of_day, timezone, created_by, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (workspace_id, channel_id) DO NOTHING");
    ins->bind(1, static_cast<std::int64_t>(s.workspace_id));
    ins->bind(2, PlatformName(s.platform));
    ins->bind(3, s.channel_id);
    ins->bind(4, s.target);
    ins->bind(5, s.weekday);
    ins->bind(6, s.minute_of_day);
    ins->bind(7, s.timezone);
    ins->bind(8, s.created_by);
    ins->bind(9, Unix(s.created_at));
    if (ins->exec() == 0) {
      return Status::AlreadyExists("this channel already gets the weekly digest");
    }
    DigestSubscription out = s;
    out.id = writer.db().getLastInsertRowid();
    tx.commit();
    return out;
  });
}

Status SqliteStore::RemoveDigestSubscription(WorkspaceId ws, std::string_view channel_id) {
  return Guarded("unsubscribing a channel from the digest", [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement del(writer.conn(),
                        "DELETE FROM digest_subscriptions WHERE workspace_id = ? AND channel_id = ?");
    del->bind(1, static_cast<std::int64_t>(ws));
    del->bind(2, std::string(channel_id));
    if (del->exec() == 0) return Status::NotFound("this channel does not get the weekly digest");
    return Status::Ok();
  });
}

Result<std::vector<DigestSubscription>> SqliteStore::ListDigestSubscriptions(
    std::optional<WorkspaceId> ws) {
  return Guarded("listing digest subscriptions", [&]() -> Result<std::vector<DigestSubscription>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), std::string("SELECT ") + kSubscriptionColumns +
                                         " FROM digest_subscriptions WHERE ?1 IS NULL OR "
                                         "workspace_id = ?1 ORDER BY id");
    if (ws) {
      q->bind(1, static_cast<std::int64_t>(*ws));
    } else {
      q->bind(1);
    }
    std::vector<DigestSubscription> out;
    while (q->executeStep()) out.push_back(ReadSubscription(*q));
    return out;
  });
}

Result<bool> SqliteStore::CreateDigestRun(const DigestRun& run, const OutboxMessage& m) {
  return Guarded("creating a digest", [&]() -> Result<bool> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement ins(writer.conn(),
                        "INSERT INTO digest_runs (subscription_id, iso_week, due_at, created_at, "
                        "late) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (subscription_id, iso_week) DO NOTHING");
    ins->bind(1, run.subscription_id);
    ins->bind(2, run.iso_week);
    ins->bind(3, Unix(run.due_at));
    ins->bind(4, Unix(run.created_at));
    ins->bind(5, run.late ? 1 : 0);
    if (ins->exec() == 0) return false;  // this week's digest exists
    const std::int64_t run_id = writer.db().getLastInsertRowid();
    std::int64_t outbox_id = 0;
    if (!m.message.empty()) {  // a quiet week the workspace skips has a run and no message
      outbox_id = InsertOutboxRow(writer.conn(), m);
    }
    if (outbox_id != 0) {
      CachedStatement link(writer.conn(), "UPDATE digest_runs SET outbox_id = ? WHERE id = ?");
      link->bind(1, outbox_id);
      link->bind(2, run_id);
      link->exec();
    }
    tx.commit();
    return true;
  });
}

Result<std::vector<Lesson>> SqliteStore::ListLessonsCreated(WorkspaceId ws, Time from, Time to,
                                                            int limit) {
  return Guarded("listing the week's lessons", [&]() -> Result<std::vector<Lesson>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), std::string("SELECT ") + kLessonColumns +
                                         " FROM lessons WHERE workspace_id = ? AND "
                                         "created_at >= ? AND created_at < ? "
                                         "ORDER BY created_at, id LIMIT ?");
    q->bind(1, static_cast<std::int64_t>(ws));
    q->bind(2, Unix(from));
    q->bind(3, Unix(to));
    q->bind(4, std::clamp(limit, 0, 100000));
    std::vector<Lesson> out;
    while (q->executeStep()) out.push_back(ReadLesson(*q));
    return out;
  });
}

Status SqliteStore::RecordSearchMiss(WorkspaceId ws, std::string_view terms, Time at) {
  if (terms.empty()) return Status::Ok();
  return Guarded("remembering a search that found nothing", [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement ins(writer.conn(),
                        "INSERT INTO search_misses (workspace_id, terms, at) VALUES (?, ?, ?)");
    ins->bind(1, static_cast<std::int64_t>(ws));
    ins->bind(2, std::string(terms.substr(0, 200)));
    ins->bind(3, Unix(at));
    ins->exec();
    return Status::Ok();
  });
}

Result<std::vector<SearchMiss>> SqliteStore::TopSearchMisses(WorkspaceId ws, Time from, Time to,
                                                             int limit) {
  return Guarded("listing searches that found nothing", [&]() -> Result<std::vector<SearchMiss>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(),
                      "SELECT terms, count(*) AS n FROM search_misses WHERE workspace_id = ? AND "
                      "at >= ? AND at < ? GROUP BY terms ORDER BY n DESC, terms LIMIT ?");
    q->bind(1, static_cast<std::int64_t>(ws));
    q->bind(2, Unix(from));
    q->bind(3, Unix(to));
    q->bind(4, std::clamp(limit, 0, 100));
    std::vector<SearchMiss> out;
    while (q->executeStep()) {
      out.push_back(SearchMiss{q->getColumn(0).getString(), q->getColumn(1).getInt()});
    }
    return out;
  });
}

}  // namespace lessonbook::sqlite
