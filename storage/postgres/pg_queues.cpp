// PgStore: the inbox (deduplicated inbound events, shared by every replica), the outbox
// (messages claimed with a lease, FOR UPDATE SKIP LOCKED) and leadership (advisory locks).
#include <algorithm>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"

namespace lessonbook::pg {
namespace {

int ClampLimit(int limit) { return std::clamp(limit, 0, 10000); }

}  // namespace

// --- Inbox ---

Result<bool> PgStore::RecordInbox(const InboxEvent& event) {
  if (event.event_id.empty()) return Status::InvalidArgument("an inbox event needs an event id");
  return Guarded("recording an inbound event", [&]() -> Result<bool> {
    PgLease lease = pool_->Lease();
    PgResult ins = lease.conn().Exec(
        "INSERT INTO inbox (platform, event_id, workspace_id, payload, handled, received_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, event_id) DO NOTHING",
        PgParams()
            .Add(PlatformName(event.platform))
            .Add(event.event_id)
            .Add(event.workspace_id)
            .Add(event.payload)
            .Add(event.handled)
            .Add(Unix(event.received_at)));
    return ins.affected() == 1;
  });
}

Status PgStore::MarkInboxHandled(Platform platform, std::string_view event_id) {
  return Guarded("marking an inbound event handled", [&] {
    PgLease lease = pool_->Lease();
    PgResult upd = lease.conn().Exec(
        "UPDATE inbox SET handled = true WHERE platform = $1 AND event_id = $2",
        PgParams().Add(PlatformName(platform)).Add(event_id));
    if (upd.affected() == 0) {
      return Status::NotFound("inbound event " + std::string(event_id) + " was not recorded");
    }
    return Status::Ok();
  });
}

Result<std::vector<InboxEvent>> PgStore::UnhandledInbox(int limit) {
  return Guarded("listing unhandled inbound events", [&]() -> Result<std::vector<InboxEvent>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kInboxColumns +
                                       " FROM inbox WHERE NOT handled"
                                       " ORDER BY received_at, id LIMIT $1",
                                   PgParams().Add(ClampLimit(limit)));
    std::vector<InboxEvent> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReadInboxEvent(q, i));
    return out;
  });
}

Result<int> PgStore::PruneInbox(Time received_before) {
  return Guarded("pruning handled inbound events", [&]() -> Result<int> {
    PgLease lease = pool_->Lease();
    return lease.conn()
        .Exec("DELETE FROM inbox WHERE handled AND received_at < $1",
              PgParams().Add(Unix(received_before)))
        .affected();
  });
}

// --- Outbox ---

Result<std::int64_t> PgStore::EnqueueOutbox(const OutboxMessage& m) {
  return Guarded("queueing a message", [&]() -> Result<std::int64_t> {
    PgLease lease = pool_->Lease();
    if (const std::int64_t id = InsertOutboxRow(lease.conn(), m); id != 0) return id;
    PgResult q = lease.conn().Exec("SELECT id FROM outbox WHERE dedupe_key = $1",
                                   PgParams().Add(m.dedupe_key));
    if (q.rows() == 0) return Status::Internal("outbox dedupe key conflict without a row");
    return q.Int(0, 0);  // generated before: nothing written
  });
}

Result<std::vector<OutboxMessage>> PgStore::ClaimOutbox(int n, std::chrono::seconds lease,
                                                        std::string_view worker, Time now) {
  if (n <= 0) return std::vector<OutboxMessage>();
  return Guarded("claiming queued messages", [&]() -> Result<std::vector<OutboxMessage>> {
    PgLease conn = pool_->Lease();
    // One statement: rows another replica is claiming right now are skipped (SKIP LOCKED), and
    // a row claimed and committed meanwhile is re-checked against its new lease, so a live
    // lease is never claimed twice.
    PgResult claim = conn.conn().Exec(
        std::string("UPDATE outbox SET claimed_by = $1, lease_until = $2, "
                    "attempts = attempts + 1 WHERE id IN ("
                    "SELECT id FROM outbox WHERE status = 'pending' "
                    "AND next_attempt_at <= $3 AND lease_until <= $3 "
                    "ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING ") +
            kOutboxColumns,
        PgParams()
            .Add(worker)
            .Add(Unix(now + lease))
            .Add(Unix(now))
            .Add(std::min(n, 10000)));
    std::vector<OutboxMessage> claimed;
    for (int i = 0; i < claim.rows(); ++i) claimed.push_back(ReadOutboxMessage(claim, i));
    std::sort(claimed.begin(), claimed.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
      return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at
                                                    : a.id < b.id;
    });
    return claimed;
  });
}

Status PgStore::UpdateOutbox(std::string_view doing, std::int64_t id, const std::string& sql,
                             const std::vector<std::string>& params) {
  return Guarded(doing, [&] {
    PgLease lease = pool_->Lease();
    PgParams p;
    p.Add(id);
    for (const std::string& v : params) p.Add(v);
    if (lease.conn().Exec(sql, p).affected() == 0) {
      return Status::NotFound("queued message " + std::to_string(id) + " does not exist");
    }
    return Status::Ok();
  });
}

Status PgStore::MarkOutboxSent(std::int64_t id, Time now) {
  return UpdateOutbox("marking a message sent", id,
                      "UPDATE outbox SET status = 'sent', sent_at = $2, claimed_by = '', "
                      "lease_until = 0, last_error = '' WHERE id = $1",
                      {std::to_string(Unix(now))});
}

