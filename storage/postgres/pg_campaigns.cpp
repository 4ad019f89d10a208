// PgStore: campaigns, post-mortems, prompt sessions, answers and people's timezones. The rows
// are encoded as in the SQLite store (metrics and participants joined with \x1e / \x1f).
#include <algorithm>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/text.h"

namespace lessonbook::pg {
namespace {

using sqlite::ValidUtf8;

constexpr char kRowSep = '\x1e';
constexpr char kFieldSep = '\x1f';

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t pos = 0;
  while (true) {
    const size_t next = s.find(sep, pos);
    out.emplace_back(
        s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return out;
}

std::string Clean(std::string_view s) {
  std::string out = ValidUtf8(s);
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](char c) { return c == kRowSep || c == kFieldSep; }),
            out.end());
  return out;
}

std::string JoinMetrics(const std::vector<CampaignMetric>& metrics) {
  std::string out;
  for (const auto& m : metrics) {
    if (!out.empty()) out += kRowSep;
    out += Clean(m.name) + kFieldSep + Clean(m.target) + kFieldSep + Clean(m.actual);
  }
  return out;
}

std::vector<CampaignMetric> SplitMetrics(std::string_view s) {
  std::vector<CampaignMetric> out;
  for (const auto& row : Split(s, kRowSep)) {
    auto f = Split(row, kFieldSep);
    f.resize(3);
    out.push_back(CampaignMetric{f[0], f[1], f[2]});
  }
  return out;
}

std::string JoinPeople(const std::vector<std::string>& people) {
  std::string out;
  for (const auto& p : people) {
    if (!out.empty()) out += kFieldSep;
    out += Clean(p);
  }
  return out;
}

std::string NameKey(std::string_view name) {
  std::string k = ValidUtf8(name);
  for (auto& c : k) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return k;
}

constexpr const char* kCampaignColumns =
    "id, workspace_id, platform, name, owner, channel_id, channel_target, starts_at, ends_at, "
    "goals, learning_goals, metrics, participants, status, created_at, updated_at";

Campaign ReadCampaign(const PgResult& r, int row) {
  Campaign c;
  c.id = r.Int(row, 0);
  c.workspace_id = r.Int(row, 1);
  c.platform = ParsePlatform(r.Text(row, 2)).value_or(Platform::kWeb);
  c.name = r.Text(row, 3);
  c.owner = r.Text(row, 4);
  c.channel_id = r.Text(row, 5);
  c.channel_target = r.Text(row, 6);
  c.starts_at = FromUnix(r.Int(row, 7));
  c.ends_at = FromUnix(r.Int(row, 8));
  c.goals = r.Text(row, 9);
  c.learning_goals = r.Text(row, 10);
  c.metrics = SplitMetrics(r.Text(row, 11));
  c.participants = Split(r.Text(row, 12), kFieldSep);
  c.status = ParseCampaignStatus(r.Text(row, 13)).value_or(CampaignStatus::kRunning);
  c.created_at = FromUnix(r.Int(row, 14));
  c.updated_at = FromUnix(r.Int(row, 15));
  return c;
}

// $1..$15 in kCampaignColumns order after id (created_at last as updated_at).
PgParams CampaignParams(const Campaign& c) {
  PgParams p;
  p.Add(c.workspace_id)
      .Add(PlatformName(c.platform))
      .Add(Clean(c.name))
      .Add(NameKey(c.name))
      .Add(Clean(c.owner))
      .Add(Clean(c.channel_id))
      .Add(ValidUtf8(c.channel_target))
      .Add(Unix(c.starts_at))
      .Add(Unix(c.ends_at))
      .Add(ValidUtf8(c.goals))
      .Add(ValidUtf8(c.learning_goals))
      .Add(JoinMetrics(c.metrics))
      .Add(JoinPeople(c.participants))
      .Add(CampaignStatusName(c.status))
      .Add(Unix(c.updated_at));
  return p;
}

