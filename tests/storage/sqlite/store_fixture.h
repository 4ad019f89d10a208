// Test fixture for the SQLite store: a fresh database file in its own temporary directory,
// removed after the test, plus helpers that build workspaces and lessons.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace lessonbook::sqlite::testing {

inline Time T(long long unix_seconds) { return FromUnix(unix_seconds); }

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("lessonbook-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
            "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = Reopen();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string DbPath() const { return (dir_ / "lessonbook.db").string(); }

  // Opens the test's database file again (through OpenStore, which migrates).
  std::unique_ptr<Store> Reopen() {
    Result<std::unique_ptr<Store>> s = OpenStore(DbPath());
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
  std::unique_ptr<Store> store_;
};

}  // namespace lessonbook::sqlite::testing
