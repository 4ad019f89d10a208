// Test fixtures that hold an open Store for one test, on SQLite or on PostgreSQL: a fresh SQLite
// file in its own temporary directory (removed after the test), or the test run's PostgreSQL
// database emptied for the test (tests/support/postgres_server.h; cheap: tables truncated, the
// schema kept). Shared by the store tests (tests/storage/), the SQLite-only store tests and the
// engine tests (tests/bot/), so every suite that runs on both stores gets its store the same way.
//
// Both-store use: `class FooTest : public testing::StoreTest {};`, TEST_P(FooTest, …), and
// LESSONBOOK_INSTANTIATE_STORE_TESTS(FooTest) once. Test names start with "Sqlite/" or
// "Postgres/" (CMake runs every Postgres/ test in one process, the `postgres_store_tests` entry);
// when PostgreSQL cannot start, every Postgres/ test fails with the reason, none is skipped.
// Shared tests assert result sets, and order only where one hit clearly dominates: SQLite ranks
// by bm25, PostgreSQL by ts_rank_cd.
//
// A fixture that overrides SetUp() calls the base's first and returns if HasFatalFailure().
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/store.h"

namespace lessonbook::testing {

class PostgresServer;

inline Time T(long long unix_seconds) { return FromUnix(unix_seconds); }

enum class StoreKind { kSqlite, kPostgres };

// A fixture with `store_` open on an empty database of Kind(), and helpers that fill it.
class StoreFixture : public ::testing::Test {
 protected:
  // Which store the test runs on.
  virtual StoreKind Kind() const = 0;

  void SetUp() override;
  void TearDown() override;

  bool IsPostgres() const { return Kind() == StoreKind::kPostgres; }
  // The SQLite file path or the PostgreSQL URI of this test's database.
  const std::string& Location() const { return location_; }

  // Opens the test's database again (through OpenStore, which migrates): a restart, or a
  // second process/replica on the same database. Null (and a test failure) on error.
  std::unique_ptr<Store> Reopen();

  // A Slack workspace with that external id (created once).
  WorkspaceId AddWorkspace(const std::string& external_id);
  static Lesson MakeLesson(WorkspaceId ws, std::string title, std::string body = "",
                           std::vector<std::string> tags = {}, Outcome outcome = Outcome::kInsight,
                           long long created = 2000);
  Lesson Add(const Lesson& l);

  std::filesystem::path dir_;  // SQLite: the test's directory (the file is lessonbook.db)
  PostgresServer* server_ = nullptr;  // PostgreSQL: the run's server
  std::string location_;
  std::unique_ptr<Store> store_;
};

// Runs on the store given by the test's parameter (LESSONBOOK_INSTANTIATE_STORE_TESTS).
class StoreTest : public StoreFixture, public ::testing::WithParamInterface<StoreKind> {
 protected:
  StoreKind Kind() const override { return GetParam(); }
};

// For gtest's messages ("GetParam() = postgres").
void PrintTo(StoreKind kind, std::ostream* os);
std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info);

}  // namespace lessonbook::testing

// Runs every TEST_P of `fixture` on SQLite ("Sqlite/…") and on PostgreSQL ("Postgres/…").
#define LESSONBOOK_INSTANTIATE_STORE_TESTS(fixture)                                          \
  INSTANTIATE_TEST_SUITE_P(Sqlite, fixture,                                                  \
                           ::testing::Values(::lessonbook::testing::StoreKind::kSqlite),     \
                           ::lessonbook::testing::StoreKindName);                            \
  INSTANTIATE_TEST_SUITE_P(Postgres, fixture,                                                \
                           ::testing::Values(::lessonbook::testing::StoreKind::kPostgres),   \
                           ::lessonbook::testing::StoreKindName)
