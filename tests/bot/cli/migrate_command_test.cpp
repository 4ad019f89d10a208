// `lessonbook migrate --from … --to …` with the real binary: a SQLite file (named by a relative
// sqlite:// URI) into the test run's PostgreSQL and back into an absolute sqlite:/// file, with
// the rows per table printed and the password never shown; a target with data refused and left
// as it was; bad input (a missing option, an unknown scheme, a missing source, the same database
// twice, an unreachable server, a source at another schema version) answered with a clear
// message and exit code, and no target file left behind.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "storage/store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using testing::RunLessonbook;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A SQLite database with two workspaces, `lessons` lessons, a setting and the Book link secret.
void FillSqlite(const std::string& path, int lessons) {
  Result<std::unique_ptr<Store>> store = OpenStore(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = "T0001";
  w.created_at = FromUnix(1000);
  Result<Workspace> ws = (*store)->EnsureWorkspace(w);
  ASSERT_TRUE(ws.ok());
  w.external_id = "T0002";
  ASSERT_TRUE((*store)->EnsureWorkspace(w).ok());
  for (int i = 0; i < lessons; ++i) {
    Lesson l;
    l.workspace_id = ws->id;
    l.title = "Lesson " + std::to_string(i) + (i % 2 ? " webinar follow-ups" : " subject lines");
    l.body = "Body " + std::to_string(i);
    l.tags = {"email"};
    l.author = "U1";
    l.created_at = FromUnix(2000 + i);
    l.updated_at = l.created_at;
    ASSERT_TRUE((*store)->AddLesson(l).ok());
  }
  ASSERT_TRUE((*store)->SetSetting(ws->id, "quiet_digest", "line").ok());
  ASSERT_TRUE((*store)->KeepSecret("book_link_key", "book-key-1").ok());
}

std::int64_t Lessons(const std::string& location) {
  Result<std::unique_ptr<Store>> store = OpenStore(location);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return -1;
  Result<std::int64_t> n = (*store)->CountLessons(std::nullopt);
  return n.ok() ? *n : -1;
}

std::int64_t Found(const std::string& location, WorkspaceId ws, const std::string& word) {
  Result<std::unique_ptr<Store>> store = OpenStore(location);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return -1;
  LessonQuery q;
  q.workspace_id = ws;
  q.words = {word};
  Result<SearchPage> page = (*store)->SearchLessons(q);
  return page.ok() ? page->total : -1;
}

// The suite runs on the test run's PostgreSQL server: "Postgres/…" puts it in ctest's
// postgres_store_tests.
class MigrateCommandTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    Result<testing::PostgresServer*> server = testing::PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << "PostgreSQL did not start: " << server.status().ToString();
    server_ = *server;
  }
  void TearDown() override {
    for (const std::string& uri : databases_) server_->DropDatabase(uri);
  }
  // A new empty database's URI with a password in it (the server trusts loopback, so any
  // password is accepted): the command must never print it.
  std::string NewDatabaseWithPassword() {
    Result<std::string> uri = server_->CreateDatabase();
    EXPECT_TRUE(uri.ok()) << uri.status().ToString();
    databases_.push_back(*uri);
    std::string with = *uri;
    with.replace(with.find("postgres@"), 9, "postgres:Sup3rS3cret@");
    return with;
  }

  testing::PostgresServer* server_ = nullptr;
  testing::TempDir dir_;
  std::vector<std::string> databases_;
};

TEST_P(MigrateCommandTest, CopiesASqliteFileIntoPostgresAndBack) {
  const std::string source = dir_.File("team.db");
  FillSqlite(source, 40);
  const std::string relative =
      std::filesystem::relative(source, std::filesystem::current_path()).string();
  const std::string pg = NewDatabaseWithPassword();

  auto r = RunLessonbook({"migrate", "--from", "sqlite://" + relative, "--to", pg}, {});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "copied sqlite://" + relative + " to postgres://postgres:***@")) << r.out;
  EXPECT_TRUE(Has(r.out, "lessons")) << r.out;
  EXPECT_TRUE(Has(r.out, "40        40")) << "the lessons row, source and target: " << r.out;
  EXPECT_TRUE(Has(r.out, "verified: every table's row count matches")) << r.out;
  EXPECT_TRUE(Has(r.out, "finds 40 of 40 sampled lessons")) << r.out;
  EXPECT_FALSE(Has(r.out + r.err, "Sup3rS3cret")) << r.out << r.err;
  EXPECT_EQ(Lessons(pg), 40);
  EXPECT_EQ(Found(pg, 1, "webinar"), 20);

  // And back, into an absolute sqlite:/// path.
  const std::string back = dir_.File("back.db");
  auto b = RunLessonbook({"migrate", "--from", pg, "--to", "sqlite://" + back}, {});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  EXPECT_FALSE(Has(b.out + b.err, "Sup3rS3cret")) << b.out << b.err;
  EXPECT_EQ(Lessons(back), 40);
  EXPECT_EQ(Found(back, 1, "webinar"), 20);
  Result<std::unique_ptr<Store>> copy = OpenStore(back);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(*(*copy)->KeepSecret("book_link_key", "other"), "book-key-1");
  EXPECT_EQ(*(*copy)->GetSetting(1, "quiet_digest"), std::optional<std::string>("line"));
}

