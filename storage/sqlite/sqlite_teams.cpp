// SqliteStore: what the Microsoft Teams adapter keeps — conversation references, users (their
// last localTimezone, 1:1 chat, reachability) and the Bot Connector URLs seen in authenticated
// activities (storage/migrations/sqlite/0003_teams.sql).
#include <SQLiteCpp/SQLiteCpp.h>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

constexpr const char* kConversationColumns =
    "workspace_id, conversation_id, conversation_type, service_url, tenant_id, team_id, bot_id, "
    "updated_at";
constexpr const char* kUserColumns =
    "workspace_id, user_id, aad_object_id, name, local_timezone, service_url, "
    "personal_conversation_id, unreachable, updated_at";

TeamsConversation ReadConversation(const SQLite::Statement& row) {
  TeamsConversation c;
  c.workspace_id = row.getColumn(0).getInt64();
  c.conversation_id = row.getColumn(1).getString();
  c.conversation_type = row.getColumn(2).getString();
  c.service_url = row.getColumn(3).getString();
  c.tenant_id = row.getColumn(4).getString();
  c.team_id = row.getColumn(5).getString();
  c.bot_id = row.getColumn(6).getString();
  c.updated_at = FromUnix(row.getColumn(7).getInt64());
  return c;
}

TeamsUser ReadUser(const SQLite::Statement& row) {
  TeamsUser u;
  u.workspace_id = row.getColumn(0).getInt64();
  u.user_id = row.getColumn(1).getString();
  u.aad_object_id = row.getColumn(2).getString();
  u.name = row.getColumn(3).getString();
  u.local_timezone = row.getColumn(4).getString();
  u.service_url = row.getColumn(5).getString();
  u.personal_conversation_id = row.getColumn(6).getString();
  u.unreachable = row.getColumn(7).getInt() != 0;
  u.updated_at = FromUnix(row.getColumn(8).getInt64());
  return u;
}

}  // namespace

Status SqliteStore::SaveTeamsConversation(const TeamsConversation& c) {
  if (c.conversation_id.empty() || c.service_url.empty()) {
    return Status::InvalidArgument("a Teams conversation needs an id and a service URL");
  }
  return Guarded("saving a Teams conversation", [&] {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement up(
        writer.conn(),
        "INSERT INTO teams_conversations (workspace_id, conversation_id, conversation_type, "
        "service_url, tenant_id, team_id, bot_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8) ON CONFLICT (workspace_id, conversation_id) DO UPDATE SET "
        "conversation_type = excluded.conversation_type, service_url = excluded.service_url, "
        "tenant_id = excluded.tenant_id, "
        "team_id = CASE WHEN excluded.team_id = '' THEN team_id ELSE excluded.team_id END, "
        "bot_id = CASE WHEN excluded.bot_id = '' THEN bot_id ELSE excluded.bot_id END, "
        "updated_at = excluded.updated_at");
    up->bind(1, static_cast<std::int64_t>(c.workspace_id));
    up->bind(2, ValidUtf8(c.conversation_id));
    up->bind(3, ValidUtf8(c.conversation_type));
    up->bind(4, ValidUtf8(c.service_url));
    up->bind(5, ValidUtf8(c.tenant_id));
    up->bind(6, ValidUtf8(c.team_id));
    up->bind(7, ValidUtf8(c.bot_id));
    up->bind(8, Unix(c.updated_at));
    up->exec();
    tx.commit();
    return Status::Ok();
  });
}

Result<TeamsConversation> SqliteStore::GetTeamsConversation(WorkspaceId ws,
                                                            std::string_view conversation_id) {
  return Guarded("reading a Teams conversation", [&]() -> Result<TeamsConversation> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), std::string("SELECT ") + kConversationColumns +
                                         " FROM teams_conversations WHERE workspace_id = ? AND "
                                         "conversation_id = ?");
    q->bind(1, static_cast<std::int64_t>(ws));
    q->bind(2, std::string(conversation_id));
    if (!q->executeStep()) {
      return Status::NotFound("the bot has not seen Teams conversation " +
                              std::string(conversation_id));
    }
    return ReadConversation(*q);
  });
}

