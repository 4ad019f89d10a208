// ParseStoreLocation (storage/store_location.h): which locations name SQLite and PostgreSQL, and
// that a refused location's message names the accepted forms without echoing a password.
#include "storage/store_location.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

TEST(StoreLocationTest, PathsAndUrisNameTheirStore) {
  using Kind = StoreLocation::Kind;
  struct Case {
    std::string_view location;
    Kind kind;
    std::string target;
  };
  const Case cases[] = {
      {"lessonbook.db", Kind::kSqlite, "lessonbook.db"},
      {"/var/lib/lessonbook/lessonbook.db", Kind::kSqlite, "/var/lib/lessonbook/lessonbook.db"},
      {"sqlite://data/lessonbook.db", Kind::kSqlite, "data/lessonbook.db"},
      {"sqlite:///var/lib/lessonbook.db", Kind::kSqlite, "/var/lib/lessonbook.db"},
      {":memory:", Kind::kSqlite, ":memory:"},
      {"postgres://lb:pw@db:5432/lessons", Kind::kPostgres, "postgres://lb:pw@db:5432/lessons"},
      {"postgresql://db/lessons?sslmode=require", Kind::kPostgres,
       "postgresql://db/lessons?sslmode=require"},
  };
  for (const Case& c : cases) {
    Result<StoreLocation> at = ParseStoreLocation(c.location);
    ASSERT_TRUE(at.ok()) << c.location << ": " << at.status().ToString();
    EXPECT_EQ(at->kind, c.kind) << c.location;
    EXPECT_EQ(at->target, c.target) << c.location;
  }
}

TEST(StoreLocationTest, UnknownSchemesAndEmptyPathsAreRefusedWithoutThePassword) {
  for (std::string_view bad :
       {"", "sqlite://", "mysql://root:Sup3rS3cret@db/lessons", "file://x.db"}) {
    Result<StoreLocation> at = ParseStoreLocation(bad);
    ASSERT_FALSE(at.ok()) << bad;
    EXPECT_EQ(at.status().code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(at.status().message().find("sqlite://PATH"), std::string::npos)
        << "names the accepted forms: " << at.status().message();
    EXPECT_EQ(at.status().message().find("Sup3rS3cret"), std::string::npos)
        << at.status().message();
  }
  EXPECT_NE(ParseStoreLocation("mysql://u@h/d").status().message().find("\"mysql://\""),
            std::string::npos);
}

}  // namespace
}  // namespace lessonbook
