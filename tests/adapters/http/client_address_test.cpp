#include "adapters/http/client_address.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

IpRanges Proxies(const char* text) {
  auto r = IpRanges::Parse(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : IpRanges();
}

TEST(ClientAddress, WithoutTrustedProxiesForwardedForIsIgnored) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "1.2.3.4", IpRanges()), "203.0.113.9");
}

TEST(ClientAddress, AnUntrustedPeerCannotChooseItsAddress) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "1.2.3.4", Proxies("10.0.0.0/8")), "203.0.113.9");
}

TEST(ClientAddress, BehindATrustedProxyTheHopItAddedIsTheClient) {
  const IpRanges proxies = Proxies("10.0.0.0/8");
  EXPECT_EQ(ClientAddress("10.0.0.2", "198.51.100.7", proxies), "198.51.100.7");
  // A client's own X-Forwarded-For is on the left; the proxy appended the real address.
  EXPECT_EQ(ClientAddress("10.0.0.2", "6.6.6.6, 198.51.100.7", proxies), "198.51.100.7");
  // Two trusted proxies in a row.
  EXPECT_EQ(ClientAddress("10.0.0.2", "198.51.100.7, 10.0.0.9", proxies), "198.51.100.7");
  EXPECT_EQ(ClientAddress("10.0.0.2", "2001:db8::5", proxies), "2001:db8::5");
}

TEST(ClientAddress, MissingOrGarbageHopsStopAtTheLastTrustedAddress) {
  const IpRanges proxies = Proxies("10.0.0.0/8");
  EXPECT_EQ(ClientAddress("10.0.0.2", "", proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "unknown", proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "garbage, 10.0.0.9", proxies), "10.0.0.9");
  EXPECT_EQ(ClientAddress("10.0.0.2", "10.0.0.7, 10.0.0.9", proxies), "10.0.0.7")
      << "every hop trusted: the left-most";
  EXPECT_EQ(ClientAddress("10.0.0.2", " , ,", proxies), "10.0.0.2");
}

TEST(RateLimitKey, IPv4AsIsIPv6ByItsSlash64) {
  EXPECT_EQ(RateLimitKey("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2:aaaa::1"), "2001:0db8:0001:0002::/64");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2:ffff::9"), RateLimitKey("2001:db8:1:2::1"));
  EXPECT_NE(RateLimitKey("2001:db8:1:3::1"), RateLimitKey("2001:db8:1:2::1"));
  EXPECT_EQ(RateLimitKey("::ffff:10.0.0.1"), "::ffff:10.0.0.1") << "IPv4-mapped stays per address";
}

}  // namespace
}  // namespace lessonbook
