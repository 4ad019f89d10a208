// PgStore: workspace settings, digest subscriptions and runs, and searches that found nothing.
#include <algorithm>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"

namespace lessonbook::pg {
namespace {

constexpr const char* kSubscriptionColumns =
    "id, workspace_id, platform, channel_id, target, weekday, minute_of_day, timezone, "
    "created_by, created_at";

DigestSubscription ReadSubscription(const PgResult& r, int row) {
  DigestSubscription s;
  s.id = r.Int(row, 0);
  s.workspace_id = r.Int(row, 1);
  s.platform = ParsePlatform(r.Text(row, 2)).value_or(Platform::kWeb);
  s.channel_id = r.Text(row, 3);
  s.target = r.Text(row, 4);
  s.weekday = static_cast<int>(r.Int(row, 5));
  s.minute_of_day = static_cast<int>(r.Int(row, 6));
  s.timezone = r.Text(row, 7);
  s.created_by = r.Text(row, 8);
  s.created_at = FromUnix(r.Int(row, 9));
  return s;
}

}  // namespace

Result<std::optional<std::string>> PgStore::GetSetting(WorkspaceId ws, std::string_view key) {
  return Guarded("reading a setting", [&]() -> Result<std::optional<std::string>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        "SELECT value FROM workspace_settings WHERE workspace_id = $1 AND key = $2",
        PgParams().Add(ws).Add(key));
    if (q.rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(q.Text(0, 0));
  });
}

Status PgStore::SetSetting(WorkspaceId ws, std::string_view key, std::string_view value) {
  return Guarded("saving a setting", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec(
        "INSERT INTO workspace_settings (workspace_id, key, value) VALUES ($1, $2, $3) "
        "ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value",
        PgParams().Add(ws).Add(key).Add(value));
    return Status::Ok();
  });
}

Result<DigestSubscription> PgStore::AddDigestSubscription(const DigestSubscription& s) {
  return Guarded("subscribing a channel to the digest", [&]() -> Result<DigestSubscription> {
    PgLease lease = pool_->Lease();
    PgResult ins = lease.conn().Exec(
        "INSERT INTO digest_subscriptions (workspace_id, platform, channel_id, target, weekday, "
        "minute_of_day, timezone, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (workspace_id, channel_id) DO NOTHING RETURNING id",
        PgParams()
            .Add(s.workspace_id)
            .Add(PlatformName(s.platform))
            .Add(s.channel_id)
            .Add(s.target)
            .Add(s.weekday)
            .Add(s.minute_of_day)
            .Add(s.timezone)
            .Add(s.created_by)
            .Add(Unix(s.created_at)));
    if (ins.rows() == 0) {
      return Status::AlreadyExists("this channel already gets the weekly digest");
    }
    DigestSubscription out = s;
    out.id = ins.Int(0, 0);
    return out;
  });
}

Status PgStore::RemoveDigestSubscription(WorkspaceId ws, std::string_view channel_id) {
  return Guarded("unsubscribing a channel from the digest", [&] {
    PgLease lease = pool_->Lease();
    PgResult del = lease.conn().Exec(
        "DELETE FROM digest_subscriptions WHERE workspace_id = $1 AND channel_id = $2",
        PgParams().Add(ws).Add(channel_id));
    if (del.affected() == 0) return Status::NotFound("this channel does not get the weekly digest");
    return Status::Ok();
  });
}

Result<std::vector<DigestSubscription>> PgStore::ListDigestSubscriptions(
    std::optional<WorkspaceId> ws) {
  return Guarded("listing digest subscriptions", [&]() -> Result<std::vector<DigestSubscription>> {
    PgLease lease = pool_->Lease();
    PgParams p;
    if (ws) p.Add(*ws);
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kSubscriptionColumns +
                                       " FROM digest_subscriptions" +
                                       (ws ? " WHERE workspace_id = $1" : "") + " ORDER BY id",
                                   p);
    std::vector<DigestSubscription> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReadSubscription(q, i));
    return out;
  });
}

Result<bool> PgStore::CreateDigestRun(const DigestRun& run, const OutboxMessage& m) {
  return Guarded("creating a digest", [&]() -> Result<bool> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    // Two replicas generating the same week: the unique (subscription, week) lets one insert;
    // the other waits for it to commit and then inserts nothing.
    PgResult ins = conn.Exec(
        "INSERT INTO digest_runs (subscription_id, iso_week, due_at, created_at, late) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subscription_id, iso_week) DO NOTHING "
        "RETURNING id",
        PgParams()
            .Add(run.subscription_id)
            .Add(run.iso_week)
            .Add(Unix(run.due_at))
            .Add(Unix(run.created_at))
            .Add(run.late));
    if (ins.rows() == 0) return false;  // this week's digest exists
    const std::int64_t run_id = ins.Int(0, 0);
    std::int64_t outbox_id = 0;
    if (!m.message.empty()) {  // a quiet week the workspace skips has a run and no message
      outbox_id = InsertOutboxRow(conn, m);
    }
    if (outbox_id != 0) {
      conn.Exec("UPDATE digest_runs SET outbox_id = $1 WHERE id = $2",
                PgParams().Add(outbox_id).Add(run_id));
    }
    tx.Commit();
    return true;
  });
}

Result<std::vector<Lesson>> PgStore::ListLessonsCreated(WorkspaceId ws, Time from, Time to,
                                                        int limit) {
  return Guarded("listing the week's lessons", [&]() -> Result<std::vector<Lesson>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kLessonColumns +
                                       " FROM lessons WHERE workspace_id = $1 AND "
                                       "created_at >= $2 AND created_at < $3 "
                                       "ORDER BY created_at, id LIMIT $4",
                                   PgParams()
                                       .Add(ws)
                                       .Add(Unix(from))
                                       .Add(Unix(to))
                                       .Add(std::clamp(limit, 0, 100000)));
    std::vector<Lesson> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReadLesson(q, i));
    return out;
  });
}

Status PgStore::RecordSearchMiss(WorkspaceId ws, std::string_view terms, Time at) {
  if (terms.empty()) return Status::Ok();
  return Guarded("remembering a search that found nothing", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec("INSERT INTO search_misses (workspace_id, terms, at) VALUES ($1, $2, $3)",
                      PgParams().Add(ws).Add(terms.substr(0, 200)).Add(Unix(at)));
    return Status::Ok();
  });
}

Result<std::vector<SearchMiss>> PgStore::TopSearchMisses(WorkspaceId ws, Time from, Time to,
                                                         int limit) {
  return Guarded("listing searches that found nothing", [&]() -> Result<std::vector<SearchMiss>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        "SELECT terms, count(*) AS n FROM search_misses WHERE workspace_id = $1 AND "
        "at >= $2 AND at < $3 GROUP BY terms ORDER BY n DESC, terms COLLATE \"C\" LIMIT $4",
        PgParams().Add(ws).Add(Unix(from)).Add(Unix(to)).Add(std::clamp(limit, 0, 100)));
    std::vector<SearchMiss> out;
    for (int i = 0; i < q.rows(); ++i) {
      out.push_back(SearchMiss{q.Text(i, 0), static_cast<int>(q.Int(i, 1))});
    }
    return out;
  });
}

}  // namespace lessonbook::pg
