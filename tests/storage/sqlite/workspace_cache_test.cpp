// WorkspaceCache: a workspace read is kept for its time to live, a read older than a write is
// never kept, and the store forgets kept workspaces on every workspace write it makes, so this
// process sees its own changes at once and another process's within the time to live.
#include "storage/sqlite/workspace_cache.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/storage/sqlite/store_fixture.h"

namespace lessonbook::sqlite {
namespace {

using std::chrono::milliseconds;
using testing::SqliteStoreTest;

Workspace Team(WorkspaceId id, std::string external_id, std::string timezone) {
  Workspace w;
  w.id = id;
  w.platform = Platform::kSlack;
  w.external_id = std::move(external_id);
  w.timezone = std::move(timezone);
  return w;
}

TEST(WorkspaceCacheTest, KeptForItsTimeToLiveByIdAndByExternalId) {
  WorkspaceCache cache(milliseconds(1000));
  const auto t0 = WorkspaceCache::Clock::now();
  cache.Put(Team(7, "T7", "Europe/Berlin"), cache.Version(), t0);
  ASSERT_TRUE(cache.ById(7, t0 + milliseconds(999)));
  EXPECT_EQ(cache.ById(7, t0 + milliseconds(999))->timezone, "Europe/Berlin");
  ASSERT_TRUE(cache.ByExternalId(Platform::kSlack, "T7", t0 + milliseconds(500)));
  EXPECT_EQ(cache.ByExternalId(Platform::kSlack, "T7", t0)->id, 7);
  EXPECT_FALSE(cache.ByExternalId(Platform::kTeams, "T7", t0));  // another platform's T7
  EXPECT_FALSE(cache.ById(8, t0));
  EXPECT_FALSE(cache.ById(7, t0 + milliseconds(1000)));  // expired, and dropped
  EXPECT_FALSE(cache.ByExternalId(Platform::kSlack, "T7", t0));
}

TEST(WorkspaceCacheTest, AReadFromBeforeAWriteIsNotKept) {
  WorkspaceCache cache;
  const auto now = WorkspaceCache::Clock::now();
  const std::uint64_t before = cache.Version();
  cache.Forget();  // a write committed while the read ran
  cache.Put(Team(7, "T7", "Europe/Berlin"), before, now);
  EXPECT_FALSE(cache.ById(7, now));
  cache.Put(Team(7, "T7", "Asia/Tokyo"), cache.Version(), now);
  EXPECT_EQ(cache.ById(7, now)->timezone, "Asia/Tokyo");
  cache.Forget();
  EXPECT_FALSE(cache.ById(7, now));
  EXPECT_FALSE(cache.ByExternalId(Platform::kSlack, "T7", now));
}

TEST(WorkspaceCacheTest, ARenamedExternalIdIsNotFoundUnderTheOldOne) {
  WorkspaceCache cache;
  const auto now = WorkspaceCache::Clock::now();
  cache.Put(Team(7, "T7", "UTC"), cache.Version(), now);
  cache.Put(Team(7, "T7-new", "UTC"), cache.Version(), now);
  EXPECT_FALSE(cache.ByExternalId(Platform::kSlack, "T7", now));
  EXPECT_EQ(cache.ByExternalId(Platform::kSlack, "T7-new", now)->id, 7);
}

TEST_F(SqliteStoreTest, WorkspaceWritesOfTheStoreAreSeenAtOnceAndOthersWithinASecond) {
  const WorkspaceId id = AddWorkspace("T1");
  auto read = store_->GetWorkspace(id);  // kept from here on
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(store_->FindWorkspace(Platform::kSlack, read->external_id).ok());

  Workspace changed = *read;
  changed.timezone = "Asia/Tokyo";
  changed.admins = {"U9"};
  ASSERT_TRUE(store_->UpdateWorkspace(changed).ok());
  EXPECT_EQ(store_->GetWorkspace(id)->timezone, "Asia/Tokyo");
  EXPECT_EQ(store_->FindWorkspace(Platform::kSlack, read->external_id)->admins,
            std::vector<std::string>{"U9"});

  // Another process (the command line, a replica) changes the row: seen within the time to live.
  {
    SQLite::Database other(DbPath(), SQLite::OPEN_READWRITE);
    other.exec("UPDATE workspaces SET timezone = 'America/Lima' WHERE id = " +
               std::to_string(id));
  }
  std::this_thread::sleep_for(WorkspaceCache::kTimeToLive + milliseconds(50));
  EXPECT_EQ(store_->GetWorkspace(id)->timezone, "America/Lima");
  EXPECT_EQ(store_->FindWorkspace(Platform::kSlack, read->external_id)->timezone, "America/Lima");

  // A purge forgets it at once.
  ASSERT_TRUE(store_->PurgeWorkspace(id, /*dry_run=*/false).ok());
  EXPECT_EQ(store_->GetWorkspace(id).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->FindWorkspace(Platform::kSlack, read->external_id).status().code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace lessonbook::sqlite
