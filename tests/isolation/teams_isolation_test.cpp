// Tenant isolation on Microsoft Teams, end to end. Lessonbook is a single-tenant Teams app, so two
// tenants share a database when one installation is moved to another tenant (or two servers
// share a file): the real server runs for tenant A, then for tenant B on the same database.
// Activities from another tenant's people (guests, or a token for another tenant) are refused
// with 401 and change nothing; tenant B's people see nothing of tenant A's lessons or campaigns
// and cannot change them by id or by name.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "storage/store.h"
#include "tests/fakes/fake_bot_connector.h"
#include "tests/fakes/fake_openid.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kAppId = "iso-app";
constexpr const char* kTenantA = "tenant-alpha";
constexpr const char* kTenantB = "tenant-bravo";
constexpr const char* kSecret = "alphasecret";  // tenant B searches for it
// Text only tenant A's things hold and tenant B never types.
const char* const kLeaks[] = {"Tenant A pricing", "doubled demos", "triple the demos"};

class TeamsIsolationTest : public ::testing::Test {
 protected:
  std::unique_ptr<testing::ServerProcess> Start(const std::string& tenant) {
    return std::make_unique<testing::ServerProcess>(
        std::map<std::string, std::string>{{"LESSONBOOK_DB", dir_.File("iso.db")},
                                           {"TEAMS_APP_ID", kAppId},
                                           {"TEAMS_APP_PASSWORD", "iso-password"},
                                           {"TEAMS_TENANT_ID", tenant},
                                           {"TEAMS_OPENID_METADATA_URL", openid_.metadata_url()},
                                           {"TEAMS_TOKEN_URL", connector_.token_url(tenant)},
                                           {"TEAMS_SERVICE_URL_ALLOWLIST", "127.0.0.1"}},
        dir_.File("server.log"));
  }

  json Activity(const std::string& tenant, const std::string& user, const std::string& text) {
    return json{{"type", "message"},
                {"id", "iso-" + std::to_string(++next_id_)},
                {"serviceUrl", connector_.service_url()},
                {"channelId", "msteams"},
                {"from", {{"id", "29:" + user}, {"name", user}, {"aadObjectId", "aad-" + user}}},
                {"conversation",
                 {{"id", "a:dm-" + user}, {"conversationType", "personal"}, {"tenantId", tenant}}},
                {"recipient", {{"id", std::string("28:") + kAppId}, {"name", "Lessonbook"}}},
                {"text", text},
                {"channelData", {{"tenant", {{"id", tenant}}}}}};
  }

  int Send(int port, const json& activity) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10, 0);
    const std::string token = openid_.Sign(
        testing::FakeOpenId::Claims(kAppId, connector_.service_url(),
                                    Time(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch()))));
    auto res = client.Post("/teams/messages", {{"Authorization", "Bearer " + token}},
                           activity.dump(), "application/json");
    return res ? res->status : 0;
  }

  // Sends and returns the body of the reply the Bot Connector received.
  std::string Ask(int port, const std::string& tenant, const std::string& user,
                  const std::string& text) {
    const std::size_t before = connector_.calls().size();
    EXPECT_EQ(Send(port, Activity(tenant, user, text)), 200) << text;
    auto calls = connector_.WaitForCalls(before + 1);
    std::string bodies;
    for (std::size_t i = before; i < calls.size(); ++i) bodies += calls[i].body;
    EXPECT_FALSE(bodies.empty()) << "no reply to " << text;
    return bodies;
  }

  testing::TempDir dir_;
  testing::FakeOpenId openid_;
  testing::FakeBotConnector connector_;
  int next_id_ = 0;
};

TEST_F(TeamsIsolationTest, AnotherTenantSeesAndChangesNothingOfTenantA) {
  LessonId alpha_id = 0;
  {
    auto server = Start(kTenantA);
    Ask(server->port(), kTenantA, "ana",
        std::string("add Tenant A pricing ") + kSecret + " doubled demos #offers");
    Ask(server->port(), kTenantA, "ana",
        std::string("campaign new \"Alpha launch\" ends:2099-12-15 goal:\"triple the demos ") +
            kSecret + "\"");
    // A guest from tenant B writing to tenant A's bot: refused before anything happens.
    const std::size_t calls = connector_.calls().size();
    EXPECT_EQ(Send(server->port(), Activity(kTenantB, "guest", "add Guest lesson")), 401);
    EXPECT_EQ(Send(server->port(), Activity(kTenantB, "guest", std::string("search ") + kSecret)),
              401);
    json mixed = Activity(kTenantA, "guest", "add Guest lesson via a mixed activity");
    mixed["channelData"]["tenant"]["id"] = kTenantB;
    EXPECT_EQ(Send(server->port(), mixed), 401);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(connector_.calls().size(), calls) << "nothing was answered to the guests";
    EXPECT_EQ(server->StopWith(SIGTERM), 0);
  }
  {
    auto store = std::move(OpenStore(dir_.File("iso.db")).value());
    auto a = store->FindWorkspace(Platform::kTeams, kTenantA).value();
    EXPECT_EQ(store->CountLessons(a.id).value(), 1) << "the guests added nothing";
    (void)store->ForEachLesson(a.id, [&](const Lesson& l) {
      alpha_id = l.id;
      return Status::Ok();
    });
  }
  ASSERT_NE(alpha_id, 0);

  auto server = Start(kTenantB);
  const int port = server->port();
  const std::string id = std::to_string(alpha_id);
  for (const std::string& text :
       {std::string(kSecret), std::string("pricing"), std::string("tag:offers"),
        std::string("since:2000-01-01"), std::string("campaign:\"Alpha launch\""),
        std::string("campaign show \"Alpha launch\""), std::string("campaign list"),
        std::string("campaign end \"Alpha launch\""),
        std::string("campaign edit \"Alpha launch\" goal:\"bravo\""), "edit " + id + " Hijacked",
        "delete " + id, std::string("postmortem \"Alpha launch\""), std::string("digest preview"),
        std::string("export jsonl")}) {
    const std::string reply = Ask(port, kTenantB, "bo", text);
    for (const char* leak : kLeaks) {
      EXPECT_EQ(reply.find(leak), std::string::npos) << text << ": " << reply;
    }
  }
  // Tenant A's people are now the other tenant: refused.
  EXPECT_EQ(Send(port, Activity(kTenantA, "ana", "search pricing")), 401);
  EXPECT_EQ(server->StopWith(SIGTERM), 0);

  auto store = std::move(OpenStore(dir_.File("iso.db")).value());
  auto a = store->FindWorkspace(Platform::kTeams, kTenantA).value();
  auto lesson = store->GetLesson(a.id, alpha_id);
  ASSERT_TRUE(lesson.ok()) << "tenant A's lesson survives";
  EXPECT_NE(lesson->title.find("Tenant A pricing"), std::string::npos);
  auto campaign = store->FindCampaign(a.id, "Alpha launch").value();
  EXPECT_EQ(campaign.goals, std::string("triple the demos ") + kSecret);
  EXPECT_FALSE(store->PostmortemOfCampaign(a.id, campaign.id).ok()) << "not ended by tenant B";
}

}  // namespace
}  // namespace lessonbook
