#include "adapters/slack/signature.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

// Slack's example request from "Verifying requests from Slack".
constexpr const char* kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr const char* kTimestamp = "1531420618";
constexpr const char* kBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
constexpr const char* kSignature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const Time kAt = FromUnix(1531420618);

TEST(SlackSignatureTest, ComputesSlacksPublishedExampleSignature) {
  EXPECT_EQ(SignSlackRequest(kSecret, kTimestamp, kBody), kSignature);
}

struct Case {
  const char* name;
  std::string secret;
  std::string timestamp;
  std::string signature;
  std::string body;
  Time now;
  bool ok;
  const char* reason;  // part of the message when refused
};

TEST(SlackSignatureTest, Table) {
  const std::string body = kBody;
  const std::string fresh_ts = "1531420918";  // 300 s later
  const std::vector<Case> cases = {
      {"published example verifies", kSecret, kTimestamp, kSignature, body, kAt, true, ""},
      {"4m59s later still verifies", kSecret, kTimestamp, kSignature, body,
       kAt + std::chrono::seconds(299), true, ""},
      {"exactly 5 minutes later verifies", kSecret, kTimestamp, kSignature, body,
       kAt + std::chrono::seconds(300), true, ""},
      {"expired: 5 minutes and 1 s old", kSecret, kTimestamp, kSignature, body,
       kAt + std::chrono::seconds(301), false, "more than 5 minutes old"},
      {"from the future: more than 5 minutes ahead", kSecret, kTimestamp, kSignature, body,
       kAt - std::chrono::seconds(301), false, "in the future"},
      {"missing signature", kSecret, kTimestamp, "", body, kAt, false,
       "X-Slack-Signature is missing"},
      {"missing timestamp", kSecret, "", kSignature, body, kAt, false, "Timestamp is missing"},
      {"timestamp not a number", kSecret, "15314x0618", kSignature, body, kAt, false,
       "not a Unix time"},
      {"forged signature", kSecret, kTimestamp,
       "v0=0000000000000000000000000000000000000000000000000000000000000000", body, kAt, false,
       "does not match"},
      {"wrong version prefix", kSecret, kTimestamp,
       "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", body, kAt, false,
       "v0="},
      {"signature cut short", kSecret, kTimestamp, "v0=a2114d57", body, kAt, false, "v0="},
      {"body altered after signing", kSecret, kTimestamp, kSignature, body + "&text=delete+1", kAt,
       false, "does not match"},
      {"replayed body with a fresh timestamp keeps the old signature", kSecret, fresh_ts,
       kSignature, body, FromUnix(1531420918), false, "does not match"},
      {"another app's secret", "another-secret", kTimestamp, kSignature, body, kAt, false,
       "does not match"},
      {"no secret configured", "", kTimestamp, kSignature, body, kAt, false, "no signing secret"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Status s = VerifySlackSignature(c.secret, c.timestamp, c.signature, c.body, c.now);
    EXPECT_EQ(s.ok(), c.ok) << s.ToString();
    if (!c.ok) {
      EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
      EXPECT_NE(s.message().find(c.reason), std::string::npos) << s.message();
    }
  }
}

TEST(SlackSignatureTest, ReSignedReplayWithFreshTimestampVerifiesOnlyWithTheSecret) {
  // Only someone holding the secret can give an old body a new timestamp.
  const std::string fresh = "1531421000";
  EXPECT_TRUE(VerifySlackSignature(kSecret, fresh, SignSlackRequest(kSecret, fresh, kBody), kBody,
                                   FromUnix(1531421000))
                  .ok());
}

}  // namespace
}  // namespace lessonbook