std::optional<Campaign> LoadCampaign(PgConnection& conn, WorkspaceId ws, std::int64_t id) {
  PgResult q = conn.Exec(std::string("SELECT ") + kCampaignColumns +
                             " FROM campaigns WHERE workspace_id = $1 AND id = $2",
                         PgParams().Add(ws).Add(id));
  if (q.rows() == 0) return std::nullopt;
  return ReadCampaign(q, 0);
}

std::string AlreadyExists(const std::string& name) {
  return "there is a campaign called \"" + name + "\" already";
}

constexpr const char* kPostmortemColumns =
    "id, workspace_id, campaign_id, question_set, question_set_version, opened_at, deadline_at, "
    "closed_at";

Postmortem ReadPostmortem(const PgResult& r, int row) {
  Postmortem p;
  p.id = r.Int(row, 0);
  p.workspace_id = r.Int(row, 1);
  p.campaign_id = r.Int(row, 2);
  p.question_set = r.Text(row, 3);
  p.question_set_version = static_cast<int>(r.Int(row, 4));
  p.opened_at = FromUnix(r.Int(row, 5));
  p.deadline_at = FromUnix(r.Int(row, 6));
  p.closed_at = FromUnix(r.Int(row, 7));
  return p;
}

constexpr const char* kSessionColumns =
    "s.id, s.postmortem_id, s.workspace_id, s.user_id, s.state, s.current_question, "
    "s.dm_target, s.reminders_sent, s.next_reminder_at, s.updated_at";

PromptSession ReadSession(const PgResult& r, int row) {
  PromptSession s;
  s.id = r.Int(row, 0);
  s.postmortem_id = r.Int(row, 1);
  s.workspace_id = r.Int(row, 2);
  s.user_id = r.Text(row, 3);
  s.state = ParsePromptState(r.Text(row, 4)).value_or(PromptState::kPending);
  s.current_question = static_cast<int>(r.Int(row, 5));
  s.dm_target = r.Text(row, 6);
  s.reminders_sent = static_cast<int>(r.Int(row, 7));
  s.next_reminder_at = FromUnix(r.Int(row, 8));
  s.updated_at = FromUnix(r.Int(row, 9));
  return s;
}

std::vector<PromptSession> ReadSessions(const PgResult& r) {
  std::vector<PromptSession> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadSession(r, i));
  return out;
}

std::vector<Campaign> ReadCampaigns(const PgResult& r) {
  std::vector<Campaign> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadCampaign(r, i));
  return out;
}

}  // namespace

Result<Campaign> PgStore::CreateCampaign(const Campaign& c) {
  return Guarded("creating a campaign", [&]() -> Result<Campaign> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    PgParams p = CampaignParams(c);
    p.Add(Unix(c.created_at));
    PgResult ins = conn.Exec(
        "INSERT INTO campaigns (workspace_id, platform, name, name_key, owner, channel_id, "
        "channel_target, starts_at, ends_at, goals, learning_goals, metrics, participants, "
        "status, updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $14, $15, $16) ON CONFLICT (workspace_id, name_key) DO NOTHING RETURNING id",
        p);
    if (ins.rows() == 0) return Status::AlreadyExists(AlreadyExists(c.name));
    auto stored = LoadCampaign(conn, c.workspace_id, ins.Int(0, 0));
    tx.Commit();
    return *stored;
  });
}

Result<Campaign> PgStore::UpdateCampaign(const Campaign& c) {
  return Guarded("updating a campaign", [&]() -> Result<Campaign> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    PgResult clash = conn.Exec(
        "SELECT 1 FROM campaigns WHERE workspace_id = $1 AND name_key = $2 AND id <> $3",
        PgParams().Add(c.workspace_id).Add(NameKey(c.name)).Add(c.id));
    if (clash.rows() > 0) return Status::AlreadyExists(AlreadyExists(c.name));
    PgParams p = CampaignParams(c);
    p.Add(c.id);
    PgResult upd = conn.Exec(
        "UPDATE campaigns SET platform = $2, name = $3, name_key = $4, owner = $5, "
        "channel_id = $6, channel_target = $7, starts_at = $8, ends_at = $9, goals = $10, "
        "learning_goals = $11, metrics = $12, participants = $13, status = $14, "
        "updated_at = $15 WHERE workspace_id = $1 AND id = $16",
        p);
    if (upd.affected() == 0) {
      return Status::NotFound("campaign " + std::to_string(c.id) + " does not exist");
    }
    auto stored = LoadCampaign(conn, c.workspace_id, c.id);
    tx.Commit();
    return *stored;
  });
}

