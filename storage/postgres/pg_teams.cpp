// PgStore: what the Microsoft Teams adapter keeps — conversation references, users (their last
// localTimezone, 1:1 chat, reachability) and the Bot Connector URLs seen in authenticated
// activities (storage/migrations/postgres/0003_teams.sql).
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/text.h"

namespace lessonbook::pg {
namespace {

using sqlite::ValidUtf8;

constexpr const char* kConversationColumns =
    "workspace_id, conversation_id, conversation_type, service_url, tenant_id, team_id, bot_id, "
    "updated_at";
constexpr const char* kUserColumns =
    "workspace_id, user_id, aad_object_id, name, local_timezone, service_url, "
    "personal_conversation_id, unreachable, updated_at";

TeamsConversation ReadConversation(const PgResult& r) {
  TeamsConversation c;
  c.workspace_id = r.Int(0, 0);
  c.conversation_id = r.Text(0, 1);
  c.conversation_type = r.Text(0, 2);
  c.service_url = r.Text(0, 3);
  c.tenant_id = r.Text(0, 4);
  c.team_id = r.Text(0, 5);
  c.bot_id = r.Text(0, 6);
  c.updated_at = FromUnix(r.Int(0, 7));
  return c;
}

TeamsUser ReadUser(const PgResult& r) {
  TeamsUser u;
  u.workspace_id = r.Int(0, 0);
  u.user_id = r.Text(0, 1);
  u.aad_object_id = r.Text(0, 2);
  u.name = r.Text(0, 3);
  u.local_timezone = r.Text(0, 4);
  u.service_url = r.Text(0, 5);
  u.personal_conversation_id = r.Text(0, 6);
  u.unreachable = r.Bool(0, 7);
  u.updated_at = FromUnix(r.Int(0, 8));
  return u;
}

}  // namespace

Status PgStore::SaveTeamsConversation(const TeamsConversation& c) {
  if (c.conversation_id.empty() || c.service_url.empty()) {
    return Status::InvalidArgument("a Teams conversation needs an id and a service URL");
  }
  return Guarded("saving a Teams conversation", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec(
        "INSERT INTO teams_conversations AS t (workspace_id, conversation_id, "
        "conversation_type, service_url, tenant_id, team_id, bot_id, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (workspace_id, conversation_id) DO UPDATE SET "
        "conversation_type = excluded.conversation_type, service_url = excluded.service_url, "
        "tenant_id = excluded.tenant_id, "
        "team_id = CASE WHEN excluded.team_id = '' THEN t.team_id ELSE excluded.team_id END, "
        "bot_id = CASE WHEN excluded.bot_id = '' THEN t.bot_id ELSE excluded.bot_id END, "
        "updated_at = excluded.updated_at",
        PgParams()
            .Add(c.workspace_id)
            .Add(ValidUtf8(c.conversation_id))
            .Add(ValidUtf8(c.conversation_type))
            .Add(ValidUtf8(c.service_url))
            .Add(ValidUtf8(c.tenant_id))
            .Add(ValidUtf8(c.team_id))
            .Add(ValidUtf8(c.bot_id))
            .Add(Unix(c.updated_at)));
    return Status::Ok();
  });
}

Result<TeamsConversation> PgStore::GetTeamsConversation(WorkspaceId ws,
                                                        std::string_view conversation_id) {
  return Guarded("reading a Teams conversation", [&]() -> Result<TeamsConversation> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        std::string("SELECT ") + kConversationColumns +
            " FROM teams_conversations WHERE workspace_id = $1 AND conversation_id = $2",
        PgParams().Add(ws).Add(ValidUtf8(conversation_id)));
    if (q.rows() == 0) {
      return Status::NotFound("the bot has not seen Teams conversation " +
                              std::string(conversation_id));
    }
    return ReadConversation(q);
  });
}

