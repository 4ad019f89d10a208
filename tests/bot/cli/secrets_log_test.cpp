// Secrets stay out of the logs: a full session of the real server with every secret configured
// (Slack signing secret, bot token, client secret, an OAuth-installed token, the Teams app
// password, the data key, the web token) at debug level — an OAuth install, slash commands,
// events, a forged request, Teams activities, the web chat with a right and a wrong token, a
// graceful stop — and `check-config`; none of the secrets appears in standard output or error,
// raw, base64-encoded or percent-encoded. Also: the start-up warning for a missing data key.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "adapters/http/url.h"
#include "bot/secret_box.h"
#include "storage/store.h"
#include "tests/fakes/fake_bot_connector.h"
#include "tests/fakes/fake_openid.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/server_process.h"
#include "tests/support/slack_client.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kSigning = "sig-8f3a9c2e7b1d4f60";
constexpr const char* kBotToken = "xoxb-1111-2222-bottokenAbCdEf";
constexpr const char* kClientSecret = "clientsecret9d8e7f6a5b4c";
constexpr const char* kInstalledToken = "xoxb-3333-4444-installedGhIjKl";
constexpr const char* kAppPassword = "Teams~AppPassword.Zx9_Yw8";
constexpr const char* kDataKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kWebToken = "webtoken-5e6f7a8b9c0d";
constexpr const char* kTenant = "tenant-secrets";
constexpr const char* kAppId = "secrets-app";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The forms a secret could take in a log line.
std::vector<std::string> Forms(const std::string& secret) {
  std::vector<std::string> forms = {secret, Base64Encode(secret), PercentEncode(secret)};
  std::string url_safe = Base64Encode(secret);
  for (char& c : url_safe) c = c == '+' ? '-' : (c == '/' ? '_' : c);
  while (!url_safe.empty() && url_safe.back() == '=') url_safe.pop_back();
  forms.push_back(url_safe);
  if (auto raw = Base64Decode(secret); raw.ok() && raw->size() >= 16) forms.push_back(*raw);
  return forms;
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(SecretsLogTest, AFullSessionNeverLogsAConfiguredSecret) {
  testing::TempDir dir;
  testing::FakeSlack slack;
  testing::FakeOpenId openid;
  testing::FakeBotConnector connector;
  slack.SetDefault("oauth.v2.access", {200,
                                       json{{"ok", true},
                                            {"access_token", kInstalledToken},
                                            {"token_type", "bot"},
                                            {"scope", "commands,chat:write"},
                                            {"bot_user_id", "U0BOT0009"},
                                            {"app_id", "A0001"},
                                            {"team", {{"id", "T0SECRET2"}, {"name", "Second"}}},
                                            {"authed_user", {{"id", "U0INST002"}}}}
                                           .dump(),
                                       {}});
  const std::map<std::string, std::string> env = {
      {"LESSONBOOK_DB", dir.File("secrets.db")},
      {"LESSONBOOK_LOG_LEVEL", "debug"},
      {"LESSONBOOK_DATA_KEY", kDataKey},
      {"LESSONBOOK_WEB_TOKEN", kWebToken},
      {"SLACK_SIGNING_SECRET", kSigning},
      {"SLACK_BOT_TOKEN", kBotToken},
      {"SLACK_CLIENT_ID", "1111.2222"},
      {"SLACK_CLIENT_SECRET", kClientSecret},
      {"SLACK_API_BASE", slack.api_base()},
      {"TEAMS_APP_ID", kAppId},
      {"TEAMS_APP_PASSWORD", kAppPassword},
      {"TEAMS_TENANT_ID", kTenant},
      {"TEAMS_OPENID_METADATA_URL", openid.metadata_url()},
      {"TEAMS_TOKEN_URL", connector.token_url(kTenant)},
      {"TEAMS_SERVICE_URL_ALLOWLIST", "127.0.0.1"}};
  const std::string log = dir.File("server.log");
  {
    testing::ServerProcess server(env, log);
    testing::SlackClient client(server.port(), kSigning);
    EXPECT_EQ(client.Install("code-1"), 200);
    EXPECT_EQ(client.Command("T0ACME001", "U0ANA0001", "add Secrets stay secret #testing").status,
              200);
    EXPECT_EQ(client.Command("T0SECRET2", "U0INST002", "add Installed team lesson").status, 200);
    EXPECT_EQ(client.Command("T0SECRET2", "U0INST002", "secret").status, 200);
    EXPECT_EQ(client
                  .Event("T0SECRET2", "EvSecret1",
                         {{"type", "message"},
                          {"channel_type", "im"},
                          {"channel", "D0SECRET1"},
                          {"user", "U0INST002"},
                          {"text", "add A lesson by DM"},
                          {"ts", "1700000000.000100"}})
                  .status,
              200);
    EXPECT_EQ(testing::SlackClient(server.port(), "wrong-secret")
                  .Command("T0ACME001", "U0ANA0001", "help")
                  .status,
              401);
    // The DM's reply goes out with the installed token.
    auto posted = slack.WaitFor("chat.postMessage", 1);
    ASSERT_FALSE(posted.empty());
    EXPECT_EQ(posted.back().headers["authorization"], std::string("Bearer ") + kInstalledToken);

    json activity = {
        {"type", "message"},
        {"id", "secrets-1"},
        {"serviceUrl", connector.service_url()},
        {"channelId", "msteams"},
        {"from", {{"id", "29:ana"}, {"name", "Ana"}}},
        {"conversation",
         {{"id", "a:ana-dm"}, {"conversationType", "personal"}, {"tenantId", kTenant}}},
        {"recipient", {{"id", std::string("28:") + kAppId}, {"name", "Lessonbook"}}},
        {"text", "add Teams lesson about secrets"},
        {"channelData", {{"tenant", {{"id", kTenant}}}}}};
    httplib::Client http("127.0.0.1", server.port());
    http.set_read_timeout(10, 0);
    const std::string jwt = openid.Sign(testing::FakeOpenId::Claims(
        kAppId, connector.service_url(), Time(std::chrono::seconds(Now()))));
    auto teams = http.Post("/teams/messages", {{"Authorization", "Bearer " + jwt}}, activity.dump(),
                           "application/json");
    ASSERT_TRUE(teams);
    EXPECT_EQ(teams->status, 200);
    EXPECT_FALSE(connector.WaitForCalls(1).empty()) << "the reply used the app password's token";
    EXPECT_NE(connector.last_token_request().find("client_secret="), std::string::npos);
    auto forged = http.Post("/teams/messages", {{"Authorization", "Bearer not.a.jwt"}},
                            activity.dump(), "application/json");
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 401);

    json web = {{"text", "add Web lesson"}, {"user", "ana"}};
    auto ok = http.Post("/web/messages", {{"Authorization", std::string("Bearer ") + kWebToken}},
                        web.dump(), "application/json");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
    auto wrong = http.Post("/web/messages", {{"Authorization", "Bearer wrong"}}, web.dump(),
                           "application/json");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401);
    http.Get("/metrics");
    EXPECT_EQ(server.StopWith(SIGTERM), 0);
  }
  // The installed token is stored sealed.
  {
    auto store = std::move(OpenStore(dir.File("secrets.db")).value());
    auto ws = store->FindWorkspace(Platform::kSlack, "T0SECRET2").value();
    EXPECT_TRUE(IsSealedSecret(ws.bot_token)) << "stored encrypted";
    EXPECT_EQ(ws.bot_token.find(kInstalledToken), std::string::npos);
  }
  auto check = testing::RunLessonbook({"check-config"}, env);
  const std::string output = ReadFile(log) + check.out + check.err;
  ASSERT_NE(ReadFile(log).find("server.stopped"), std::string::npos) << "the session ran";
  for (const char* secret :
       {kSigning, kBotToken, kClientSecret, kInstalledToken, kAppPassword, kDataKey, kWebToken}) {
    for (const std::string& form : Forms(secret)) {
      EXPECT_EQ(output.find(form), std::string::npos)
          << "a form of " << secret << " is in the output: " << form;
    }
  }
  EXPECT_EQ(output.find("secrets.unencrypted"), std::string::npos) << "a key is configured";
}

