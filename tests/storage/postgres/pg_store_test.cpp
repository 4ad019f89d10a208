// What only the PostgreSQL store has to prove: its migrations (once, under an advisory lock, even
// when replicas start together), a clear error when the server is unreachable, and the
// several-replicas primitives — one leader with handover when a replica's session dies, outbox
// claims and exactly-once generation across stores on one database.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/sqlite/migrations.h"
#include "tests/storage/store_fixture.h"

namespace lessonbook::testing {
namespace {

using std::chrono::seconds;

int HighestMigration() {
  const std::string last(embedded::PostgresMigrations().back().first);
  return std::stoi(last.substr(last.rfind('/') + 1, 4));
}

std::int64_t Count(const std::string& uri, const std::string& sql) {
  pg::PgConnection conn(uri);
  return conn.Exec(sql).Int(0, 0);
}

OutboxMessage Message(const std::string& target, long long due, std::string dedupe_key = "") {
  OutboxMessage m;
  m.workspace_id = 1;
  m.platform = Platform::kSlack;
  m.target = target;
  m.message = "{\"text\":\"hi\"}";
  m.dedupe_key = std::move(dedupe_key);
  m.next_attempt_at = T(due);
  m.created_at = T(due);
  return m;
}

TEST(PgOpenStore, AnUnreachableServerIsUnavailableWithoutThePassword) {
  Result<std::unique_ptr<Store>> s =
      OpenStore("postgres://lessonbook:secret@127.0.0.1:1/lessons?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("cannot connect to PostgreSQL at 127.0.0.1:1/lessons"),
            std::string::npos)
      << s.status().message();
  EXPECT_EQ(s.status().message().find("secret"), std::string::npos) << s.status().message();
}

class PgStoreTest : public StoreTest {
 protected:
  // A database of its own (not the shared one), dropped at the end.
  std::string FreshDatabase() {
    Result<std::string> uri = server_->CreateDatabase();
    EXPECT_TRUE(uri.ok()) << uri.status().ToString();
    if (uri.ok()) own_databases_.push_back(*uri);
    return uri.ok() ? *uri : "";
  }

  void TearDown() override {
    StoreTest::TearDown();
    for (const std::string& uri : own_databases_) server_->DropDatabase(uri);
  }

