// Store operations shared by both stores: the integrity check on a healthy store, purging a
// workspace (dry run, every table, other workspaces untouched), rewriting secrets all or nothing,
// and server secrets kept once.
#include <gtest/gtest.h>

#include <map>

#include "tests/storage/store_fixture.h"

namespace lessonbook {
namespace {

using testing::T;

class StoreOperationsTest : public testing::StoreTest {
 protected:
  // A workspace with a row in most tables: admins, lessons with evidence, a campaign, a
  // setting, a search miss.
  WorkspaceId Populate(const std::string& external_id) {
    WorkspaceId ws = AddWorkspace(external_id);
    Workspace w = store_->GetWorkspace(ws).value();
    w.admins = {"U1", "U2"};
    EXPECT_TRUE(store_->UpdateWorkspace(w).ok());
    Lesson a = Add(MakeLesson(ws, "Free shipping beat a discount"));
    Lesson b = Add(MakeLesson(ws, "Free shipping won again"));
    EXPECT_TRUE(
        store_->RecordEvidence(ws, a.id, b.id, EvidenceKind::kConfirms, "U1", T(3000)).ok());
    Campaign c;
    c.workspace_id = ws;
    c.platform = Platform::kSlack;
    c.name = "Spring launch";
    c.owner = "U1";
    c.channel_id = "C1";
    c.channel_target = "C1";
    c.starts_at = T(100);
    c.ends_at = T(200);
    c.status = CampaignStatus::kRunning;
    c.created_at = T(50);
    EXPECT_TRUE(store_->CreateCampaign(c).ok());
    EXPECT_TRUE(store_->SetSetting(ws, "digest_day", "monday").ok());
    EXPECT_TRUE(store_->RecordSearchMiss(ws, "podcast", T(120)).ok());
    return ws;
  }

  static std::map<std::string, std::int64_t> ByTable(const PurgeReport& r) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [table, rows] : r.rows_by_table) out[table] += rows;
    return out;
  }
};


// Regression (SQLite 3.40): a healthy database with admins stored checks "ok".
TEST_P(StoreOperationsTest, IntegrityIsOkWithAdminsAndEvidenceStored) {
  WorkspaceId ws = Populate("T0ADMINS1");
  EXPECT_EQ(store_->CheckIntegrity().value(), "ok");
  EXPECT_EQ(store_->GetWorkspace(ws).value().admins, (std::vector<std::string>{"U1", "U2"}));
}

TEST_P(StoreOperationsTest, PurgeRemovesEveryRowOfTheWorkspaceAndNothingElse) {
  WorkspaceId gone = Populate("T0GONE");
  WorkspaceId kept = Populate("T0KEPT");

  auto dry = store_->PurgeWorkspace(gone, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  std::map<std::string, std::int64_t> would = ByTable(*dry);
  EXPECT_EQ(would["lessons"], 2);
  EXPECT_EQ(would["lesson_evidence"], 1);
  EXPECT_EQ(would["campaigns"], 1);
  EXPECT_EQ(would["workspace_admins"], 2);
  EXPECT_EQ(would["workspace_settings"], 1);
  EXPECT_EQ(would["search_misses"], 1);
  EXPECT_EQ(would["workspaces"], 1);
  EXPECT_EQ(store_->CountLessons(gone).value(), 2) << "a dry run changes nothing";
  EXPECT_TRUE(store_->GetWorkspace(gone).ok());

  auto done = store_->PurgeWorkspace(gone, /*dry_run=*/false);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->total(), dry->total());
  EXPECT_EQ(store_->GetWorkspace(gone).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->CountLessons(gone).value(), 0);
  EXPECT_EQ(store_->PurgeWorkspace(gone, false).status().code(), Status::Code::kNotFound);

  // The other workspace keeps everything, its evidence counts included.
  EXPECT_EQ(store_->CountLessons(kept).value(), 2);
  EXPECT_EQ(store_->GetWorkspace(kept).value().admins, (std::vector<std::string>{"U1", "U2"}));
  EXPECT_EQ(store_->ListEvidenceRecorded(kept, T(0), T(99999), 10).value().size(), 1u);
  EXPECT_EQ(store_->GetSetting(kept, "digest_day").value(), std::optional<std::string>("monday"));
  EXPECT_EQ(store_->ListCampaigns(kept, 10).value().size(), 1u);
  EXPECT_EQ(store_->CheckIntegrity().value(), "ok");
}

TEST_P(StoreOperationsTest, RewriteSecretsIsAllOrNothing) {
  WorkspaceId a = AddWorkspace("T0SECRETA");
  WorkspaceId b = AddWorkspace("T0SECRETB");
  for (WorkspaceId ws : {a, b}) {
    Workspace w = store_->GetWorkspace(ws).value();
    w.bot_token = "token-" + std::to_string(ws);
    ASSERT_TRUE(store_->UpdateWorkspace(w).ok());
  }
  auto failed = store_->RewriteSecrets([&](const StoredSecret& s) -> Result<std::string> {
    if (s.workspace_id == b) return Status::Unauthenticated("does not open");
    return std::string("rewritten");
  });
  EXPECT_EQ(failed.status().code(), Status::Code::kUnauthenticated);
  EXPECT_EQ(store_->GetWorkspace(a).value().bot_token, "token-" + std::to_string(a));
  auto done = store_->RewriteSecrets(
      [](const StoredSecret& s) -> Result<std::string> { return "new-" + s.stored; });
  EXPECT_EQ(done.value(), 2);
  EXPECT_EQ(store_->GetWorkspace(b).value().bot_token, "new-token-" + std::to_string(b));
}

TEST_P(StoreOperationsTest, KeepSecretKeepsTheFirstValueForEveryProcess) {
  EXPECT_EQ(store_->KeepSecret("book_link_key", "first").value(), "first");
  EXPECT_EQ(store_->KeepSecret("book_link_key", "second").value(), "first");
  std::unique_ptr<Store> replica = Reopen();
  EXPECT_EQ(replica->KeepSecret("book_link_key", "third").value(), "first");
  EXPECT_EQ(replica->KeepSecret("other", "own").value(), "own");
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreOperationsTest);

}  // namespace
}  // namespace lessonbook
