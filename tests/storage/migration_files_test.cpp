// Migration file names and order (storage/migration_files.h), shared by both stores: which
// names are valid, the order they run in, malformed and duplicate numbers refused by name; and
// the two stores' embedded migrations have the same numbers, so a SQLite and a PostgreSQL
// database of one Lessonbook are at the same schema version (which `lessonbook migrate` needs).
#include "storage/migration_files.h"

#include <gtest/gtest.h>

#include <set>

#include "storage/postgres/pg_migrations.h"
#include "storage/sqlite/migrations.h"

namespace lessonbook {
namespace {

TEST(MigrationFilesTest, FileNamesAreNumberUnderscoreNameDotSql) {
  struct Case {
    std::string_view path;
    int version;  // 0: refused
    std::string name;
  };
  const Case cases[] = {
      {"storage/migrations/sqlite/0001_init.sql", 1, "init"},
      {"0012_add_lesson_tags.sql", 12, "add_lesson_tags"},
      {"m/999999_six_digits.sql", 999999, "six_digits"},
      {"m/1234567_seven_digits.sql", 0, ""},
      {"m/0000_zero.sql", 0, ""},
      {"m/_name.sql", 0, ""},
      {"m/0003_.sql", 0, ""},
      {"m/0003.sql", 0, ""},
      {"m/00a3_x.sql", 0, ""},
      {"m/0003_x.txt", 0, ""},
      {"m/.sql", 0, ""},
      {"", 0, ""},
  };
  for (const Case& c : cases) {
    std::optional<MigrationFile> m = ParseMigrationFile(c.path, "SELECT 1;");
    if (c.version == 0) {
      EXPECT_FALSE(m.has_value()) << c.path;
      continue;
    }
    ASSERT_TRUE(m.has_value()) << c.path;
    EXPECT_EQ(m->version, c.version) << c.path;
    EXPECT_EQ(m->name, c.name) << c.path;
    EXPECT_EQ(m->path, c.path);
    EXPECT_EQ(m->sql, "SELECT 1;");
  }
}

TEST(MigrationFilesTest, FilesRunInNumberOrderWhateverTheirOrderGiven) {
  const MigrationFiles files = {
      {"m/0010_ten.sql", "10"}, {"m/0002_two.sql", "2"}, {"m/0009_nine.sql", "9"}};
  Result<std::vector<MigrationFile>> ordered = OrderMigrationFiles(files);
  ASSERT_TRUE(ordered.ok()) << ordered.status().ToString();
  ASSERT_EQ(ordered->size(), 3u);
  EXPECT_EQ((*ordered)[0].version, 2);
  EXPECT_EQ((*ordered)[1].version, 9);
  EXPECT_EQ((*ordered)[2].version, 10);
  EXPECT_EQ((*ordered)[2].sql, "10");
}

TEST(MigrationFilesTest, AMalformedNameOrADuplicateNumberIsRefusedByName) {
  Result<std::vector<MigrationFile>> bad =
      OrderMigrationFiles({{"m/0001_ok.sql", ""}, {"m/first.sql", ""}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInternal);
  EXPECT_NE(bad.status().message().find("m/first.sql is not NNNN_name.sql"), std::string::npos)
      << bad.status().message();
  Result<std::vector<MigrationFile>> twice =
      OrderMigrationFiles({{"m/0002_a.sql", ""}, {"m/0001_x.sql", ""}, {"m/002_b.sql", ""}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("have the same number"), std::string::npos)
      << twice.status().message();
}

TEST(MigrationFilesTest, BothStoresShipTheSameMigrationNumbers) {
  auto versions = [](const MigrationFiles& files) {
    Result<std::vector<MigrationFile>> ordered = OrderMigrationFiles(files);
    EXPECT_TRUE(ordered.ok()) << ordered.status().ToString();
    std::set<int> out;
    if (ordered.ok()) {
      for (const MigrationFile& m : *ordered) out.insert(m.version);
    }
    return out;
  };
  const std::set<int> sqlite = versions(embedded::SqliteMigrations());
  const std::set<int> postgres = versions(embedded::PostgresMigrations());
  EXPECT_FALSE(sqlite.empty());
  EXPECT_EQ(sqlite, postgres) << "a migration added to one store needs its twin (a no-op "
                                 "`SELECT 1;` when there is nothing to do) in the other";
}

}  // namespace
}  // namespace lessonbook