Status SqliteStore::SaveTeamsUser(const TeamsUser& u) {
  if (u.user_id.empty()) return Status::InvalidArgument("a Teams user needs an id");
  return Guarded("saving a Teams user", [&] {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement up(
        writer.conn(),
        "INSERT INTO teams_users (workspace_id, user_id, aad_object_id, name, local_timezone, "
        "service_url, personal_conversation_id, unreachable, updated_at) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7, ?8, ?9) ON CONFLICT (workspace_id, user_id) DO UPDATE SET "
        "aad_object_id = CASE WHEN excluded.aad_object_id = '' THEN aad_object_id "
        "ELSE excluded.aad_object_id END, "
        "name = CASE WHEN excluded.name = '' THEN name ELSE excluded.name END, "
        "local_timezone = CASE WHEN excluded.local_timezone = '' THEN local_timezone "
        "ELSE excluded.local_timezone END, "
        "service_url = CASE WHEN excluded.service_url = '' THEN service_url "
        "ELSE excluded.service_url END, "
        "personal_conversation_id = CASE WHEN excluded.personal_conversation_id = '' "
        "THEN personal_conversation_id ELSE excluded.personal_conversation_id END, "
        "unreachable = excluded.unreachable, updated_at = excluded.updated_at");
    up->bind(1, static_cast<std::int64_t>(u.workspace_id));
    up->bind(2, ValidUtf8(u.user_id));
    up->bind(3, ValidUtf8(u.aad_object_id));
    up->bind(4, ValidUtf8(u.name));
    up->bind(5, ValidUtf8(u.local_timezone));
    up->bind(6, ValidUtf8(u.service_url));
    up->bind(7, ValidUtf8(u.personal_conversation_id));
    up->bind(8, u.unreachable ? 1 : 0);
    up->bind(9, Unix(u.updated_at));
    up->exec();
    tx.commit();
    return Status::Ok();
  });
}

Result<TeamsUser> SqliteStore::GetTeamsUser(WorkspaceId ws, std::string_view user_id) {
  return Guarded("reading a Teams user", [&]() -> Result<TeamsUser> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), std::string("SELECT ") + kUserColumns +
                                         " FROM teams_users WHERE workspace_id = ? AND "
                                         "user_id = ?");
    q->bind(1, static_cast<std::int64_t>(ws));
    q->bind(2, std::string(user_id));
    if (!q->executeStep()) {
      return Status::NotFound("the bot has not heard from Teams user " + std::string(user_id));
    }
    return ReadUser(*q);
  });
}

Status SqliteStore::SetTeamsUserUnreachable(WorkspaceId ws, std::string_view user_id,
                                            bool unreachable, Time now) {
  return Guarded("marking a Teams user's reachability", [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement upd(writer.conn(),
                        "UPDATE teams_users SET unreachable = ?, updated_at = ? "
                        "WHERE workspace_id = ? AND user_id = ?");
    upd->bind(1, unreachable ? 1 : 0);
    upd->bind(2, Unix(now));
    upd->bind(3, static_cast<std::int64_t>(ws));
    upd->bind(4, std::string(user_id));
    if (upd->exec() == 0) {
      return Status::NotFound("the bot has not heard from Teams user " + std::string(user_id));
    }
    return Status::Ok();
  });
}

Status SqliteStore::RememberTeamsServiceUrl(std::string_view service_url, Time now) {
  if (service_url.empty()) return Status::InvalidArgument("the service URL is empty");
  return Guarded("remembering a Teams service URL", [&] {
    ConnectionLease writer = pool_->Writer();
    CachedStatement ins(writer.conn(),
                        "INSERT INTO teams_service_urls (service_url, first_seen) VALUES (?, ?) "
                        "ON CONFLICT (service_url) DO NOTHING");
    ins->bind(1, ValidUtf8(service_url));
    ins->bind(2, Unix(now));
    ins->exec();
    return Status::Ok();
  });
}

Result<std::vector<std::string>> SqliteStore::ListTeamsServiceUrls() {
  return Guarded("listing Teams service URLs", [&]() -> Result<std::vector<std::string>> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), "SELECT service_url FROM teams_service_urls ORDER BY 1");
    std::vector<std::string> out;
    while (q->executeStep()) out.push_back(q->getColumn(0).getString());
    return out;
  });
}

}  // namespace lessonbook::sqlite
