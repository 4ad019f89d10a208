// PgStore: opening, migrations and workspaces. Lessons, search, the queues, digests, campaigns
// and Teams live in pg_lessons.cpp, pg_search.cpp, pg_queues.cpp, pg_digests.cpp,
// pg_campaigns.cpp and pg_teams.cpp.
#include "storage/postgres/pg_store.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/sqlite/text.h"

namespace lessonbook::pg {
namespace {

using sqlite::ValidUtf8;

std::vector<std::string> LoadAdmins(PgConnection& conn, WorkspaceId id) {
  PgResult q = conn.Exec(
      "SELECT user_id FROM workspace_admins WHERE workspace_id = $1 ORDER BY position",
      PgParams().Add(id));
  std::vector<std::string> admins;
  for (int i = 0; i < q.rows(); ++i) admins.push_back(q.Text(i, 0));
  return admins;
}

void SaveAdmins(PgConnection& conn, WorkspaceId id, const std::vector<std::string>& admins) {
  conn.Exec("DELETE FROM workspace_admins WHERE workspace_id = $1", PgParams().Add(id));
  int position = 0;
  for (const std::string& admin : admins) {
    std::string user = ValidUtf8(admin);
    if (user.empty()) continue;
    conn.Exec(
        "INSERT INTO workspace_admins (workspace_id, position, user_id) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        PgParams().Add(id).Add(position++).Add(user));
  }
}

std::optional<Workspace> FindByExternalId(PgConnection& conn, Platform platform,
                                          std::string_view external_id) {
  PgResult q = conn.Exec(std::string("SELECT ") + kWorkspaceColumns +
                             " FROM workspaces WHERE platform = $1 AND external_id = $2",
                         PgParams().Add(PlatformName(platform)).Add(ValidUtf8(external_id)));
  if (q.rows() == 0) return std::nullopt;
  Workspace w = ReadWorkspace(q, 0);
  w.admins = LoadAdmins(conn, w.id);
  return w;
}

// "host:port/db" of a libpq URI, without user and password, for error messages.
std::string Describe(std::string_view conninfo) {
  const size_t scheme = conninfo.find("://");
  if (scheme == std::string_view::npos) return "the configured server";
  std::string_view rest = conninfo.substr(scheme + 3);
  rest = rest.substr(0, rest.find('?'));
  const size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  return std::string(rest.empty() ? std::string_view("localhost") : rest);
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& conninfo) {
  auto pool = std::make_unique<PgPool>(conninfo);
  try {
    PgLease first = pool->Lease();  // checks the server answers; stays in the pool
    first.conn().Exec("SELECT 1");
  } catch (const std::exception& e) {
    // libpq's messages name host and port, never the password.
    return Status::Unavailable("cannot connect to PostgreSQL at " + Describe(conninfo) + ": " +
                               e.what());
  }
  return std::unique_ptr<PgStore>(new PgStore(std::move(pool)));
}

PgStore::PgStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}

PgStore::~PgStore() = default;

Status PgStore::Migrate() {
  return Guarded("migrating the database", [&] {
    PgLease lease = pool_->Lease();
    return ApplyMigrations(lease.conn(), embedded::PostgresMigrations());
  });
}

Result<int> PgStore::SchemaVersion() {
  return Guarded("reading the schema version", [&] {
    PgLease lease = pool_->Lease();
    return AppliedSchemaVersion(lease.conn());
  });
}

Status PgStore::Ping() {
  return Guarded("checking the database", [&] {
    PgLease lease = pool_->Lease();
    lease.conn().Exec("SELECT 1");
    return Status::Ok();
  });
}

std::optional<Workspace> PgStore::LoadWorkspace(PgConnection& conn, WorkspaceId id) {
  PgResult q = conn.Exec(
      std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces WHERE id = $1",
      PgParams().Add(id));
  if (q.rows() == 0) return std::nullopt;
  Workspace w = ReadWorkspace(q, 0);
  w.admins = LoadAdmins(conn, w.id);
  return w;
}

Result<Workspace> PgStore::EnsureWorkspace(const Workspace& w) {
  if (w.external_id.empty()) {
    return Status::InvalidArgument(
        "a workspace needs an external id (Slack team id, Teams tenant id)");
  }
  return Guarded("saving a workspace", [&]() -> Result<Workspace> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    // ON CONFLICT: two replicas installing the same workspace at once create it once.
    PgResult ins = conn.Exec(
        "INSERT INTO workspaces (platform, external_id, name, timezone, bot_token, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, external_id) DO NOTHING "
        "RETURNING id",
        PgParams()
            .Add(PlatformName(w.platform))
            .Add(ValidUtf8(w.external_id))
            .Add(ValidUtf8(w.name))
            .Add(w.timezone.empty() ? std::string("UTC") : ValidUtf8(w.timezone))
            .Add(w.bot_token)
            .Add(Unix(w.created_at)));
    if (ins.rows() == 0) {
      std::optional<Workspace> found = FindByExternalId(conn, w.platform, w.external_id);
      if (!found) return Status::Internal("a workspace conflicted without a row");
      return *found;
    }
    const WorkspaceId id = ins.Int(0, 0);
    SaveAdmins(conn, id, w.admins);
    std::optional<Workspace> stored = LoadWorkspace(conn, id);
    tx.Commit();
    return *stored;
  });
}

Result<Workspace> PgStore::UpdateWorkspace(const Workspace& w) {
  return Guarded("updating a workspace", [&]() -> Result<Workspace> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    PgResult upd = conn.Exec(
        "UPDATE workspaces SET name = $1, timezone = $2, bot_token = $3 WHERE id = $4",
        PgParams()
            .Add(ValidUtf8(w.name))
            .Add(w.timezone.empty() ? std::string("UTC") : ValidUtf8(w.timezone))
            .Add(w.bot_token)
            .Add(w.id));
    if (upd.affected() == 0) {
      return Status::NotFound("workspace " + std::to_string(w.id) + " does not exist");
    }
    SaveAdmins(conn, w.id, w.admins);
    std::optional<Workspace> stored = LoadWorkspace(conn, w.id);
    tx.Commit();
    return *stored;
  });
}

