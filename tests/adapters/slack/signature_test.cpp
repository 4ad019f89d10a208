#include "adapters/slack/signature.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

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

// RFC 4231's HMAC-SHA256 test cases 1, 2 and 6 (a key longer than the block, hashed first).
struct MacCase {
  std::string key;
  std::string data;
  const char* hex;
};

std::vector<MacCase> Rfc4231Cases() {
  return {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
  };
}

TEST(SlackSignatureTest, MacMatchesRfc4231WhenTheKeyChangesBetweenCallsOnOneThread) {
  // The MAC keeps its key set up per thread: each call must still use its own key.
  const std::vector<MacCase> cases = Rfc4231Cases();
  for (int round = 0; round < 3; ++round) {
    for (const MacCase& c : cases) {
      EXPECT_EQ(HmacSha256Hex(c.key, c.data), c.hex) << "round " << round << ", key of "
                                                     << c.key.size() << " bytes";
      EXPECT_EQ(HmacSha256Hex(c.key, c.data), c.hex) << "the same key twice, round " << round;
    }
  }
  EXPECT_EQ(SignSlackRequest(kSecret, kTimestamp, kBody), kSignature)
      << "a signature after other keys";
}

TEST(SlackSignatureTest, MacOfAnEmptyKeyIsNotTheLastKeysMac) {
  const std::string with_key = HmacSha256Hex("Jefe", "data");
  const std::string empty_key = HmacSha256Hex("", "data");
  EXPECT_EQ(empty_key.size(), 64u);
  EXPECT_NE(empty_key, with_key);
  // HMAC pads a short key with zero bytes to the 64-byte block: the empty key is 64 zero bytes.
  EXPECT_EQ(empty_key, HmacSha256Hex(std::string(64, '\0'), "data"));
  EXPECT_EQ(HmacSha256Hex("Jefe", "data"), with_key);
}

TEST(SlackSignatureTest, ThreadsSigningWithDifferentSecretsAtOnceEachGetTheirOwnSignature) {
  const std::vector<MacCase> cases = Rfc4231Cases();
  std::vector<int> wrong(cases.size(), 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < cases.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (HmacSha256Hex(cases[t].key, cases[t].data) != cases[t].hex) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < cases.size(); ++t) EXPECT_EQ(wrong[t], 0) << "case " << t;
}

}  // namespace
}  // namespace lessonbook