Status PgStore::RetryOutbox(std::int64_t id, Time next_attempt, std::string_view error) {
  return UpdateOutbox("scheduling a message retry", id,
                      "UPDATE outbox SET status = 'pending', next_attempt_at = $2, "
                      "last_error = $3, claimed_by = '', lease_until = 0 WHERE id = $1",
                      {std::to_string(Unix(next_attempt)), std::string(error)});
}

Status PgStore::FailOutbox(std::int64_t id, std::string_view error) {
  return UpdateOutbox("marking a message failed", id,
                      "UPDATE outbox SET status = 'failed', last_error = $2, claimed_by = '', "
                      "lease_until = 0 WHERE id = $1",
                      {std::string(error)});
}

Status PgStore::DeferOutbox(std::int64_t id, Time next_attempt) {
  return UpdateOutbox("deferring a queued message", id,
                      "UPDATE outbox SET claimed_by = '', lease_until = 0, "
                      "attempts = greatest(attempts - 1, 0), next_attempt_at = $2 "
                      "WHERE id = $1 AND status = 'pending'",
                      {std::to_string(Unix(next_attempt))});
}

Result<std::vector<OutboxMessage>> PgStore::ListOutbox(std::optional<OutboxStatus> status,
                                                       int limit) {
  return Guarded("listing queued messages", [&]() -> Result<std::vector<OutboxMessage>> {
    PgLease lease = pool_->Lease();
    PgParams p;
    if (status) p.Add(OutboxStatusName(*status));
    p.Add(ClampLimit(limit));
    PgResult q = lease.conn().Exec(
        std::string("SELECT ") + kOutboxColumns + " FROM outbox" +
            (status ? " WHERE status = $1 ORDER BY id LIMIT $2" : " ORDER BY id LIMIT $1"),
        p);
    std::vector<OutboxMessage> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReadOutboxMessage(q, i));
    return out;
  });
}

Result<OutboxStats> PgStore::GetOutboxStats(Time now) {
  return Guarded("reading outbox statistics", [&]() -> Result<OutboxStats> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        "SELECT count(*) FILTER (WHERE status = 'pending'), "
        "count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed'), "
        "min(created_at) FILTER (WHERE status = 'pending') FROM outbox");
    OutboxStats stats;
    stats.pending = q.Int(0, 0);
    stats.sent = q.Int(0, 1);
    stats.failed = q.Int(0, 2);
    if (!q.IsNull(0, 3)) {
      stats.oldest_pending_age_seconds = std::max<std::int64_t>(0, Unix(now) - q.Int(0, 3));
    }
    return stats;
  });
}

// --- Leadership ---

Result<bool> PgStore::TryLead(std::string_view name, std::string_view holder,
                              std::chrono::seconds ttl, Time now) {
  if (name.empty() || holder.empty()) {
    return Status::InvalidArgument("a lease needs a name and a holder");
  }
  return Guarded("taking the " + std::string(name) + " lease", [&]() -> Result<bool> {
    std::lock_guard<std::mutex> lock(leader_mu_);
    if (leader_conn_ != nullptr && !leader_conn_->healthy()) {
      // The session died: PostgreSQL released its locks, another replica may lead now.
      leader_conn_.reset();
      led_names_.clear();
    }
    if (leader_conn_ == nullptr) leader_conn_ = std::make_unique<PgConnection>(pool_->conninfo());
    PgConnection& conn = *leader_conn_;
    const std::string key(name);
    const PgParams lock_key = PgParams().Add(name);

    // The advisory lock: held by the session of the process that leads.
    bool newly_locked = false;
    if (led_names_.count(key) == 0) {
      newly_locked =
          conn.Exec("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", lock_key).Bool(0, 0);
      if (newly_locked) led_names_.insert(key);
    }

    // The lease row keeps the Store contract (one holder until its ttl ends). Taken when free,
    // ours, expired, or held by another process whose session is gone (we just got its lock;
    // a holder of this store shares our session, so its lease is respected until it ends).
    bool taken = false;
    {
      PgTransaction tx(conn);
      PgResult row = conn.Exec("SELECT holder, until FROM leases WHERE name = $1 FOR UPDATE",
                               PgParams().Add(name));
      if (row.rows() == 0) {
        taken = conn.Exec("INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) "
                          "ON CONFLICT (name) DO NOTHING",
                          PgParams().Add(name).Add(holder).Add(Unix(now + ttl)))
                    .affected() == 1;
      } else {
        const std::string current = row.Text(0, 0);
        taken = current == holder || row.Int(0, 1) <= Unix(now) ||
                (newly_locked && own_holders_.count(current) == 0);
        if (taken) {
          conn.Exec("UPDATE leases SET holder = $2, until = $3 WHERE name = $1",
                    PgParams().Add(name).Add(holder).Add(Unix(now + ttl)));
        }
      }
      tx.Commit();
    }
    if (taken) {
      own_holders_.insert(std::string(holder));
    } else if (led_names_.count(key) != 0) {
      // Another holder leads: the lock must not make its later takeover look like a death.
      conn.Exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", lock_key);
      led_names_.erase(key);
    }
    return taken;
  });
}

}  // namespace lessonbook::pg