Result<Workspace> PgStore::GetWorkspace(WorkspaceId id) {
  return Guarded("reading a workspace", [&]() -> Result<Workspace> {
    PgLease lease = pool_->Lease();
    PgTransaction tx(lease.conn(), "ISOLATION LEVEL REPEATABLE READ READ ONLY");
    std::optional<Workspace> w = LoadWorkspace(lease.conn(), id);
    if (!w) return Status::NotFound("workspace " + std::to_string(id) + " does not exist");
    return *w;
  });
}

Result<Workspace> PgStore::FindWorkspace(Platform platform, std::string_view external_id) {
  return Guarded("finding a workspace", [&]() -> Result<Workspace> {
    PgLease lease = pool_->Lease();
    PgTransaction tx(lease.conn(), "ISOLATION LEVEL REPEATABLE READ READ ONLY");
    std::optional<Workspace> w = FindByExternalId(lease.conn(), platform, external_id);
    if (!w) {
      return Status::NotFound(std::string("no ") + PlatformName(platform) + " workspace " +
                              std::string(external_id) + " is installed");
    }
    return *w;
  });
}

Result<std::vector<Workspace>> PgStore::ListWorkspaces() {
  return Guarded("listing workspaces", [&]() -> Result<std::vector<Workspace>> {
    PgLease lease = pool_->Lease();
    PgTransaction tx(lease.conn(), "ISOLATION LEVEL REPEATABLE READ READ ONLY");
    std::vector<Workspace> out;
    PgResult q = lease.conn().Exec(std::string("SELECT ") + kWorkspaceColumns +
                                   " FROM workspaces ORDER BY id");
    for (int i = 0; i < q.rows(); ++i) out.push_back(ReadWorkspace(q, i));
    for (Workspace& w : out) w.admins = LoadAdmins(lease.conn(), w.id);
    return out;
  });
}

}  // namespace lessonbook::pg
