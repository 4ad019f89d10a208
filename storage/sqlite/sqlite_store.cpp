// SqliteStore: opening, migrations and workspaces. Lessons, search and the queues live in
// sqlite_lessons.cpp, sqlite_search.cpp and sqlite_queues.cpp.
#include "storage/sqlite/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/search_cache.h"
#include "storage/sqlite/workspace_cache.h"
#include "storage/sqlite/term_counts.h"
#include "storage/sqlite/text.h"
#include "storage/sqlite/row_lengths.h"
#include "storage/sqlite/word_rows.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

std::vector<std::string> LoadAdmins(Connection& conn, WorkspaceId id) {
  CachedStatement q(
      conn, "SELECT user_id FROM workspace_admins WHERE workspace_id = ? ORDER BY position");
  q->bind(1, static_cast<std::int64_t>(id));
  std::vector<std::string> admins;
  while (q->executeStep()) admins.push_back(q->getColumn(0).getString());
  return admins;
}

void SaveAdmins(Connection& conn, WorkspaceId id, const std::vector<std::string>& admins) {
  {
    CachedStatement del(conn, "DELETE FROM workspace_admins WHERE workspace_id = ?");
    del->bind(1, static_cast<std::int64_t>(id));
    del->exec();
  }
  CachedStatement ins(conn,
                      "INSERT INTO workspace_admins (workspace_id, position, user_id) "
                      "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
  int position = 0;
  for (const std::string& admin : admins) {
    std::string user = ValidUtf8(admin);
    if (user.empty()) continue;
    ins->reset();
    ins->bind(1, static_cast<std::int64_t>(id));
    ins->bind(2, position++);
    ins->bind(3, user);
    ins->exec();
  }
}

std::optional<Workspace> FindByExternalId(Connection& conn, Platform platform,
                                          std::string_view external_id) {
  CachedStatement q(conn, std::string("SELECT ") + kWorkspaceColumns +
                              " FROM workspaces WHERE platform = ? AND external_id = ?");
  q->bind(1, PlatformName(platform));
  q->bind(2, std::string(external_id));
  if (!q->executeStep()) return std::nullopt;
  Workspace w = ReadWorkspace(*q);
  q->reset();
  w.admins = LoadAdmins(conn, w.id);
  return w;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  if (path.empty()) {
    return Status::InvalidArgument("the database path is empty; set LESSONBOOK_DB to a file path");
  }
  try {
    auto pool = std::make_unique<ConnectionPool>(path);
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool)));
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot open database at " + path + ": " + e.what());
  }
}

SqliteStore::SqliteStore(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)),
      search_cache_(std::make_unique<SearchCache>()),
      term_counts_(std::make_unique<TermCounts>()),
      word_rows_(std::make_unique<WordRows>()),
      row_lengths_(std::make_unique<RowLengths>()),
      workspaces_(std::make_unique<WorkspaceCache>()) {}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::Migrate() {
  return Guarded("migrating the database", [&] {
    ConnectionLease writer = pool_->Writer();
    return ApplyMigrations(writer.db(), embedded::SqliteMigrations());
  });
}

Result<int> SqliteStore::SchemaVersion() {
  return Guarded("reading the schema version", [&] {
    ConnectionLease reader = pool_->Reader();
    return AppliedSchemaVersion(reader.db());
  });
}

Status SqliteStore::Ping() {
  return Guarded("checking the database", [&] {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), "SELECT 1");
    q->executeStep();
    return Status::Ok();
  });
}