Status PgStore::SaveTeamsUser(const TeamsUser& u) {
  if (u.user_id.empty()) return Status::InvalidArgument("a Teams user needs an id");
  return Guarded("saving a Teams user", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec(
        "INSERT INTO teams_users AS t (workspace_id, user_id, aad_object_id, name, "
        "local_timezone, service_url, personal_conversation_id, unreachable, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (workspace_id, user_id) DO UPDATE SET "
        "aad_object_id = CASE WHEN excluded.aad_object_id = '' THEN t.aad_object_id "
        "ELSE excluded.aad_object_id END, "
        "name = CASE WHEN excluded.name = '' THEN t.name ELSE excluded.name END, "
        "local_timezone = CASE WHEN excluded.local_timezone = '' THEN t.local_timezone "
        "ELSE excluded.local_timezone END, "
        "service_url = CASE WHEN excluded.service_url = '' THEN t.service_url "
        "ELSE excluded.service_url END, "
        "personal_conversation_id = CASE WHEN excluded.personal_conversation_id = '' "
        "THEN t.personal_conversation_id ELSE excluded.personal_conversation_id END, "
        "unreachable = excluded.unreachable, updated_at = excluded.updated_at",
        PgParams()
            .Add(u.workspace_id)
            .Add(ValidUtf8(u.user_id))
            .Add(ValidUtf8(u.aad_object_id))
            .Add(ValidUtf8(u.name))
            .Add(ValidUtf8(u.local_timezone))
            .Add(ValidUtf8(u.service_url))
            .Add(ValidUtf8(u.personal_conversation_id))
            .Add(u.unreachable)
            .Add(Unix(u.updated_at)));
    return Status::Ok();
  });
}

Result<TeamsUser> PgStore::GetTeamsUser(WorkspaceId ws, std::string_view user_id) {
  return Guarded("reading a Teams user", [&]() -> Result<TeamsUser> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kUserColumns +
                                       " FROM teams_users WHERE workspace_id = $1 AND "
                                       "user_id = $2",
                                   PgParams().Add(ws).Add(ValidUtf8(user_id)));
    if (q.rows() == 0) {
      return Status::NotFound("the bot has not heard from Teams user " + std::string(user_id));
    }
    return ReadUser(q);
  });
}

Status PgStore::SetTeamsUserUnreachable(WorkspaceId ws, std::string_view user_id,
                                        bool unreachable, Time now) {
  return Guarded("marking a Teams user's reachability", [&] {
    PgLease lease = pool_->Lease();
    PgResult upd = lease.conn().Exec(
        "UPDATE teams_users SET unreachable = $1, updated_at = $2 "
        "WHERE workspace_id = $3 AND user_id = $4",
        PgParams().Add(unreachable).Add(Unix(now)).Add(ws).Add(ValidUtf8(user_id)));
    if (upd.affected() == 0) {
      return Status::NotFound("the bot has not heard from Teams user " + std::string(user_id));
    }
    return Status::Ok();
  });
}

Status PgStore::RememberTeamsServiceUrl(std::string_view service_url, Time now) {
  if (service_url.empty()) return Status::InvalidArgument("the service URL is empty");
  return Guarded("remembering a Teams service URL", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec(
        "INSERT INTO teams_service_urls (service_url, first_seen) VALUES ($1, $2) "
        "ON CONFLICT (service_url) DO NOTHING",
        PgParams().Add(ValidUtf8(service_url)).Add(Unix(now)));
    return Status::Ok();
  });
}

Result<std::vector<std::string>> PgStore::ListTeamsServiceUrls() {
  return Guarded("listing Teams service URLs", [&]() -> Result<std::vector<std::string>> {
    PgLease lease = pool_->Lease();
    PgResult q = lease.conn().Exec(
        "SELECT service_url FROM teams_service_urls ORDER BY service_url COLLATE \"C\"");
    std::vector<std::string> out;
    for (int i = 0; i < q.rows(); ++i) out.push_back(q.Text(i, 0));
    return out;
  });
}

}  // namespace lessonbook::pg
