// The Teams adapter's tables (0003_teams.sql): conversations, users, service URLs.
#include <gtest/gtest.h>

#include "tests/storage/store_fixture.h"

namespace lessonbook::testing {
namespace {

class StoreTeamsTest : public StoreTest {};

TEST_P(StoreTeamsTest, TeamsConversationsUsersAndServiceUrlsAreKept) {
  const WorkspaceId ws = AddWorkspace("T1");
  TeamsConversation c{ws, "19:c@thread", "channel", "https://smba/x/", "t", "19:team", "28:b", T(5)};
  ASSERT_TRUE(store_->SaveTeamsConversation(c).ok());
  c.team_id = "";  // a later activity without channelData.team keeps the team
  c.service_url = "https://smba/y/";
  ASSERT_TRUE(store_->SaveTeamsConversation(c).ok());
  auto got = store_->GetTeamsConversation(ws, "19:c@thread");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->team_id, "19:team");
  EXPECT_EQ(got->service_url, "https://smba/y/");
  EXPECT_EQ(store_->GetTeamsConversation(ws + 1, "19:c@thread").status().code(),
            Status::Code::kNotFound);

  TeamsUser u;
  u.workspace_id = ws;
  u.user_id = "29:ana";
  u.local_timezone = "Europe/Berlin";
  u.updated_at = T(6);
  ASSERT_TRUE(store_->SaveTeamsUser(u).ok());
  u.local_timezone = "";
  u.personal_conversation_id = "a:dm";
  ASSERT_TRUE(store_->SaveTeamsUser(u).ok());
  ASSERT_TRUE(store_->SetTeamsUserUnreachable(ws, "29:ana", true, T(7)).ok());
  auto user = store_->GetTeamsUser(ws, "29:ana");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->local_timezone, "Europe/Berlin");
  EXPECT_EQ(user->personal_conversation_id, "a:dm");
  EXPECT_TRUE(user->unreachable);
  EXPECT_EQ(store_->SetTeamsUserUnreachable(ws, "29:nobody", true, T(7)).code(),
            Status::Code::kNotFound);

  ASSERT_TRUE(store_->RememberTeamsServiceUrl("https://smba/x/", T(8)).ok());
  ASSERT_TRUE(store_->RememberTeamsServiceUrl("https://smba/x/", T(9)).ok());
  store_ = Reopen();
  EXPECT_EQ(*store_->ListTeamsServiceUrls(), std::vector<std::string>{"https://smba/x/"});
  EXPECT_TRUE(store_->GetTeamsUser(ws, "29:ana")->unreachable) << "survives a restart";
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreTeamsTest);

}  // namespace
}  // namespace lessonbook::testing
