#include "adapters/teams/bot_connector.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_bot_connector.h"

namespace lessonbook::teams {
namespace {

using namespace std::chrono_literals;

TEST(ServiceUrlAllowlist, DefaultsToMicrosoftsBotConnectorHosts) {
  auto defaults = ParseServiceUrlAllowlist("");
  EXPECT_TRUE(ServiceUrlAllowed("https://smba.trafficmanager.net/amer/", defaults));
  EXPECT_TRUE(ServiceUrlAllowed("https://smba.infra.gcc.teams.microsoft.com/teams", defaults));
  EXPECT_TRUE(ServiceUrlAllowed("https://webchat.botframework.com/", defaults));
  EXPECT_FALSE(ServiceUrlAllowed("https://botframework.com.evil.example/", defaults));
  EXPECT_FALSE(ServiceUrlAllowed("https://evilbotframework.com/", defaults));
  EXPECT_FALSE(ServiceUrlAllowed("http://smba.trafficmanager.net/amer/", defaults)) << "https only";
  EXPECT_FALSE(ServiceUrlAllowed("https://169.254.169.254/", defaults));
  EXPECT_FALSE(ServiceUrlAllowed("not a url", defaults));
  auto loopback = ParseServiceUrlAllowlist(" 127.0.0.1 , Example.COM");
  EXPECT_EQ(loopback, (std::vector<std::string>{"127.0.0.1", "example.com"}));
  EXPECT_TRUE(ServiceUrlAllowed("http://127.0.0.1:8080/teams/", loopback));
  EXPECT_FALSE(ServiceUrlAllowed("http://example.com/", loopback)) << "plain http: loopback only";
}

TEST(BotConnectorUrls, IdsArePercentEncodedAndSlashesJoined) {
  EXPECT_EQ(
      ActivitiesUrl("https://smba.trafficmanager.net/amer/", "19:abc@thread.tacv2;messageid=1"),
      "https://smba.trafficmanager.net/amer/v3/conversations/"
      "19%3Aabc%40thread.tacv2%3Bmessageid%3D1/activities");
  EXPECT_EQ(ActivitiesUrl("https://x/teams", "a:1", "1:2"),
            "https://x/teams/v3/conversations/a%3A1/activities/1%3A2");
  EXPECT_EQ(
      PagedMembersUrl("https://x/", "19:t", "tok/1", 100),
      "https://x/v3/conversations/19%3At/pagedmembers?pageSize=100&continuationToken=tok%2F1");
}

TEST(BotConnectorDelivery, StatusesMapToSentRetryOrFailed) {
  struct Case {
    int status;
    std::string body;
    std::string retry_after;
    Delivery::Kind kind;
    long long after;
  };
  const std::vector<Case> cases = {
      {201, "{}", "", Delivery::Kind::kSent, 0},
      {429, "{}", "12", Delivery::Kind::kRetry, 12},
      {429, "{}", "Wed, 21 Oct 2015 07:28:00 GMT", Delivery::Kind::kRetry, 0},
      {412, "{}", "", Delivery::Kind::kRetry, 0},
      {502, "", "", Delivery::Kind::kRetry, 0},
      {504, "", "3", Delivery::Kind::kRetry, 3},
      {403, R"({"error":{"code":"MessageWritesBlocked","message":"Blocked"}})", "",
       Delivery::Kind::kFailed, 0},
      {403, R"({"error":{"code":"BotNotInConversationRoster"}})", "", Delivery::Kind::kFailed, 0},
      {404, "{}", "", Delivery::Kind::kFailed, 0},
  };
  for (const Case& c : cases) {
    ClientResponse r;
    r.status = c.status;
    r.body = c.body;
    if (!c.retry_after.empty()) r.headers["retry-after"] = c.retry_after;
    Delivery d = DeliveryFor(r);
    EXPECT_EQ(d.kind, c.kind) << c.status << " " << c.body;
    EXPECT_EQ(d.retry_after.count(), c.after) << c.status;
  }
  ClientResponse blocked{
      403, {}, R"({"error":{"code":"Forbidden","subCode":"MessageWritesBlocked"}})"};
  EXPECT_TRUE(IsMessageWritesBlocked(blocked));
  ClientResponse other{403, {}, R"({"error":{"code":"Forbidden"}})"};
  EXPECT_FALSE(IsMessageWritesBlocked(other));
}

class BotConnectorTest : public ::testing::Test {
 protected:
  BotConnector Make() {
    BotConnectorOptions o;
    o.app_id = "app";
    o.app_password = "pw&=x";
    o.tenant_id = "tenant-1";
    o.token_url = fake_.token_url();
    o.service_url_allowlist = ParseServiceUrlAllowlist("127.0.0.1");
    return BotConnector(client_, clock_, o);
  }
  HttpClient client_;
  FakeClock clock_{FromUnix(1'800'000'000)};
  testing::FakeBotConnector fake_;
};

TEST_F(BotConnectorTest, TokenIsCachedUntilFiveMinutesBeforeItExpires) {
  BotConnector bc = Make();
  EXPECT_EQ(bc.TokenUrl(), fake_.token_url());
  ASSERT_TRUE(bc.Trust(fake_.service_url()));
  ASSERT_EQ(bc.SendToConversation(fake_.service_url(), "a:1", "{}")->status, 201);
  ASSERT_EQ(bc.SendToConversation(fake_.service_url(), "a:1", "{}")->status, 201);
  EXPECT_EQ(fake_.token_requests(), 1);
  EXPECT_NE(fake_.last_token_request().find("client_secret=pw%26%3Dx"), std::string::npos);
  EXPECT_NE(fake_.last_token_request().find("client_id=app"), std::string::npos);
  clock_.Advance(3600s - 301s);
  (void)bc.SendToConversation(fake_.service_url(), "a:1", "{}");
  EXPECT_EQ(fake_.token_requests(), 1);
  clock_.Advance(2s);
  (void)bc.SendToConversation(fake_.service_url(), "a:1", "{}");
  EXPECT_EQ(fake_.token_requests(), 2);
  auto calls = fake_.calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].authorization, "Bearer token-1");
  EXPECT_EQ(calls[3].authorization, "Bearer token-2");
}

TEST_F(BotConnectorTest, TheTokenGoesOnlyToTrustedAllowListedServiceUrls) {
  BotConnector bc = Make();
  auto res = bc.SendToConversation(fake_.service_url(), "a:1", "{}");
  EXPECT_EQ(res.status().code(), Status::Code::kPermissionDenied) << "not seen in an activity";
  EXPECT_FALSE(bc.Trust("https://attacker.example/"));
  EXPECT_EQ(bc.SendToConversation("https://attacker.example/", "a:1", "{}").status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(fake_.calls().empty());
  EXPECT_EQ(fake_.token_requests(), 0);
}

TEST_F(BotConnectorTest, ConversationsRepliesUpdatesAndRoster) {
  BotConnector bc = Make();
  ASSERT_TRUE(bc.Trust(fake_.service_url()));
  auto created = bc.CreatePersonalConversation(fake_.service_url(), "28:app", "29:bo", "tenant-1");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(*ConversationIdFrom(*created), "a:dm-29:bo");
  (void)bc.ReplyToActivity(fake_.service_url(), "19:c@thread;messageid=9", "9",
                           R"({"type":"message"})");
  (void)bc.UpdateActivity(fake_.service_url(), "a:1", "act:1", R"({"type":"message"})");
  fake_.set_members({{{"id", "29:a"}, {"name", "A"}}, {{"id", "29:b"}}, {{"id", "29:c"}}});
  auto page = bc.PagedMembers(fake_.service_url(), "19:team");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->members.size(), 2u);
  EXPECT_EQ(page->continuation_token, "2");
  auto last = bc.PagedMembers(fake_.service_url(), "19:team", page->continuation_token);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->members.size(), 1u);
  EXPECT_EQ(last->continuation_token, "");
  auto calls = fake_.calls();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[0].json["members"][0]["id"], "29:bo");
  EXPECT_EQ(calls[0].json["channelData"]["tenant"]["id"], "tenant-1");
  EXPECT_EQ(calls[1].target,
            "/teams/v3/conversations/19%3Ac%40thread%3Bmessageid%3D9/activities/9");
  EXPECT_EQ(calls[2].method, "PUT");
  EXPECT_EQ(calls[2].target, "/teams/v3/conversations/a%3A1/activities/act%3A1");
  EXPECT_EQ(calls[3].method, "GET");
  EXPECT_EQ(calls[3].target, "/teams/v3/conversations/19%3Ateam/pagedmembers");
}

TEST_F(BotConnectorTest, A401DropsTheCachedToken) {
  BotConnector bc = Make();
  ASSERT_TRUE(bc.Trust(fake_.service_url()));
  fake_.Script({401, "{}", ""});
  EXPECT_EQ(bc.SendToConversation(fake_.service_url(), "a:1", "{}")->status, 401);
  (void)bc.SendToConversation(fake_.service_url(), "a:1", "{}");
  EXPECT_EQ(fake_.token_requests(), 2);
}

}  // namespace
}  // namespace lessonbook::teams
