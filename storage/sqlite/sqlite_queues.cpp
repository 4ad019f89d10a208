// SqliteStore: the inbox (deduplicated inbound events), the outbox (messages claimed with a
// lease) and leadership leases.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

int ClampLimit(int limit) { return std::clamp(limit, 0, 10000); }

}  // namespace

// --- Inbox ---

Result<bool> SqliteStore::RecordInbox(const InboxEvent& event) {
  if (event.event_id.empty()) return Status::InvalidArgument("an inbox event needs an event id");
  return Guarded("recording an inbound event", [&]() -> Result<bool> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement ins(writer.conn(),
                        "INSERT INTO inbox (platform, event_id, workspace_id, payload, handled, "
                        "received_at) VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (platform, event_id) DO NOTHING");
    ins->bind(1, PlatformName(event.platform));
    ins->bind(2, event.event_id);
    ins->bind(3, static_cast<std::int64_t>(event.workspace_id));
    ins->bind(4, event.payload);
    ins->bind(5, event.handled ? 1 : 0);
    ins->bind(6, Unix(event.received_at));
    const bool inserted = ins->exec() == 1;
    tx.commit();
    return inserted;
  });
}

Status SqliteStore::MarkInboxHandled(Platform platform, std::string_view event_id) {
  return Guarded("marking an inbound event handled", [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement upd(writer.conn(),
                        "UPDATE inbox SET handled = 1 WHERE platform = ? AND event_id = ?");
    upd->bind(1, PlatformName(platform));
    upd->bind(2, std::string(event_id));
    if (upd->exec() == 0) {
      return Status::NotFound("inbound event " + std::string(event_id) + " was not recorded");
    }
    return Status::Ok();
  });
}

Result<std::vector<InboxEvent>> SqliteStore::UnhandledInbox(int limit) {
  return Guarded("listing unhandled inbound events", [&]() -> Result<std::vector<InboxEvent>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), std::string("SELECT ") + kInboxColumns +
                                         " FROM inbox WHERE handled = 0"
                                         " ORDER BY received_at, id LIMIT ?");
    q->bind(1, ClampLimit(limit));
    std::vector<InboxEvent> out;
    while (q->executeStep()) out.push_back(ReadInboxEvent(*q));
    return out;
  });
}

Result<int> SqliteStore::PruneInbox(Time received_before) {
  return Guarded("pruning handled inbound events", [&]() -> Result<int> {
    ConnectionLease writer = pool_->Writer();
    CachedStatement del(writer.conn(), "DELETE FROM inbox WHERE handled = 1 AND received_at < ?");
    del->bind(1, Unix(received_before));
    return del->exec();
  });
}

// --- Outbox ---

std::int64_t InsertOutboxRow(Connection& conn, const OutboxMessage& m) {
  CachedStatement ins(conn,
                      "INSERT INTO outbox (workspace_id, platform, target, message, dedupe_key, "
                      "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING");
  ins->bind(1, static_cast<std::int64_t>(m.workspace_id));
  ins->bind(2, PlatformName(m.platform));
  ins->bind(3, m.target);
  ins->bind(4, m.message);
  if (m.dedupe_key.empty()) {
    ins->bind(5);
  } else {
    ins->bind(5, m.dedupe_key);
  }
  ins->bind(6, Unix(m.next_attempt_at));
  ins->bind(7, Unix(m.created_at));
  return ins->exec() == 1 ? conn.db().getLastInsertRowid() : 0;
}

