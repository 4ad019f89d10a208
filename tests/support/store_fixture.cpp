#include "tests/support/store_fixture.h"

#include <unistd.h>

#include <atomic>

#include "tests/support/postgres_server.h"

namespace lessonbook::testing {

void StoreFixture::SetUp() {
  if (Kind() == StoreKind::kPostgres) {
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
           ("lessonbook-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
            "-" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    location_ = (dir_ / "lessonbook.db").string();
  }
  store_ = Reopen();
  ASSERT_NE(store_, nullptr);
}

void StoreFixture::TearDown() {
  store_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::unique_ptr<Store> StoreFixture::Reopen() {
  Result<std::unique_ptr<Store>> s = OpenStore(location_);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

WorkspaceId StoreFixture::AddWorkspace(const std::string& external_id) {
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = external_id;
  w.name = "Team " + external_id;
  w.created_at = T(1000);
  Result<Workspace> stored = store_->EnsureWorkspace(w);
  EXPECT_TRUE(stored.ok()) << stored.status().ToString();
  return stored.ok() ? stored->id : 0;
}

Lesson StoreFixture::MakeLesson(WorkspaceId ws, std::string title, std::string body,
                                std::vector<std::string> tags, Outcome outcome,
                                long long created) {
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

Lesson StoreFixture::Add(const Lesson& l) {
  Result<Lesson> stored = store_->AddLesson(l);
  EXPECT_TRUE(stored.ok()) << stored.status().ToString();
  return stored.ok() ? *stored : Lesson{};
}

void PrintTo(StoreKind kind, std::ostream* os) {
  *os << (kind == StoreKind::kPostgres ? "postgres" : "sqlite");
}

std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kPostgres ? "postgres" : "sqlite";
}

}  // namespace lessonbook::testing