  std::vector<std::string> own_databases_;
};

TEST_P(PgStoreTest, MigrationsApplyOnceAndReportTheSchemaVersion) {
  Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, HighestMigration());
  EXPECT_EQ(Count(Location(), "SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(embedded::PostgresMigrations().size()));
  EXPECT_TRUE(store_->Migrate().ok());
  EXPECT_TRUE(store_->Ping().ok());
  EXPECT_EQ(Count(Location(), "SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(embedded::PostgresMigrations().size()));
}

TEST_P(PgStoreTest, ReplicasStartingTogetherOnAnEmptyDatabaseMigrateOnce) {
  const std::string uri = FreshDatabase();
  ASSERT_FALSE(uri.empty());
  std::atomic<int> failures{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      Result<std::unique_ptr<Store>> s = OpenStore(uri);
      if (!s.ok()) {
        ADD_FAILURE() << s.status().ToString();
        ++failures;
      }
    });
  }
  for (std::thread& t : replicas) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(uri, "SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(embedded::PostgresMigrations().size()));
  EXPECT_EQ(Count(uri, "SELECT max(version) FROM schema_migrations"), HighestMigration());
}

TEST_P(PgStoreTest, AFailingMigrationIsRolledBackAndNamed) {
  const std::string uri = FreshDatabase();
  ASSERT_FALSE(uri.empty());
  pg::PgConnection conn(uri);
  const pg::MigrationFiles good = {{"m/0001_first.sql", "CREATE TABLE first (x INTEGER);"}};
  ASSERT_TRUE(pg::ApplyMigrations(conn, good).ok());
  const pg::MigrationFiles bad = {
      {"m/0001_first.sql", "CREATE TABLE first (x INTEGER);"},
      {"m/0002_broken.sql", "CREATE TABLE second (x INTEGER); SELECT no_such_function();"}};
  Status s = pg::ApplyMigrations(conn, bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("m/0002_broken.sql"), std::string::npos) << s.message();
  EXPECT_EQ(*pg::AppliedSchemaVersion(conn), 1);
  EXPECT_EQ(conn.Exec("SELECT to_regclass('second') IS NULL").Bool(0, 0), true);
  EXPECT_EQ(pg::ApplyMigrations(conn, {{"m/first.sql", ""}}).code(), Status::Code::kInternal);
  EXPECT_EQ(pg::ApplyMigrations(conn, {{"m/0003_a.sql", ""}, {"m/0003_b.sql", ""}}).code(),
            Status::Code::kInternal);
}

TEST_P(PgStoreTest, LeadershipPassesToAnotherReplicaAtOnceWhenTheLeaderDies) {
  std::unique_ptr<Store> replica_b = Reopen();
  ASSERT_NE(replica_b, nullptr);
  EXPECT_TRUE(*store_->TryLead("scheduler", "A", seconds(30), T(100)));
  EXPECT_FALSE(*replica_b->TryLead("scheduler", "B", seconds(30), T(110)));
  EXPECT_TRUE(*store_->TryLead("scheduler", "A", seconds(30), T(120)));  // renewal
  EXPECT_FALSE(*replica_b->TryLead("scheduler", "B", seconds(30), T(130)));
  store_.reset();  // replica A dies: its session ends, PostgreSQL releases its lock
  // Long before A's lease (until 150) would expire, B leads: as soon as the server has ended
  // A's session (it notices the closed connection by itself, so B asks again like the
  // scheduler's next tick would).
  bool b_leads = false;
  for (int attempt = 0; attempt < 200 && !b_leads; ++attempt) {
    b_leads = *replica_b->TryLead("scheduler", "B", seconds(30), T(131));
    if (!b_leads) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(b_leads);
  store_ = Reopen();  // A restarts: B's lease is live and B's session holds the lock
  EXPECT_FALSE(*store_->TryLead("scheduler", "A", seconds(30), T(140)));
}

TEST_P(PgStoreTest, ALeaderThatStopsRenewingLosesTheLeaseAtItsTtl) {
  std::unique_ptr<Store> replica_b = Reopen();
  ASSERT_NE(replica_b, nullptr);
  EXPECT_TRUE(*store_->TryLead("digests", "A", seconds(30), T(100)));
  EXPECT_FALSE(*replica_b->TryLead("digests", "B", seconds(30), T(129)));
  EXPECT_TRUE(*replica_b->TryLead("digests", "B", seconds(30), T(130)));  // A stalled
  EXPECT_FALSE(*store_->TryLead("digests", "A", seconds(30), T(131)));   // and knows it
  EXPECT_TRUE(*replica_b->TryLead("digests", "B", seconds(30), T(140)));
}

TEST_P(PgStoreTest, TwoReplicasClaimingTheOutboxNeverGetTheSameRow) {
  std::unique_ptr<Store> replica_b = Reopen();
  ASSERT_NE(replica_b, nullptr);
  constexpr int kRows = 200;
  for (int i = 0; i < kRows; ++i) ASSERT_TRUE(store_->EnqueueOutbox(Message("C1", 10)).ok());
  std::mutex mu;
  std::vector<std::int64_t> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    Store* store = w % 2 == 0 ? store_.get() : replica_b.get();
    workers.emplace_back([&, store, w] {
      while (true) {
        Result<std::vector<OutboxMessage>> batch =
            store->ClaimOutbox(7, seconds(60), "worker-" + std::to_string(w), T(20));
        if (!batch.ok()) {
          ADD_FAILURE() << batch.status().ToString();
          return;
        }
        if (batch->empty()) return;
        std::lock_guard<std::mutex> lock(mu);
        for (const OutboxMessage& m : *batch) claimed.push_back(m.id);
      }
    });
  }
  for (std::thread& t : workers) t.join();
  const std::set<std::int64_t> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(unique.size(), static_cast<size_t>(kRows));
}

TEST_P(PgStoreTest, ReplicasGenerateEachDigestRunAndInboxEventOnce) {
  std::unique_ptr<Store> replica_b = Reopen();
  ASSERT_NE(replica_b, nullptr);
  const WorkspaceId ws = AddWorkspace("T1");
  DigestSubscription sub;
  sub.workspace_id = ws;
  sub.platform = Platform::kSlack;
  sub.channel_id = "C1";
  sub.target = "C1";
  sub.timezone = "UTC";
  sub.created_at = T(1);
  Result<DigestSubscription> stored = store_->AddDigestSubscription(sub);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(replica_b->AddDigestSubscription(sub).status().code(),
            Status::Code::kAlreadyExists);

  std::atomic<int> created{0};
  std::atomic<int> recorded{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    Store* store = i % 2 == 0 ? store_.get() : replica_b.get();
    threads.emplace_back([&, store] {
      DigestRun run;
      run.subscription_id = stored->id;
      run.iso_week = "2026-W48";
      run.due_at = T(100);
      run.created_at = T(100);
      OutboxMessage m = Message("C1", 100, "digest:" + std::to_string(stored->id) + ":2026-W48");
      Result<bool> r = store->CreateDigestRun(run, m);
      if (r.ok() && *r) ++created;
      if (!r.ok()) ADD_FAILURE() << r.status().ToString();
      InboxEvent e;
      e.platform = Platform::kSlack;
      e.event_id = "Ev1";
      e.payload = "{}";
      e.received_at = T(100);
      Result<bool> fresh = store->RecordInbox(e);
      if (fresh.ok() && *fresh) ++recorded;
      if (!fresh.ok()) ADD_FAILURE() << fresh.status().ToString();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(recorded.load(), 1);
  EXPECT_EQ(replica_b->ListOutbox(std::nullopt, 100)->size(), 1u);
}

// Both stores report the same schema version: a no-op migration stands in for each
// SQLite-only one (0007 search cache, 0008 table rebuild, 0010 filter index).
TEST_P(PgStoreTest, SchemaVersionsMatchTheSqliteStore) {
  const std::string last(embedded::SqliteMigrations().back().first);
  EXPECT_EQ(HighestMigration(), std::stoi(last.substr(last.rfind('/') + 1, 4)));
  EXPECT_EQ(embedded::PostgresMigrations().size(), embedded::SqliteMigrations().size());
}

TEST_P(PgStoreTest, BackupPointsToPgDump) {
  Status s = store_->Backup("/tmp/never-written.dump");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("pg_dump"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.dump"));
}

TEST_P(PgStoreTest, IntegrityCheckFindsEvidenceCountsOutOfStep) {
  WorkspaceId ws = AddWorkspace("T0COUNTS");
  Lesson a = Add(MakeLesson(ws, "Free shipping beat a discount"));
  Lesson b = Add(MakeLesson(ws, "Free shipping won again"));
  ASSERT_TRUE(store_->RecordEvidence(ws, a.id, b.id, EvidenceKind::kConfirms, "U1", T(9)).ok());
  EXPECT_EQ(store_->CheckIntegrity().value(), "ok");
  {
    pg::PgConnection conn(Location());
    conn.Exec("UPDATE lessons SET confirmations = 5 WHERE id = " + std::to_string(a.id));
  }
  const std::string found = store_->CheckIntegrity().value();
  EXPECT_NE(found.find("lessons " + std::to_string(a.id) + " do not match"), std::string::npos)
      << found;
}

TEST_P(PgStoreTest, PurgeRefusesATableItCannotTieToAWorkspace) {
  const std::string uri = FreshDatabase();
  ASSERT_FALSE(uri.empty());
  std::unique_ptr<Store> store = OpenStore(uri).value();
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = "T0NEWTAB";
  w.name = "New table";
  const WorkspaceId ws = store->EnsureWorkspace(w).value().id;
  {
    pg::PgConnection conn(uri);
    conn.Exec("CREATE TABLE future_notes (id BIGSERIAL PRIMARY KEY, text TEXT)");
  }
  auto report = store->PurgeWorkspace(ws, false);
  EXPECT_EQ(report.status().code(), Status::Code::kInternal);
  EXPECT_NE(report.status().message().find("future_notes"), std::string::npos);
  EXPECT_TRUE(store->GetWorkspace(ws).ok()) << "nothing was purged";
  {
    pg::PgConnection conn(uri);
    conn.Exec("DROP TABLE future_notes");
    conn.Exec("CREATE TABLE future_notes (id BIGSERIAL PRIMARY KEY, workspace_id BIGINT, t TEXT)");
    conn.Exec("INSERT INTO future_notes (workspace_id, t) VALUES (" + std::to_string(ws) +
              ", 'x')");
  }
  report = store->PurgeWorkspace(ws, false);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(Count(uri, "SELECT count(*) FROM future_notes"), 0)
      << "a table added later with a workspace_id is purged too";
  store.reset();
}

TEST_P(PgStoreTest, PostgresqlSchemeIsAcceptedToo) {
  std::string uri = Location();
  uri.replace(0, std::string("postgres://").size(), "postgresql://");
  Result<std::unique_ptr<Store>> s = OpenStore(uri);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE((*s)->Ping().ok());
}

TEST_P(PgStoreTest, AStoreReconnectsAfterTheServerCutItsConnections) {
  // Several pooled connections, as after concurrent requests.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { EXPECT_TRUE(store_->Ping().ok()); });
  for (std::thread& t : threads) t.join();
  {
    pg::PgConnection admin(Location());
    const char* others =
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    admin.Exec(std::string("SELECT pg_terminate_backend(pid) ") + others);
    for (int i = 0; i < 200 && admin.Exec(std::string("SELECT count(*) ") + others).Int(0, 0) > 0;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  Status first = store_->Ping();  // a dead pooled connection: the caller learns why
  EXPECT_EQ(first.code(), Status::Code::kUnavailable) << first.ToString();
  EXPECT_NE(first.message().find("PostgreSQL cannot be reached"), std::string::npos)
      << first.message();
  // The other dead connections were dropped with it: the next call connects afresh.
  EXPECT_TRUE(store_->Ping().ok());
  EXPECT_TRUE(store_->CountLessons(std::nullopt).ok());
}

INSTANTIATE_TEST_SUITE_P(Postgres, PgStoreTest, ::testing::Values(StoreKind::kPostgres),
                         StoreKindName);

}  // namespace
}  // namespace lessonbook::testing