TEST(SecretsLogTest, AMissingDataKeyOutsideLoopbackModeIsWarnedAboutAtStart) {
  testing::TempDir dir;
  testing::FakeOpenId openid;
  testing::FakeBotConnector connector;
  const std::string log = dir.File("server.log");
  {
    testing::ServerProcess server({{"LESSONBOOK_DB", dir.File("a.db")},
                                   {"TEAMS_APP_ID", kAppId},
                                   {"TEAMS_APP_PASSWORD", kAppPassword},
                                   {"TEAMS_TENANT_ID", kTenant},
                                   {"TEAMS_OPENID_METADATA_URL", openid.metadata_url()},
                                   {"TEAMS_TOKEN_URL", connector.token_url(kTenant)}},
                                  log);
    EXPECT_EQ(server.StopWith(SIGTERM), 0);
  }
  EXPECT_NE(ReadFile(log).find("event=secrets.unencrypted"), std::string::npos) << ReadFile(log);

  const std::string loopback_log = dir.File("loopback.log");
  {
    testing::ServerProcess server({{"LESSONBOOK_DB", dir.File("b.db")}}, loopback_log);
    EXPECT_EQ(server.StopWith(SIGTERM), 0);
  }
  EXPECT_EQ(ReadFile(loopback_log).find("secrets.unencrypted"), std::string::npos)
      << "the loopback-only web chat stores no secrets";
}

}  // namespace
}  // namespace lessonbook