Result<Campaign> PgStore::GetCampaign(WorkspaceId ws, std::int64_t id) {
  return Guarded("reading a campaign", [&]() -> Result<Campaign> {
    PgLease lease = pool_->Lease();
    auto c = LoadCampaign(lease.conn(), ws, id);
    if (!c) return Status::NotFound("campaign " + std::to_string(id) + " does not exist here");
    return *c;
  });
}

Result<Campaign> PgStore::FindCampaign(WorkspaceId ws, std::string_view name) {
  return Guarded("finding a campaign", [&]() -> Result<Campaign> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kCampaignColumns +
                                       " FROM campaigns WHERE workspace_id = $1 AND name_key = $2",
                                   PgParams().Add(ws).Add(NameKey(name)));
    if (q.rows() == 0) {
      return Status::NotFound("there is no campaign called \"" + std::string(name) + "\"");
    }
    return ReadCampaign(q, 0);
  });
}

Result<std::vector<Campaign>> PgStore::ListCampaigns(WorkspaceId ws, int limit) {
  return Guarded("listing campaigns", [&]() -> Result<std::vector<Campaign>> {
    PgLease lease = pool_->Lease();
    return ReadCampaigns(lease.conn().Exec(std::string("SELECT ") + kCampaignColumns +
                                               " FROM campaigns WHERE workspace_id = $1 "
                                               "ORDER BY ends_at DESC, id DESC LIMIT $2",
                                           PgParams().Add(ws).Add(std::clamp(limit, 0, 1000))));
  });
}

Result<std::vector<Campaign>> PgStore::CampaignsDue(Time now, int limit) {
  return Guarded("finding ended campaigns", [&]() -> Result<std::vector<Campaign>> {
    PgLease lease = pool_->Lease();
    return ReadCampaigns(lease.conn().Exec(
        std::string("SELECT ") + kCampaignColumns +
            " FROM campaigns WHERE status IN ('planned', 'running') AND ends_at <= $1 "
            "ORDER BY ends_at, id LIMIT $2",
        PgParams().Add(Unix(now)).Add(std::clamp(limit, 0, 1000))));
  });
}

Result<bool> PgStore::OpenPostmortem(const Postmortem& pm,
                                     const std::vector<PromptSession>& sessions,
                                     const std::vector<OutboxMessage>& messages) {
  return Guarded("opening a post-mortem", [&]() -> Result<bool> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    // The unique campaign_id decides between replicas: one opens it, the other gets false.
    PgResult ins = conn.Exec(
        "INSERT INTO postmortems (workspace_id, campaign_id, question_set, "
        "question_set_version, opened_at, deadline_at) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (campaign_id) DO NOTHING RETURNING id",
        PgParams()
            .Add(pm.workspace_id)
            .Add(pm.campaign_id)
            .Add(pm.question_set)
            .Add(pm.question_set_version)
            .Add(Unix(pm.opened_at))
            .Add(Unix(pm.deadline_at)));
    if (ins.rows() == 0) return false;  // opened before
    const std::int64_t pm_id = ins.Int(0, 0);
    for (const auto& s : sessions) {
      conn.Exec(
          "INSERT INTO prompt_sessions (postmortem_id, workspace_id, user_id, state, "
          "current_question, dm_target, reminders_sent, next_reminder_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (postmortem_id, user_id) DO NOTHING",
          PgParams()
              .Add(pm_id)
              .Add(pm.workspace_id)
              .Add(ValidUtf8(s.user_id))
              .Add(PromptStateName(s.state))
              .Add(s.current_question)
              .Add(ValidUtf8(s.dm_target))
              .Add(s.reminders_sent)
              .Add(Unix(s.next_reminder_at))
              .Add(Unix(s.updated_at)));
    }
    conn.Exec(
        "UPDATE campaigns SET status = 'reviewing', updated_at = $1 "
        "WHERE id = $2 AND workspace_id = $3",
        PgParams().Add(Unix(pm.opened_at)).Add(pm.campaign_id).Add(pm.workspace_id));
    for (const auto& m : messages) InsertOutboxRow(conn, m);
    tx.Commit();
    return true;
  });
}

