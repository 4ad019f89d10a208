// End to end with the real binary: `lessonbook serve` in single-workspace mode (SLACK_BOT_TOKEN)
// against FakeSlack learns its team with auth.test at start and answers a signed slash command.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "adapters/http/url.h"
#include "adapters/slack/signature.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

TEST(SlackServeTest, SingleWorkspaceServerCallsAuthTestAndAnswersASignedSlashCommand) {
  testing::TempDir dir;
  testing::FakeSlack fake;
  testing::ServerProcess server({{"LESSONBOOK_DB", dir.File("lessonbook.db")},
                                 {"SLACK_SIGNING_SECRET", "serve-secret"},
                                 {"SLACK_BOT_TOKEN", "xoxb-serve-token"},
                                 {"SLACK_API_BASE", fake.api_base()}},
                                dir.File("server.log"));
  auto auth = fake.Calls("auth.test");
  ASSERT_EQ(auth.size(), 1u);
  EXPECT_EQ(auth[0].headers["authorization"], "Bearer xoxb-serve-token");

  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(10, 0);
  const std::string body = FormEncode({{"team_id", "T0ACME001"},
                                       {"channel_id", "C0GENERAL1"},
                                       {"user_id", "U0ANA0001"},
                                       {"user_name", "ana"},
                                       {"command", "/lessons"},
                                       {"text", "add Numbers in subject lines lift opens #email"},
                                       {"response_url", fake.response_url("serve1")},
                                       {"trigger_id", "1.2.3"}});
  const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  auto res = client.Post("/slack/commands",
                         {{"X-Slack-Request-Timestamp", ts},
                          {"X-Slack-Signature", SignSlackRequest("serve-secret", ts, body)}},
                         body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto json = nlohmann::json::parse(res->body);
  EXPECT_EQ(json["response_type"], "ephemeral");
  EXPECT_NE(res->body.find("Numbers in subject lines lift opens"), std::string::npos);

  auto unsigned_res = client.Post("/slack/commands", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(unsigned_res);
  EXPECT_EQ(unsigned_res->status, 401);
  EXPECT_EQ(server.StopWith(SIGTERM), 0);
}

TEST(SlackServeTest, ATokenSlackRefusesStopsTheServerWithAClearMessage) {
  testing::TempDir dir;
  testing::FakeSlack fake;
  fake.SetDefault("auth.test", {200, R"({"ok":false,"error":"invalid_auth"})", {}});
  auto result = testing::RunLessonbook({"serve"}, {{"LESSONBOOK_DB", dir.File("lessonbook.db")},
                                                   {"LESSONBOOK_LISTEN", "127.0.0.1:0"},
                                                   {"SLACK_SIGNING_SECRET", "serve-secret"},
                                                   {"SLACK_BOT_TOKEN", "xoxb-revoked"},
                                                   {"SLACK_API_BASE", fake.api_base()}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("invalid_auth"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace lessonbook
