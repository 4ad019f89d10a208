// SqliteStore operations: purge (dry run counting the search cache's rows, unknown tables),
// backup refusing to overwrite, the search index check. Shared ones:
// tests/storage/operations_test.cpp.
#include <SQLiteCpp/SQLiteCpp.h>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite::testing {
namespace {

class SqliteOperationsTest : public SqliteStoreTest {};

TEST_F(SqliteOperationsTest, ADryRunPurgeReportsRowsAndChangesNothing) {
  WorkspaceId ws = AddWorkspace("T0DRYRUN1");
  ASSERT_TRUE(store_->AddLesson(MakeLesson(ws, "Kept after a dry run")).ok());
  auto report = store_->PurgeWorkspace(ws, /*dry_run=*/true);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->total(), 3);  // the lesson, its lesson_generations row and the workspace
  EXPECT_EQ(store_->CountLessons(ws).value(), 1);
  EXPECT_TRUE(store_->GetWorkspace(ws).ok());
  EXPECT_EQ(store_->PurgeWorkspace(ws + 100, false).status().code(), Status::Code::kNotFound);
}

TEST_F(SqliteOperationsTest, PurgeRefusesATableItCannotTieToAWorkspace) {
  WorkspaceId ws = AddWorkspace("T0NEWTAB1");
  {
    SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
    db.exec("CREATE TABLE future_notes (id INTEGER PRIMARY KEY, text TEXT)");
  }
  auto report = store_->PurgeWorkspace(ws, false);
  EXPECT_EQ(report.status().code(), Status::Code::kInternal);
  EXPECT_NE(report.status().message().find("future_notes"), std::string::npos);
  EXPECT_TRUE(store_->GetWorkspace(ws).ok()) << "nothing was purged";
  {
    SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
    db.exec("DROP TABLE future_notes");
    db.exec(
        "CREATE TABLE future_notes (id INTEGER PRIMARY KEY, "
        "workspace_id INTEGER NOT NULL, text TEXT)");
    db.exec("INSERT INTO future_notes (workspace_id, text) VALUES (" + std::to_string(ws) +
            ", 'x')");
  }
  report = store_->PurgeWorkspace(ws, false);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  SQLite::Database db(DbPath(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM future_notes").getInt(), 0)
      << "a table added later with a workspace_id is purged too";
}

TEST_F(SqliteOperationsTest, BackupNeverOverwritesAndCopiesEverything) {
  WorkspaceId ws = AddWorkspace("T0BACKUP1");
  ASSERT_TRUE(store_->AddLesson(MakeLesson(ws, "In the backup")).ok());
  const std::string copy = DbPath() + ".bak";
  ASSERT_TRUE(store_->Backup(copy).ok());
  EXPECT_EQ(store_->Backup(copy).code(), Status::Code::kAlreadyExists);
  auto restored = OpenStore(copy).value();
  EXPECT_EQ(restored->CountLessons(ws).value(), 1);
  EXPECT_EQ(restored->CheckIntegrity().value(), "ok");
}

}  // namespace
}  // namespace lessonbook::sqlite::testing

namespace lessonbook::sqlite::testing {
namespace {

TEST_F(SqliteStoreTest, IntegrityCheckFindsASearchIndexOutOfStepWithTheLessons) {
  WorkspaceId ws = AddWorkspace("T0FTSBAD1");
  ASSERT_TRUE(store_->AddLesson(MakeLesson(ws, "Indexed lesson")).ok());
  EXPECT_EQ(store_->CheckIntegrity().value(), "ok");
  {
    // Changes the lesson behind the index's back (the triggers are bypassed).
    SQLite::Database db(DbPath(), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER lessons_fts_after_update");
    db.exec("UPDATE lessons SET title = 'Renamed without the index'");
  }
  auto result = store_->CheckIntegrity();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NE(*result, "ok");
  EXPECT_NE(result->find("search index"), std::string::npos) << *result;
}

}  // namespace
}  // namespace lessonbook::sqlite::testing
