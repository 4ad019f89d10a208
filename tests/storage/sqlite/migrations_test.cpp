#include "storage/sqlite/migrations.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using testing::SqliteStoreTest;

int CountRows(const std::string& path, const std::string& table) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM " + table).getInt();
}

TEST_F(SqliteStoreTest, MigrationsApplyOnceAndReportTheSchemaVersion) {
  const auto& files = embedded::SqliteMigrations();
  ASSERT_GE(files.size(), 1u);
  // The schema version is the highest migration number (numbers may have gaps).
  const std::string last(files.back().first);
  const int highest = std::stoi(last.substr(last.rfind('/') + 1, 4));
  Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, highest);
  EXPECT_EQ(CountRows(DbPath(), "schema_migrations"), static_cast<int>(files.size()));
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT name FROM schema_migrations WHERE version = 1").getString(),
            "init");
}

TEST_F(SqliteStoreTest, ReopeningDoesNotReapplyMigrationsOrLoseData) {
  const WorkspaceId ws = AddWorkspace("T1");
  Add(MakeLesson(ws, "Kept across restarts"));
  store_.reset();
  store_ = Reopen();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(CountRows(DbPath(), "schema_migrations"),
            static_cast<int>(embedded::SqliteMigrations().size()));
  EXPECT_EQ(*store_->CountLessons(ws), 1);
  EXPECT_TRUE(store_->Migrate().ok());
  EXPECT_TRUE(store_->Ping().ok());
}

TEST_F(SqliteStoreTest, DatabaseFileIsInWalMode) {
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

class SqliteMigrationsTest : public SqliteStoreTest {};

TEST_F(SqliteMigrationsTest, ALaterMigrationIsAppliedAloneAndInOrder) {
  SQLite::Database db((dir_ / "custom.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  MigrationFiles first = {{"m/0001_a.sql", "CREATE TABLE a (x INTEGER);"}};
  ASSERT_TRUE(ApplyMigrations(db, first).ok());
  // 0001 is not run again (it would fail: table a exists); 0002 and 0010 run in numeric order.
  MigrationFiles later = {
      {"m/0010_c.sql", "INSERT INTO b VALUES (2);"},
      {"m/0001_a.sql", "CREATE TABLE a (x INTEGER);"},
      {"m/0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);"}};
  Status s = ApplyMigrations(db, later);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(*AppliedSchemaVersion(db), 10);
  EXPECT_EQ(db.execAndGet("SELECT group_concat(y) FROM b").getString(), "1,2");
}

TEST_F(SqliteMigrationsTest, AFailingMigrationIsRolledBackAndNamed) {
  SQLite::Database db((dir_ / "custom.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  MigrationFiles files = {{"m/0001_ok.sql", "CREATE TABLE a (x INTEGER);"},
                          {"m/0002_bad.sql", "CREATE TABLE b (y INTEGER); SELEC oops;"}};
  Status s = ApplyMigrations(db, files);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("0002_bad.sql"), std::string::npos) << s.message();
  EXPECT_EQ(*AppliedSchemaVersion(db), 1);
  EXPECT_FALSE(db.tableExists("b"));
}

TEST_F(SqliteMigrationsTest, MalformedOrDuplicateNamesAreRefused) {
  SQLite::Database db((dir_ / "custom.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  EXPECT_EQ(ApplyMigrations(db, {{"m/init.sql", ""}}).code(), Status::Code::kInternal);
  EXPECT_EQ(ApplyMigrations(db, {{"m/0001_a.sql", ""}, {"n/01_b.sql", ""}}).code(),
            Status::Code::kInternal);
  EXPECT_EQ(*AppliedSchemaVersion(db), 0);
}

TEST(SqliteOpenStore, AnUnopenablePathIsUnavailableWithThePath) {
  Result<std::unique_ptr<Store>> s = OpenStore("/nonexistent-dir/sub/lessonbook.db");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("cannot open database at /nonexistent-dir/sub/lessonbook.db"),
            std::string::npos)
      << s.status().message();
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsRefusedWithThePath) {
  const std::string path = (dir_ / "notes.txt").string();
  {
    std::ofstream out(path);
    out << "these are not the pages you are looking for, not even close to a database header";
  }
  Result<std::unique_ptr<Store>> s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("cannot open database at " + path), std::string::npos)
      << s.status().message();
}

TEST(SqliteOpenStore, InMemoryStoreWorks) {
  Result<std::unique_ptr<Store>> s = OpenStore(":memory:");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Workspace w;
  w.external_id = "local";
  Result<Workspace> ws = (*s)->EnsureWorkspace(w);
  ASSERT_TRUE(ws.ok());
  Lesson l;
  l.workspace_id = ws->id;
  l.title = "In memory lessons";
  ASSERT_TRUE((*s)->AddLesson(l).ok());
  LessonQuery q;
  q.workspace_id = ws->id;
  q.words = {"memory"};
  Result<SearchPage> page = (*s)->SearchLessons(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 1);
}

}  // namespace
}  // namespace lessonbook::sqlite
