#include "adapters/http/url.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

TEST(Url, SplitsOriginAndTarget) {
  auto u = ParseUrl("https://slack.com/api");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->Origin(), "https://slack.com");
  EXPECT_EQ(u->target, "/api");
  EXPECT_EQ(u->port, 443);
  auto l = ParseUrl("http://127.0.0.1:8123/v3/conversations?x=1#frag");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->Origin(), "http://127.0.0.1:8123");
  EXPECT_EQ(l->target, "/v3/conversations?x=1");
  auto v6 = ParseUrl("http://[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/");
  EXPECT_EQ(v6->Origin(), "http://[::1]:9000");
}

TEST(Url, RefusesWhatIsNotAnHttpUrl) {
  for (const char* bad :
       {"", "slack.com/api", "ftp://x", "https://", "https://:80/", "https://user:pw@host/",
        "https://host:99999/", "https://host:abc/", "https://ho st/", "http://[::1/"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
  }
}

TEST(Url, PercentEncodesReservedCharacters) {
  EXPECT_EQ(PercentEncode("a:b@c;d e/é"), "a%3Ab%40c%3Bd%20e%2F%C3%A9");
  EXPECT_EQ(FormEncode({{"b", "2 3"}, {"a", "x&y=z"}}), "a=x%26y%3Dz&b=2%203");
}

}  // namespace
}  // namespace lessonbook
