// End to end: the real `lessonbook serve` binary with Teams credentials, its OpenID metadata and
// keys served by a loopback fake, its Bot Connector and token endpoint another loopback fake.
// The search and add flows that pass on the web chat (and Slack) pass for Teams.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/fakes/fake_bot_connector.h"
#include "tests/fakes/fake_openid.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kAppId = "e2e-app";
constexpr const char* kTenant = "e2e-tenant";
constexpr const char* kBot = "28:e2e-app";

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class TeamsServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::ServerProcess>(
        std::map<std::string, std::string>{{"LESSONBOOK_DB", dir_.File("lessonbook.db")},
                                           {"TEAMS_APP_ID", kAppId},
                                           {"TEAMS_APP_PASSWORD", "e2e-secret"},
                                           {"TEAMS_TENANT_ID", kTenant},
                                           {"TEAMS_OPENID_METADATA_URL", openid_.metadata_url()},
                                           {"TEAMS_TOKEN_URL", connector_.token_url(kTenant)},
                                           {"TEAMS_SERVICE_URL_ALLOWLIST", "127.0.0.1"}},
        dir_.File("server.log"));
  }

  std::string ServerLog() {
    std::ifstream in(dir_.File("server.log"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  json Activity(const std::string& text) {
    return json{{"type", "message"},
                {"id", "e2e-" + std::to_string(++next_id_)},
                {"serviceUrl", connector_.service_url()},
                {"channelId", "msteams"},
                {"from", {{"id", "29:ana"}, {"name", "Ana"}}},
                {"conversation",
                 {{"id", "a:ana-dm"}, {"conversationType", "personal"}, {"tenantId", kTenant}}},
                {"recipient", {{"id", kBot}, {"name", "Lessonbook"}}},
                {"text", text},
                {"channelData", {{"tenant", {{"id", kTenant}}}}}};
  }

  int Send(const json& activity) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(10, 0);
    const std::string token = openid_.Sign(
        testing::FakeOpenId::Claims(kAppId, connector_.service_url(),
                                    Time(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch()))));
    auto res = client.Post("/teams/messages", {{"Authorization", "Bearer " + token}},
                           activity.dump(), "application/json");
    return res ? res->status : 0;
  }

  // Sends the text and returns the body of the Bot Connector call it caused.
  testing::FakeBotConnector::Call Ask(const json& activity) {
    const std::size_t before = connector_.calls().size();
    EXPECT_EQ(Send(activity), 200);
    auto calls = connector_.WaitForCalls(before + 1);
    if (calls.size() <= before) {
      ADD_FAILURE() << "no answer reached the Bot Connector\n" << ServerLog();
      return {};
    }
    return calls[before];
  }

  testing::TempDir dir_;
  testing::FakeOpenId openid_;
  testing::FakeBotConnector connector_;
  std::unique_ptr<testing::ServerProcess> server_;
  int next_id_ = 0;
};

TEST_F(TeamsServeTest, SearchAndAddWorkForTeamsEndToEnd) {
  auto saved =
      Ask(Activity("add Subject lines with numbers got 20% more opens #email outcome:worked"));
  EXPECT_TRUE(Contains(saved.body, "Saved lesson #1")) << saved.body;
  EXPECT_EQ(saved.authorization, "Bearer token-1");
  EXPECT_EQ(saved.path, "/teams/v3/conversations/a:ana-dm/activities/e2e-1");

  auto found = Ask(Activity("subject lines"));
  EXPECT_TRUE(Contains(found.body, "1 lesson for")) << found.body;
  EXPECT_TRUE(Contains(found.body, "Subject lines with numbers")) << found.body;
  auto none = Ask(Activity("webinar outcome:flopped"));
  EXPECT_TRUE(Contains(none.body, "No lessons match")) << none.body;
  EXPECT_EQ(connector_.token_requests(), 1) << "the token is cached";
}

TEST_F(TeamsServeTest, AddCardSubmitSavesAndUpdatesTheCardInPlace) {
  auto card = Ask(Activity("add"));
  ASSERT_TRUE(card.json.is_object()) << card.body;
  EXPECT_TRUE(Contains(card.body, "Add a lesson"));
  json data = card.json["attachments"][0]["content"]["actions"][0]["data"];
  json submit = Activity("");
  submit.erase("text");
  submit["replyToId"] = "bot-activity-1";
  data["text"] = "Webinars need a partner co-host";
  data["outcome"] = "flopped";
  data["tags"] = "events";
  submit["value"] = data;
  auto updated = Ask(submit);
  EXPECT_EQ(updated.method, "PUT");
  EXPECT_EQ(updated.path, "/teams/v3/conversations/a:ana-dm/activities/bot-activity-1");
  EXPECT_TRUE(Contains(updated.body, "Saved lesson #1")) << updated.body;
  auto found = Ask(Activity("co-host tag:events"));
  EXPECT_TRUE(Contains(found.body, "Webinars need a partner co-host")) << found.body;
}

TEST_F(TeamsServeTest, UnauthenticatedRequestsAreRefused) {
  httplib::Client client("127.0.0.1", server_->port());
  auto res = client.Post("/teams/messages", Activity("help").dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_TRUE(Contains(ServerLog(), "teams.rejected"));
}

}  // namespace
}  // namespace lessonbook