Result<Postmortem> PgStore::GetPostmortem(WorkspaceId ws, std::int64_t id) {
  return Guarded("reading a post-mortem", [&]() -> Result<Postmortem> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kPostmortemColumns +
                                       " FROM postmortems WHERE workspace_id = $1 AND id = $2",
                                   PgParams().Add(ws).Add(id));
    if (q.rows() == 0) return Status::NotFound("that post-mortem does not exist here");
    return ReadPostmortem(q, 0);
  });
}

Result<Postmortem> PgStore::PostmortemOfCampaign(WorkspaceId ws, std::int64_t campaign_id) {
  return Guarded("reading a post-mortem", [&]() -> Result<Postmortem> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        std::string("SELECT ") + kPostmortemColumns +
            " FROM postmortems WHERE workspace_id = $1 AND campaign_id = $2",
        PgParams().Add(ws).Add(campaign_id));
    if (q.rows() == 0) return Status::NotFound("the campaign has no post-mortem yet");
    return ReadPostmortem(q, 0);
  });
}

Result<std::vector<Postmortem>> PgStore::OpenPostmortems() {
  return Guarded("listing open post-mortems", [&]() -> Result<std::vector<Postmortem>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kPostmortemColumns +
                                   " FROM postmortems WHERE closed_at = 0 ORDER BY id");
    std::vector<Postmortem> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReadPostmortem(q, i));
    return out;
  });
}

Result<std::vector<PromptSession>> PgStore::ListSessions(std::int64_t postmortem_id) {
  return Guarded("listing post-mortem sessions", [&]() -> Result<std::vector<PromptSession>> {
    PgLease lease = pool_->Lease();
    return ReadSessions(lease.conn().Exec(std::string("SELECT ") + kSessionColumns +
                                              " FROM prompt_sessions s WHERE "
                                              "s.postmortem_id = $1 ORDER BY s.id",
                                          PgParams().Add(postmortem_id)));
  });
}

Result<std::vector<PromptSession>> PgStore::OpenSessionsOf(WorkspaceId ws,
                                                           std::string_view user_id) {
  return Guarded("reading a person's post-mortems", [&]() -> Result<std::vector<PromptSession>> {
    PgLease lease = pool_->Lease();
    return ReadSessions(lease.conn().Exec(
        std::string("SELECT ") + kSessionColumns +
            " FROM prompt_sessions s JOIN postmortems p ON p.id = s.postmortem_id "
            "WHERE s.workspace_id = $1 AND s.user_id = $2 AND p.closed_at = 0 ORDER BY s.id",
        PgParams().Add(ws).Add(ValidUtf8(user_id))));
  });
}

Result<std::vector<PromptSession>> PgStore::SessionsDueForReminder(Time now, int limit) {
  return Guarded("finding due reminders", [&]() -> Result<std::vector<PromptSession>> {
    PgLease lease = pool_->Lease();
    return ReadSessions(lease.conn().Exec(
        std::string("SELECT ") + kSessionColumns +
            " FROM prompt_sessions s JOIN postmortems p ON p.id = s.postmortem_id "
            "WHERE p.closed_at = 0 AND s.state IN ('pending', 'asking', 'snoozed') AND "
            "s.next_reminder_at > 0 AND s.next_reminder_at <= $1 "
            "ORDER BY s.next_reminder_at, s.id LIMIT $2",
        PgParams().Add(Unix(now)).Add(std::clamp(limit, 0, 1000))));
  });
}

