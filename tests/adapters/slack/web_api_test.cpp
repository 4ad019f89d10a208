#include "adapters/slack/web_api.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_slack.h"

namespace lessonbook {
namespace {

using testing::FakeSlack;
using testing::FakeSlackAnswer;

class SlackWebApiTest : public ::testing::Test {
 protected:
  SlackWebApi Api() {
    SlackWebApiOptions o;
    o.api_base = fake_.api_base();
    return SlackWebApi(o);
  }
  FakeSlack fake_;
};

TEST_F(SlackWebApiTest, SendsBearerTokenAndJsonContentType) {
  SlackApiResult r = Api().Call("chat.postMessage", "xoxb-1-2", R"({"channel":"C1","text":"hi"})");
  EXPECT_TRUE(r.ok()) << r.error;
  auto calls = fake_.Calls("chat.postMessage");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].headers["authorization"], "Bearer xoxb-1-2");
  EXPECT_EQ(calls[0].headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(calls[0].json["channel"], "C1");
}

TEST_F(SlackWebApiTest, Http429WithRetryAfterIsARetryAtThatTime) {
  fake_.Script(
      "chat.postMessage",
      {FakeSlackAnswer{429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "2"}}}});
  SlackApiResult r = Api().Call("chat.postMessage", "xoxb-1", "{}");
  EXPECT_EQ(r.kind, SlackApiResult::Kind::kRetry);
  EXPECT_EQ(r.retry_after, std::chrono::seconds(2));
  EXPECT_TRUE(Api().Call("chat.postMessage", "xoxb-1", "{}").ok());
}

TEST_F(SlackWebApiTest, OkFalseErrorsMapToPermanentOrRetry) {
  struct Case {
    const char* error;
    SlackApiResult::Kind kind;
  };
  for (const Case& c : {Case{"invalid_auth", SlackApiResult::Kind::kPermanent},
                        Case{"account_inactive", SlackApiResult::Kind::kPermanent},
                        Case{"token_revoked", SlackApiResult::Kind::kPermanent},
                        Case{"channel_not_found", SlackApiResult::Kind::kPermanent},
                        Case{"not_in_channel", SlackApiResult::Kind::kPermanent},
                        Case{"ratelimited", SlackApiResult::Kind::kRetry},
                        Case{"internal_error", SlackApiResult::Kind::kRetry}}) {
    SCOPED_TRACE(c.error);
    fake_.Script(
        "chat.postMessage",
        {FakeSlackAnswer{200, std::string(R"({"ok":false,"error":")") + c.error + "\"}", {}}});
    SlackApiResult r = Api().Call("chat.postMessage", "xoxb-1", "{}");
    EXPECT_EQ(r.kind, c.kind);
    EXPECT_EQ(r.error, c.error);
  }
}

TEST_F(SlackWebApiTest, ServerErrorsAndUnreachableHostsAreRetried) {
  fake_.Script("chat.postMessage", {FakeSlackAnswer{503, "busy", {}}});
  EXPECT_EQ(Api().Call("chat.postMessage", "xoxb-1", "{}").kind, SlackApiResult::Kind::kRetry);
  SlackWebApiOptions o;
  o.api_base = "http://127.0.0.1:1/api";
  o.http.connect_timeout = std::chrono::seconds(1);
  EXPECT_EQ(SlackWebApi(o).Call("auth.test", "xoxb-1", "{}").kind, SlackApiResult::Kind::kRetry);
}

TEST_F(SlackWebApiTest, OAuthAccessUsesBasicAuthAndAForm) {
  SlackApiResult r = Api().CallForm("oauth.v2.access", {{"code", "abc"}}, "123.456", "s3cret");
  EXPECT_TRUE(r.ok()) << r.error;
  auto calls = fake_.Calls("oauth.v2.access");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].headers["authorization"], "Basic MTIzLjQ1NjpzM2NyZXQ=");
  EXPECT_EQ(calls[0].form["code"], "abc");
}

}  // namespace
}  // namespace lessonbook
