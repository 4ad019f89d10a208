// End to end with the real binary: the abuse limits as configured through the environment —
// per-address 429 on the web chat page, a per-workspace "slow down" 200 for signed Slack slash
// commands (unsigned ones never use up the workspace's tokens), counted in /metrics, and a
// malformed LESSONBOOK_TRUSTED_PROXIES stopping the start with a clear message.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/http/url.h"
#include "adapters/slack/signature.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(AbuseLimitsServeTest, MalformedTrustedProxiesStopTheStart) {
  testing::TempDir dir;
  auto run =
      testing::RunLessonbook({"serve"}, {{"LESSONBOOK_DB", dir.File("lessonbook.db")},
                                         {"LESSONBOOK_LISTEN", "127.0.0.1:0"},
                                         {"LESSONBOOK_TRUSTED_PROXIES", "10.0.0.0/8,10.1.2.3/16"}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(Contains(run.err,
                       "LESSONBOOK_TRUSTED_PROXIES: '10.1.2.3/16' has bits set after "
                       "the /16 prefix: use 10.1.0.0/16"))
      << run.err;
  auto check =
      testing::RunLessonbook({"check-config"}, {{"LESSONBOOK_TRUSTED_PROXIES", "10.0.0.0/8,,"}});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_TRUE(Contains(check.out, "LESSONBOOK_TRUSTED_PROXIES: an empty entry")) << check.out;
}

TEST(AbuseLimitsServeTest, TheWebPageIsLimitedPerAddressWith429AndRetryAfter) {
  testing::TempDir dir;
  testing::ServerProcess server({{"LESSONBOOK_DB", dir.File("lessonbook.db")},
                                 {"LESSONBOOK_WEB_RATE_PER_MINUTE", "1"},
                                 {"LESSONBOOK_WEB_BURST", "2"}},
                                dir.File("server.log"));
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(10, 0);
  EXPECT_EQ(client.Get("/")->status, 200);
  EXPECT_EQ(client.Get("/")->status, 200);
  auto refused = client.Get("/");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  const int retry_after = std::stoi(refused->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(client.Get("/healthz")->status, 200) << "probes are never limited";
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_TRUE(
      Contains(metrics->body, "lessonbook_http_rate_limited_total{scope=\"ip\",route=\"/\"} 1"))
      << metrics->body;
  EXPECT_EQ(server.StopWith(SIGTERM), 0);
}

TEST(AbuseLimitsServeTest, SlashCommandsOverTheWorkspaceLimitGetASlowDownNoticeNot429) {
  testing::TempDir dir;
  testing::FakeSlack fake;
  testing::ServerProcess server({{"LESSONBOOK_DB", dir.File("lessonbook.db")},
                                 {"SLACK_SIGNING_SECRET", "limit-secret"},
                                 {"SLACK_BOT_TOKEN", "xoxb-limit-token"},
                                 {"SLACK_API_BASE", fake.api_base()},
                                 {"LESSONBOOK_WORKSPACE_RATE_PER_MINUTE", "1"},
                                 {"LESSONBOOK_WORKSPACE_BURST", "2"}},
                                dir.File("server.log"));
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(10, 0);
  auto command = [&](const std::string& text, bool sign) {
    const std::string body = FormEncode({{"team_id", "T0ACME001"},
                                         {"channel_id", "C0GENERAL1"},
                                         {"user_id", "U0ANA0001"},
                                         {"user_name", "ana"},
                                         {"command", "/lessons"},
                                         {"text", text},
                                         {"response_url", fake.response_url("limit")},
                                         {"trigger_id", "1.2.3"}});
    const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    httplib::Headers headers = {{"X-Slack-Request-Timestamp", ts}};
    headers.emplace("X-Slack-Signature",
                    sign ? SignSlackRequest("limit-secret", ts, body) : "v0=forged");
    return client.Post("/slack/commands", headers, body, "application/x-www-form-urlencoded");
  };
  for (int i = 0; i < 5; ++i) {
    auto forged = command("help", false);
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 401) << "unverified requests never use up the workspace's tokens";
  }
  for (int i = 0; i < 2; ++i) {
    auto res = command("help", true);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_FALSE(Contains(res->body, "Slow down")) << res->body;
  }
  auto slowed = command("help", true);
  ASSERT_TRUE(slowed);
  EXPECT_EQ(slowed->status, 200);
  EXPECT_EQ(nlohmann::json::parse(slowed->body)["response_type"], "ephemeral");
  EXPECT_TRUE(Contains(slowed->body, "Slow down")) << slowed->body;
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_TRUE(Contains(metrics->body,
                       "lessonbook_http_rate_limited_total{scope=\"workspace\",route=\"slack\"} 1"))
      << metrics->body;
  EXPECT_EQ(server.StopWith(SIGTERM), 0);
}

}  // namespace
}  // namespace lessonbook