Result<std::int64_t> SqliteStore::EnqueueOutbox(const OutboxMessage& m) {
  return Guarded("queueing a message", [&]() -> Result<std::int64_t> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    if (const std::int64_t id = InsertOutboxRow(writer.conn(), m); id != 0) {
      tx.commit();
      return id;
    }
    CachedStatement q(writer.conn(), "SELECT id FROM outbox WHERE dedupe_key = ?");
    q->bind(1, m.dedupe_key);
    if (!q->executeStep()) return Status::Internal("outbox dedupe key conflict without a row");
    return q->getColumn(0).getInt64();  // generated before: nothing written
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::ClaimOutbox(int n, std::chrono::seconds lease,
                                                            std::string_view worker, Time now) {
  if (n <= 0) return std::vector<OutboxMessage>();
  return Guarded("claiming queued messages", [&]() -> Result<std::vector<OutboxMessage>> {
    ConnectionLease writer = pool_->Writer();
    // One statement: the row choice and the claim are atomic, and BEGIN IMMEDIATE keeps other
    // processes out, so a row with a live lease is never claimed twice.
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement claim(writer.conn(),
                          std::string("UPDATE outbox SET claimed_by = ?1, lease_until = ?2, "
                                      "attempts = attempts + 1 WHERE id IN ("
                                      "SELECT id FROM outbox WHERE status = 'pending' "
                                      "AND next_attempt_at <= ?3 AND lease_until <= ?3 "
                                      "ORDER BY next_attempt_at, id LIMIT ?4) RETURNING ") +
                              kOutboxColumns);
    claim->bind(1, std::string(worker));
    claim->bind(2, Unix(now + lease));
    claim->bind(3, Unix(now));
    claim->bind(4, std::min(n, 10000));
    std::vector<OutboxMessage> claimed;
    while (claim->executeStep()) claimed.push_back(ReadOutboxMessage(*claim));
    claim->reset();
    tx.commit();
    std::sort(claimed.begin(), claimed.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
      return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at
                                                    : a.id < b.id;
    });
    return claimed;
  });
}

Status SqliteStore::UpdateOutbox(std::string_view doing, std::int64_t id, const std::string& sql,
                                 const std::function<void(SQLite::Statement&)>& bind) {
  return Guarded(doing, [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement upd(writer.conn(), sql);
    upd->bind(1, id);
    bind(*upd);
    if (upd->exec() == 0) {
      return Status::NotFound("queued message " + std::to_string(id) + " does not exist");
    }
    return Status::Ok();
  });
}

Status SqliteStore::MarkOutboxSent(std::int64_t id, Time now) {
  return UpdateOutbox("marking a message sent", id,
                      "UPDATE outbox SET status = 'sent', sent_at = ?2, claimed_by = '', "
                      "lease_until = 0, last_error = '' WHERE id = ?1",
                      [&](SQLite::Statement& s) { s.bind(2, Unix(now)); });
}

Status SqliteStore::RetryOutbox(std::int64_t id, Time next_attempt, std::string_view error) {
  return UpdateOutbox(
      "scheduling a message retry", id,
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?2, last_error = ?3, "
      "claimed_by = '', lease_until = 0 WHERE id = ?1",
      [&](SQLite::Statement& s) {
        s.bind(2, Unix(next_attempt));
        s.bind(3, std::string(error));
      });
}

Status SqliteStore::FailOutbox(std::int64_t id, std::string_view error) {
  return UpdateOutbox("marking a message failed", id,
                      "UPDATE outbox SET status = 'failed', last_error = ?2, claimed_by = '', "
                      "lease_until = 0 WHERE id = ?1",
                      [&](SQLite::Statement& s) { s.bind(2, std::string(error)); });
}

Result<std::vector<OutboxMessage>> SqliteStore::ListOutbox(std::optional<OutboxStatus> status,
                                                           int limit) {
  return Guarded("listing queued messages", [&]() -> Result<std::vector<OutboxMessage>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), std::string("SELECT ") + kOutboxColumns + " FROM outbox" +
                                         (status ? " WHERE status = ?" : "") +
                                         " ORDER BY id LIMIT ?");
    int next = 1;
    if (status) q->bind(next++, OutboxStatusName(*status));
    q->bind(next, ClampLimit(limit));
    std::vector<OutboxMessage> out;
    while (q->executeStep()) out.push_back(ReadOutboxMessage(*q));
    return out;
  });
}

Result<OutboxStats> SqliteStore::GetOutboxStats(Time now) {
  return Guarded("reading outbox statistics", [&]() -> Result<OutboxStats> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(
        reader.conn(),
        "SELECT coalesce(sum(status = 'pending'), 0), coalesce(sum(status = 'sent'), 0), "
        "coalesce(sum(status = 'failed'), 0), "
        "min(CASE WHEN status = 'pending' THEN created_at END) FROM outbox");
    q->executeStep();
    OutboxStats stats;
    stats.pending = q->getColumn(0).getInt64();
    stats.sent = q->getColumn(1).getInt64();
    stats.failed = q->getColumn(2).getInt64();
    if (!q->getColumn(3).isNull()) {
      stats.oldest_pending_age_seconds =
          std::max<std::int64_t>(0, Unix(now) - q->getColumn(3).getInt64());
    }
    return stats;
  });
}

// --- Leadership ---

Result<bool> SqliteStore::TryLead(std::string_view name, std::string_view holder,
                                  std::chrono::seconds ttl, Time now) {
  if (name.empty() || holder.empty()) {
    return Status::InvalidArgument("a lease needs a name and a holder");
  }
  return Guarded("taking the " + std::string(name) + " lease", [&]() -> Result<bool> {
    ConnectionLease writer = pool_->Writer();
    // Taken when free, expired, or already ours (renewal); otherwise the row is left alone.
    CachedStatement upsert(writer.conn(),
                           "INSERT INTO leases (name, holder, until) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                           "until = excluded.until "
                           "WHERE leases.holder = excluded.holder OR leases.until <= ?4");
    upsert->bind(1, std::string(name));
    upsert->bind(2, std::string(holder));
    upsert->bind(3, Unix(now + ttl));
    upsert->bind(4, Unix(now));
    return upsert->exec() == 1;
  });
}

}  // namespace lessonbook::sqlite
