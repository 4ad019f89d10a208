#include "bot/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Config, DefaultsMatchThePublicContract) {
  auto c = LoadConfig(Env({}), "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->db, "./lessonbook.db");
  EXPECT_EQ(c->slack_api_base, "https://slack.com/api");
  EXPECT_TRUE(c->WebOpenWithoutToken());
  EXPECT_TRUE(CheckConfig(*c).empty());
  EXPECT_EQ(c->ListenHost(), "127.0.0.1");
  EXPECT_EQ(c->ListenPort(), 8080);
}

TEST(Config, EnvironmentWinsOverTheFile) {
  testing::TempDir dir;
  std::ofstream(dir.File("lb.env")) << "# comment\nLESSONBOOK_DB=/from/file.db\n"
                                       "export LESSONBOOK_LISTEN=\"0.0.0.0:9000\"\n";
  auto c = LoadConfig(Env({{"LESSONBOOK_DB", "/from/env.db"}}), dir.File("lb.env"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->db, "/from/env.db");
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
}

TEST(Config, MalformedFileNamesFileAndLine) {
  testing::TempDir dir;
  std::ofstream(dir.File("bad.env")) << "LESSONBOOK_DB=x\nthis is not a setting\n";
  auto c = LoadConfig(Env({}), dir.File("bad.env"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("bad.env:2"), std::string::npos) << c.status().message();
  std::ofstream(dir.File("typo.env")) << "LESSONBOK_DB=x\n";
  auto t = LoadConfig(Env({}), dir.File("typo.env"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("unknown setting LESSONBOK_DB"), std::string::npos);
}

TEST(Config, MalformedSettingsAreReportedInPlainWords) {
  EXPECT_FALSE(LoadConfig(Env({{"LESSONBOOK_THREADS", "lots"}}), "").ok());
  auto c = LoadConfig(Env({{"LESSONBOOK_LISTEN", "8080"},
                           {"SLACK_BOT_TOKEN", "xoxp-user-token"},
                           {"TEAMS_APP_ID", "abc"},
                           {"LESSONBOOK_DATA_KEY", "short"},
                           {"LESSONBOOK_LOG_LEVEL", "loud"}}),
                      "");
  ASSERT_TRUE(c.ok());
  auto problems = CheckConfig(*c);
  std::string all;
  for (auto& p : problems) all += p + "\n";
  EXPECT_NE(all.find("LESSONBOOK_LISTEN"), std::string::npos) << all;
  EXPECT_NE(all.find("SLACK_SIGNING_SECRET is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("xoxb-"), std::string::npos) << all;
  EXPECT_NE(all.find("TEAMS_APP_PASSWORD"), std::string::npos) << all;
  EXPECT_NE(all.find("openssl rand -base64 32"), std::string::npos) << all;
  EXPECT_NE(all.find("LESSONBOOK_LOG_LEVEL"), std::string::npos) << all;
}

TEST(Config, SecretsAreRedactedInDescribe) {
  auto c = LoadConfig(Env({{"SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5"},
                           {"SLACK_BOT_TOKEN", "xoxb-1234-5678-secretsecret"}}),
                      "");
  ASSERT_TRUE(c.ok());
  for (const auto& [name, value] : c->Describe()) {
    EXPECT_EQ(value.find("secretsecret"), std::string::npos) << name;
    EXPECT_EQ(value.find("8f742231"), std::string::npos) << name;
  }
  EXPECT_FALSE(c->WebOpenWithoutToken());
}

TEST(Config, PublicUrlClosesTheWebChat) {
  auto c = LoadConfig(Env({{"LESSONBOOK_PUBLIC_URL", "https://lessons.example.com"}}), "");
  EXPECT_FALSE(c->WebOpenWithoutToken());
}

TEST(Config, LoopbackHosts) {
  for (const char* h : {"127.0.0.1:8080", "localhost", "LOCALHOST:80", "[::1]:8080", "::1",
                        "127.1.2.3"}) {
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  }
  for (const char* h : {"example.com", "10.0.0.1:8080", "127.0.0.1.evil.com", "localhost.evil",
                        "[::2]:80", "", "128.0.0.1", "127.0.0.1:99999"}) {
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
  }
}

TEST(Config, PostgresPasswordsAreNeverShown) {
  EXPECT_EQ(RedactDbLocation("postgres://lb:s3cret@db:5432/lessons"),
            "postgres://lb:***@db:5432/lessons");
  EXPECT_EQ(RedactDbLocation("postgresql://lb@db/lessons?sslmode=require&password=s3cret"),
            "postgresql://lb@db/lessons?sslmode=require&password=***");
  EXPECT_EQ(RedactDbLocation("postgres://db/lessons"), "postgres://db/lessons");
  EXPECT_EQ(RedactDbLocation("./lessonbook.db"), "./lessonbook.db");
  Config c;
  c.db = "postgres://lb:s3cret@db/lessons";
  for (const auto& [name, value] : c.Describe()) {
    EXPECT_EQ(value.find("s3cret"), std::string::npos) << name;
  }
}

TEST(Config, AbuseLimitSettingsAreReadAndRangeChecked) {
  auto c = LoadConfig(Env({{"LESSONBOOK_WEB_RATE_PER_MINUTE", "30"},
                           {"LESSONBOOK_WEB_BURST", "10"},
                           {"LESSONBOOK_WORKSPACE_RATE_PER_MINUTE", "0"},
                           {"LESSONBOOK_WORKSPACE_BURST", "5"},
                           {"LESSONBOOK_MAX_HEADER_BYTES", "4096"},
                           {"LESSONBOOK_READ_TIMEOUT_SECONDS", "3"},
                           {"LESSONBOOK_KEEP_ALIVE_SECONDS", "15"},
                           {"LESSONBOOK_TRUSTED_PROXIES", "10.0.0.0/8, ::1"}}),
                      "");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->web_rate_per_minute, 30);
  EXPECT_EQ(c->web_burst, 10);
  EXPECT_EQ(c->workspace_rate_per_minute, 0);
  EXPECT_EQ(c->workspace_burst, 5);
  EXPECT_EQ(c->max_header_bytes, 4096u);
  EXPECT_EQ(c->read_timeout_seconds, 3);
  EXPECT_EQ(c->keep_alive_seconds, 15);
  EXPECT_TRUE(CheckConfig(*c).empty());
  bool described = false;
  for (const auto& [name, value] : c->Describe()) {
    if (name == "LESSONBOOK_WEB_RATE_PER_MINUTE") described = value == "30";
  }
  EXPECT_TRUE(described);

  auto bad = LoadConfig(Env({{"LESSONBOOK_WEB_BURST", "0"}}), "");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("LESSONBOOK_WEB_BURST must be a number of requests from 1"),
            std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(LoadConfig(Env({{"LESSONBOOK_READ_TIMEOUT_SECONDS", "-1"}}), "").ok());
  EXPECT_FALSE(LoadConfig(Env({{"LESSONBOOK_MAX_HEADER_BYTES", "12"}}), "").ok());
}

TEST(Config, MalformedTrustedProxiesAreAProblemNamingTheEntry) {
  auto c = LoadConfig(Env({{"LESSONBOOK_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"}}), "");
  ASSERT_TRUE(c.ok());
  auto problems = CheckConfig(*c);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("LESSONBOOK_TRUSTED_PROXIES: 'proxy.local' is not an IP address"),
            std::string::npos)
      << problems[0];
}

}  // namespace
}  // namespace lessonbook
