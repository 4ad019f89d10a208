#include "adapters/slack/targets.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace lessonbook {
namespace {

using json = nlohmann::json;

// What EncodeSlackTarget wrote as a json document before it wrote the text directly: stored
// outbox rows hold these bytes, and the text must stay the same.
std::string AsDocument(const SlackTarget& t) {
  json j;
  switch (t.kind) {
    case SlackTarget::Kind::kResponseUrl:
      j = {{"t", "url"}, {"url", t.url}, {"ch", t.channel}, {"u", t.user},
           {"at", ToUnix(t.created_at)}};
      break;
    case SlackTarget::Kind::kChannel:
      j = {{"t", "ch"}, {"ch", t.channel}, {"u", t.user}, {"im", t.is_im}};
      break;
    case SlackTarget::Kind::kHome:
      j = {{"t", "home"}, {"u", t.user}};
      break;
    case SlackTarget::Kind::kDm:
      j = {{"t", "dm"}, {"u", t.user}};
      break;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(SlackTargetsTest, AResponseUrlTargetIsItsJsonDocument) {
  SlackTarget t;
  t.kind = SlackTarget::Kind::kResponseUrl;
  t.url = "https://hooks.slack.com/commands/T1/2/abc";
  t.channel = "C024BE91L";
  t.user = "U024BE7LH";
  t.created_at = FromUnix(1733500000);
  EXPECT_EQ(EncodeSlackTarget(t),
            "{\"at\":1733500000,\"ch\":\"C024BE91L\",\"t\":\"url\",\"u\":\"U024BE7LH\","
            "\"url\":\"https://hooks.slack.com/commands/T1/2/abc\"}");
}

// Random fields (quotes, backslashes, control characters, unicode, broken UTF-8, negative and
// large times) for every kind: the same bytes as the document, and decoded back to the target.
TEST(SlackTargetsTest, RandomTargetsAreWrittenAsTheirDocumentAndReadBack) {
  std::mt19937 rng(8);
  const std::vector<std::string> pieces = {"U", "C0", "D", "\"", "\\", "\n", "\x02", "é",
                                           "🎉", "https://x/?a=1&b=2", "\xC3", "\xFF"};
  const auto text = [&] {
    std::string s;
    for (int i = static_cast<int>(rng() % 6); i > 0; --i) s += pieces[rng() % pieces.size()];
    return s;
  };
  for (int round = 0; round < 4000; ++round) {
    SlackTarget t;
    t.kind = static_cast<SlackTarget::Kind>(rng() % 4);
    t.url = "https://h/" + text();
    t.channel = "C" + text();
    t.user = "U" + text();
    t.is_im = rng() % 2 == 0;
    t.created_at = FromUnix(static_cast<long long>(rng()) - (1LL << 31));
    const std::string encoded = EncodeSlackTarget(t);
    ASSERT_EQ(encoded, AsDocument(t)) << "round " << round;
    const bool valid_utf8 = encoded.find("\xEF\xBF\xBD") == std::string::npos;
    auto decoded = DecodeSlackTarget(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(decoded->kind, t.kind);
    if (valid_utf8) {
      EXPECT_EQ(decoded->user, t.user);
      if (t.kind == SlackTarget::Kind::kResponseUrl) {
        EXPECT_EQ(decoded->url, t.url);
        EXPECT_EQ(decoded->created_at, t.created_at);
      }
      if (t.kind == SlackTarget::Kind::kChannel) {
        EXPECT_EQ(decoded->is_im, t.is_im);
      }
    }
  }
}

}  // namespace
}  // namespace lessonbook