std::optional<Workspace> SqliteStore::LoadWorkspace(Connection& conn, WorkspaceId id) {
  CachedStatement q(conn,
                    std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces WHERE id = ?");
  q->bind(1, static_cast<std::int64_t>(id));
  if (!q->executeStep()) return std::nullopt;
  Workspace w = ReadWorkspace(*q);
  q->reset();
  w.admins = LoadAdmins(conn, w.id);
  return w;
}

Result<Workspace> SqliteStore::EnsureWorkspace(const Workspace& w) {
  if (w.external_id.empty()) {
    return Status::InvalidArgument(
        "a workspace needs an external id (Slack team id, Teams tenant id)");
  }
  ForgetWorkspacesOnExit forget(*workspaces_);
  return Guarded("saving a workspace", [&]() -> Result<Workspace> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    if (std::optional<Workspace> found =
            FindByExternalId(writer.conn(), w.platform, w.external_id)) {
      return *found;
    }
    {
      CachedStatement ins(
          writer.conn(),
          "INSERT INTO workspaces (platform, external_id, name, timezone, bot_token, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?)");
      ins->bind(1, PlatformName(w.platform));
      ins->bind(2, ValidUtf8(w.external_id));
      ins->bind(3, ValidUtf8(w.name));
      ins->bind(4, w.timezone.empty() ? std::string("UTC") : ValidUtf8(w.timezone));
      ins->bind(5, w.bot_token);
      ins->bind(6, Unix(w.created_at));
      ins->exec();
    }
    const WorkspaceId id = writer.db().getLastInsertRowid();
    SaveAdmins(writer.conn(), id, w.admins);
    std::optional<Workspace> stored = LoadWorkspace(writer.conn(), id);
    tx.commit();
    return *stored;
  });
}

Result<Workspace> SqliteStore::UpdateWorkspace(const Workspace& w) {
  ForgetWorkspacesOnExit forget(*workspaces_);
  return Guarded("updating a workspace", [&]() -> Result<Workspace> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    {
      CachedStatement upd(
          writer.conn(),
          "UPDATE workspaces SET name = ?, timezone = ?, bot_token = ? WHERE id = ?");
      upd->bind(1, ValidUtf8(w.name));
      upd->bind(2, w.timezone.empty() ? std::string("UTC") : ValidUtf8(w.timezone));
      upd->bind(3, w.bot_token);
      upd->bind(4, static_cast<std::int64_t>(w.id));
      if (upd->exec() == 0) {
        return Status::NotFound("workspace " + std::to_string(w.id) + " does not exist");
      }
    }
    SaveAdmins(writer.conn(), w.id, w.admins);
    std::optional<Workspace> stored = LoadWorkspace(writer.conn(), w.id);
    tx.commit();
    return *stored;
  });
}

Result<Workspace> SqliteStore::GetWorkspace(WorkspaceId id) {
  const auto now = WorkspaceCache::Clock::now();
  if (std::optional<Workspace> kept = workspaces_->ById(id, now)) return std::move(*kept);
  const std::uint64_t version = workspaces_->Version();
  return Guarded("reading a workspace", [&]() -> Result<Workspace> {
    ConnectionLease reader = pool_->Reader();
    ReadSnapshot snapshot(reader.conn());
    std::optional<Workspace> w = LoadWorkspace(reader.conn(), id);
    if (!w) return Status::NotFound("workspace " + std::to_string(id) + " does not exist");
    workspaces_->Put(*w, version, now);
    return *w;
  });
}

Result<Workspace> SqliteStore::FindWorkspace(Platform platform, std::string_view external_id) {
  const auto now = WorkspaceCache::Clock::now();
  if (std::optional<Workspace> kept = workspaces_->ByExternalId(platform, external_id, now)) {
    return std::move(*kept);
  }
  const std::uint64_t version = workspaces_->Version();
  return Guarded("finding a workspace", [&]() -> Result<Workspace> {
    ConnectionLease reader = pool_->Reader();
    ReadSnapshot snapshot(reader.conn());
    std::optional<Workspace> w = FindByExternalId(reader.conn(), platform, external_id);
    if (!w) {
      return Status::NotFound(std::string("no ") + PlatformName(platform) + " workspace " +
                              std::string(external_id) + " is installed");
    }
    workspaces_->Put(*w, version, now);
    return *w;
  });
}

Result<std::vector<Workspace>> SqliteStore::ListWorkspaces() {
  return Guarded("listing workspaces", [&]() -> Result<std::vector<Workspace>> {
    ConnectionLease reader = pool_->Reader();
    ReadSnapshot snapshot(reader.conn());
    std::vector<Workspace> out;
    {
      CachedStatement q(reader.conn(), std::string("SELECT ") + kWorkspaceColumns +
                                           " FROM workspaces ORDER BY id");
      while (q->executeStep()) out.push_back(ReadWorkspace(*q));
    }
    for (Workspace& w : out) w.admins = LoadAdmins(reader.conn(), w.id);
    return out;
  });
}

}  // namespace lessonbook::sqlite
