// ReadSnapshot: the queries inside it read one snapshot while the writer commits, a later one
// sees the commits, and its prepared BEGIN and ROLLBACK leave the connection ready for the next
// (also after a query inside it failed).
#include "storage/sqlite/connection.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "tests/support/temp_dir.h"

namespace lessonbook::sqlite {
namespace {

std::int64_t Rows(Connection& conn) {
  CachedStatement s(conn, "SELECT count(*) FROM notes");
  s->executeStep();
  return s->getColumn(0).getInt64();
}

void AddNote(Connection& writer) {
  CachedStatement s(writer, "INSERT INTO notes (text) VALUES ('x')");
  s->exec();
}

TEST(SqliteReadSnapshotTest, QueriesInsideOneSnapshotDoNotSeeLaterCommitsAndTheNextOneDoes) {
  testing::TempDir dir;
  Connection writer(dir.File("snapshot.db"), Connection::Role::kWriter);
  writer.db().exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
  AddNote(writer);
  Connection reader(dir.File("snapshot.db"), Connection::Role::kReader);
  for (int round = 1; round <= 3; ++round) {  // the same prepared statements each time
    ReadSnapshot snapshot(reader);
    const std::int64_t before = Rows(reader);
    EXPECT_EQ(before, round);
    AddNote(writer);  // committed while the snapshot is open
    EXPECT_EQ(Rows(reader), before) << round;
  }
  EXPECT_EQ(Rows(reader), 4);  // outside a snapshot: each statement reads the newest
}

TEST(SqliteReadSnapshotTest, AFailedQueryInsideItLeavesTheConnectionReadyForTheNext) {
  testing::TempDir dir;
  Connection writer(dir.File("snapshot.db"), Connection::Role::kWriter);
  writer.db().exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
  Connection reader(dir.File("snapshot.db"), Connection::Role::kReader);
  {
    ReadSnapshot snapshot(reader);
    EXPECT_THROW(reader.db().exec("INSERT INTO notes (text) VALUES ('no')"), SQLite::Exception);
    EXPECT_THROW(reader.Prepare("SELECT nothing FROM nowhere"), SQLite::Exception);
  }
  AddNote(writer);
  ReadSnapshot again(reader);  // a BEGIN inside a transaction left open would throw here
  EXPECT_EQ(Rows(reader), 1);
}

}  // namespace
}  // namespace lessonbook::sqlite