TEST_P(MigrateCommandTest, ATargetWithDataIsRefusedAndKeptAsItWas) {
  const std::string source = dir_.File("team.db");
  FillSqlite(source, 5);
  const std::string pg = NewDatabaseWithPassword();
  ASSERT_EQ(RunLessonbook({"migrate", "--from", source, "--to", pg}, {}).exit_code, 0);

  const std::string other = dir_.File("other.db");
  FillSqlite(other, 3);
  auto r = RunLessonbook({"migrate", "--from", other, "--to", pg}, {});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "the target database is not empty: lessons (5 rows)")) << r.err;
  EXPECT_TRUE(Has(r.err, "nothing was copied")) << r.err;
  EXPECT_FALSE(Has(r.out + r.err, "Sup3rS3cret")) << r.out << r.err;
  EXPECT_EQ(Lessons(pg), 5);
}

TEST_P(MigrateCommandTest, ATargetServerThatIsNotRunningIsAClearError) {
  const std::string source = dir_.File("team.db");
  FillSqlite(source, 1);
  auto r = RunLessonbook({"migrate", "--from", source, "--to",
                          "postgres://lb:Sup3rS3cret@127.0.0.1:1/lessons?connect_timeout=2"},
                         {});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "cannot open the target postgres://lb:***@127.0.0.1:1/lessons")) << r.err;
  EXPECT_TRUE(Has(r.err, "cannot connect to PostgreSQL")) << r.err;
  EXPECT_FALSE(Has(r.out + r.err, "Sup3rS3cret")) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Postgres, MigrateCommandTest, ::testing::Values(0),
                         [](const ::testing::TestParamInfo<int>&) { return std::string("cli"); });

// Bad input needs no server.
TEST(MigrateCommandUsageTest, BadLocationsAreRefusedWithAClearMessage) {
  testing::TempDir dir;
  const std::string source = dir.File("team.db");
  FillSqlite(source, 1);

  auto missing = RunLessonbook({"migrate", "--from", source}, {});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(Has(missing.err, "--to is missing")) << missing.err;
  EXPECT_TRUE(Has(missing.err, "usage: lessonbook migrate --from")) << missing.err;

  auto scheme =
      RunLessonbook({"migrate", "--from", source, "--to", "mysql://u:Sup3rS3cret@h/db"}, {});
  EXPECT_EQ(scheme.exit_code, 2);
  EXPECT_TRUE(Has(scheme.err, "--to: unknown database scheme \"mysql://\"")) << scheme.err;
  EXPECT_FALSE(Has(scheme.err, "Sup3rS3cret")) << scheme.err;

  const std::string absent = dir.File("absent.db");
  auto no_source = RunLessonbook({"migrate", "--from", absent, "--to", dir.File("new.db")}, {});
  EXPECT_EQ(no_source.exit_code, 2);
  EXPECT_TRUE(Has(no_source.err, "there is no SQLite database file at " + absent)) << no_source.err;
  EXPECT_FALSE(std::filesystem::exists(absent)) << "a missing source is never created";
  EXPECT_FALSE(std::filesystem::exists(dir.File("new.db")));

  auto same = RunLessonbook({"migrate", "--from", source, "--to", "sqlite://" + source}, {});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_TRUE(Has(same.err, "name the same database")) << same.err;

  auto empty_path = RunLessonbook({"migrate", "--from", "sqlite://", "--to", dir.File("x.db")}, {});
  EXPECT_EQ(empty_path.exit_code, 2);
  EXPECT_TRUE(Has(empty_path.err, "sqlite:// needs a file path")) << empty_path.err;
}

TEST(MigrateCommandUsageTest, AFailedCopyIntoANewSqliteFileLeavesNoFile) {
  testing::TempDir dir;
  const std::string source = dir.File("old.db");
  FillSqlite(source, 2);
  {  // The source one migration behind this lessonbook.
    SQLite::Database db(source, SQLite::OPEN_READWRITE);
    db.exec(
        "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM "
        "schema_migrations)");
  }
  const std::string target = dir.File("new.db");
  auto r = RunLessonbook({"migrate", "--from", source, "--to", target}, {});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "bring the source up to date first")) << r.err;
  EXPECT_TRUE(Has(r.err, "nothing was copied")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_FALSE(std::filesystem::exists(target + "-wal"));
}

}  // namespace
}  // namespace lessonbook
