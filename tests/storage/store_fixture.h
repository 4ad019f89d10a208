// Test fixture for the Store interface, run against both implementations: a fresh SQLite file
// in its own temporary directory, or the test run's PostgreSQL database emptied for the test
// (tests/support/postgres_server.h). Shared tests assert result sets, and order only where one
// hit clearly dominates: SQLite ranks by bm25, PostgreSQL by ts_rank_cd.
//
// Use: `class StoreFooTest : public StoreTest {};`, TEST_P(StoreFooTest, …), and
// LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreFooTest) once. Test names start with "Sqlite/" or
// "Postgres/"; when PostgreSQL cannot start, every Postgres/ test fails with the reason.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "storage/store.h"
#include "tests/support/postgres_server.h"

namespace lessonbook::testing {

inline Time T(long long unix_seconds) { return FromUnix(unix_seconds); }

enum class StoreKind { kSqlite, kPostgres };

class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreKind::kPostgres) {
      Result<PostgresServer*> server = PostgresServer::Shared();
      ASSERT_TRUE(server.ok()) << "PostgreSQL did not start: " << server.status().ToString();
      server_ = *server;
      Result<std::string> uri = server_->ResetSharedDatabase();
      ASSERT_TRUE(uri.ok()) << uri.status().ToString();
      location_ = *uri;
    } else {
      static std::atomic<int> counter{0};
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string name = info->name();
      for (char& c : name) {
        if (c == '/') c = '_';
      }
      dir_ = std::filesystem::temp_directory_path() /
             ("lessonbook-store-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++) + "-" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location_ = (dir_ / "lessonbook.db").string();
    }
    store_ = Reopen();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  bool IsPostgres() const { return GetParam() == StoreKind::kPostgres; }
  // The SQLite file path or the PostgreSQL URI of this test's database.
  const std::string& Location() const { return location_; }

  // Opens the test's database again (through OpenStore, which migrates): a restart, or a
  // second process/replica on the same database.
  std::unique_ptr<Store> Reopen() {
    Result<std::unique_ptr<Store>> s = OpenStore(location_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  WorkspaceId AddWorkspace(const std::string& external_id) {
    Workspace w;
    w.platform = Platform::kSlack;
    w.external_id = external_id;
    w.name = "Team " + external_id;
    w.created_at = T(1000);
    Result<Workspace> stored = store_->EnsureWorkspace(w);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? stored->id : 0;
  }

  static Lesson MakeLesson(WorkspaceId ws, std::string title, std::string body = "",
                           std::vector<std::string> tags = {}, Outcome outcome = Outcome::kInsight,
                           long long created = 2000) {
    Lesson l;
    l.workspace_id = ws;
    l.title = std::move(title);
    l.body = std::move(body);
    l.tags = std::move(tags);
    l.outcome = outcome;
    l.author = "U1";
    l.created_at = T(created);
    l.updated_at = T(created);
    return l;
  }

  Lesson Add(const Lesson& l) {
    Result<Lesson> stored = store_->AddLesson(l);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? *stored : Lesson{};
  }

  std::filesystem::path dir_;
  std::string location_;
  PostgresServer* server_ = nullptr;
  std::unique_ptr<Store> store_;
};

// For gtest's messages ("GetParam() = postgres").
inline void PrintTo(StoreKind kind, std::ostream* os) {
  *os << (kind == StoreKind::kPostgres ? "postgres" : "sqlite");
}

inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kPostgres ? "postgres" : "sqlite";
}

}  // namespace lessonbook::testing

// Runs every TEST_P of `fixture` on SQLite ("Sqlite/…") and on PostgreSQL ("Postgres/…").
#define LESSONBOOK_INSTANTIATE_STORE_TESTS(fixture)                                          \
  INSTANTIATE_TEST_SUITE_P(Sqlite, fixture,                                                  \
                           ::testing::Values(::lessonbook::testing::StoreKind::kSqlite),     \
                           ::lessonbook::testing::StoreKindName);                            \
  INSTANTIATE_TEST_SUITE_P(Postgres, fixture,                                                \
                           ::testing::Values(::lessonbook::testing::StoreKind::kPostgres),   \
                           ::lessonbook::testing::StoreKindName)