Status PgStore::SaveSession(const PromptSession& s, const OutboxMessage* message) {
  return Guarded("saving a post-mortem session", [&] {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    PgResult upd = conn.Exec(
        "UPDATE prompt_sessions SET state = $1, current_question = $2, dm_target = $3, "
        "reminders_sent = $4, next_reminder_at = $5, updated_at = $6 WHERE id = $7",
        PgParams()
            .Add(PromptStateName(s.state))
            .Add(s.current_question)
            .Add(ValidUtf8(s.dm_target))
            .Add(s.reminders_sent)
            .Add(Unix(s.next_reminder_at))
            .Add(Unix(s.updated_at))
            .Add(s.id));
    if (upd.affected() == 0) return Status::NotFound("that post-mortem session does not exist");
    if (message != nullptr) InsertOutboxRow(conn, *message);
    tx.Commit();
    return Status::Ok();
  });
}

Status PgStore::SaveAnswer(const Answer& a) {
  return Guarded("saving an answer", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec(
        "INSERT INTO answers (postmortem_id, user_id, question_id, value, updated_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (postmortem_id, user_id, question_id) "
        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        PgParams()
            .Add(a.postmortem_id)
            .Add(ValidUtf8(a.user_id))
            .Add(ValidUtf8(a.question_id))
            .Add(ValidUtf8(a.value))
            .Add(Unix(a.updated_at)));
    return Status::Ok();
  });
}

Result<std::vector<Answer>> PgStore::ListAnswers(std::int64_t postmortem_id,
                                                 std::string_view user_id) {
  return Guarded("reading answers", [&]() -> Result<std::vector<Answer>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        "SELECT postmortem_id, user_id, question_id, value, updated_at FROM answers "
        "WHERE postmortem_id = $1 AND ($2 = '' OR user_id = $2) "
        "ORDER BY user_id COLLATE \"C\", question_id COLLATE \"C\"",
        PgParams().Add(postmortem_id).Add(ValidUtf8(user_id)));
    std::vector<Answer> out;
    for (int i = 0; i < q.rows(); ++i) {
      out.push_back(Answer{q.Int(i, 0), q.Text(i, 1), q.Text(i, 2), q.Text(i, 3),
                           FromUnix(q.Int(i, 4))});
    }
    return out;
  });
}

Result<bool> PgStore::ClosePostmortem(WorkspaceId ws, std::int64_t postmortem_id, Time now,
                                      const OutboxMessage& summary) {
  return Guarded("closing a post-mortem", [&]() -> Result<bool> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    // A concurrent close waits on the row lock, then sees closed_at set and updates nothing.
    PgResult close = conn.Exec(
        "UPDATE postmortems SET closed_at = $1 WHERE id = $2 AND workspace_id = $3 "
        "AND closed_at = 0 RETURNING campaign_id",
        PgParams().Add(Unix(now)).Add(postmortem_id).Add(ws));
    if (close.rows() == 0) return false;  // closed before
    conn.Exec("UPDATE campaigns SET status = 'closed', updated_at = $1 WHERE id = $2",
              PgParams().Add(Unix(now)).Add(close.Int(0, 0)));
    if (!summary.message.empty()) InsertOutboxRow(conn, summary);
    tx.Commit();
    return true;
  });
}

Status PgStore::SetPersonTimezone(WorkspaceId ws, std::string_view user_id,
                                  std::string_view timezone, Time now) {
  return Guarded("remembering a timezone", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec(
        "INSERT INTO people (workspace_id, user_id, timezone, updated_at) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, user_id) DO UPDATE SET "
        "timezone = excluded.timezone, updated_at = excluded.updated_at",
        PgParams().Add(ws).Add(ValidUtf8(user_id)).Add(ValidUtf8(timezone)).Add(Unix(now)));
    return Status::Ok();
  });
}

Result<std::optional<std::string>> PgStore::GetPersonTimezone(WorkspaceId ws,
                                                              std::string_view user_id) {
  return Guarded("reading a timezone", [&]() -> Result<std::optional<std::string>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        "SELECT timezone FROM people WHERE workspace_id = $1 AND user_id = $2 "
        "AND timezone <> ''",
        PgParams().Add(ws).Add(ValidUtf8(user_id)));
    if (q.rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(q.Text(0, 0));
  });
}

}  // namespace lessonbook::pg
