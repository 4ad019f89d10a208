#include "bot/ip_ranges.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

TEST(IpRanges, EmptyTextIsTheEmptySet) {
  auto r = IpRanges::Parse("  ");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_FALSE(r->Contains("127.0.0.1"));
}

TEST(IpRanges, AddressesAndCidrRangesOfBothFamilies) {
  auto r = IpRanges::Parse("10.0.0.0/8, 192.168.1.7 ,::1,fd00::/8,0.0.0.0/0");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto only = IpRanges::Parse("10.0.0.0/8,192.168.1.7,::1,fd00::/8");
  ASSERT_TRUE(only.ok());
  EXPECT_TRUE(only->Contains("10.255.3.4"));
  EXPECT_FALSE(only->Contains("11.0.0.1"));
  EXPECT_TRUE(only->Contains("192.168.1.7"));
  EXPECT_FALSE(only->Contains("192.168.1.8"));
  EXPECT_TRUE(only->Contains("::1"));
  EXPECT_TRUE(only->Contains("fd12:3456::1"));
  EXPECT_FALSE(only->Contains("fe80::1"));
  EXPECT_TRUE(only->Contains("::ffff:10.1.2.3")) << "an IPv4-mapped peer is the IPv4 address";
  EXPECT_TRUE(r->Contains("8.8.8.8"));
  EXPECT_FALSE(only->Contains("not-an-ip"));
  EXPECT_FALSE(only->Contains(""));
}

TEST(IpRanges, MalformedEntriesAreRefusedWithTheRightForm) {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"10.0.0.1/8", "use 10.0.0.0/8"},
      {"fd00::1/8", "use fd00::/8"},
      {"10.0.0.0/33", "prefix must be 0..32"},
      {"::/129", "prefix must be 0..128"},
      {"10.0.0.0/", "no valid prefix length"},
      {"10.0.0.0/x", "no valid prefix length"},
      {"10.0.0.0,,10.1.0.0", "empty entry"},
      {"10.0.0.0,", "empty entry"},
      {"proxy.example.com", "'proxy.example.com' is not an IP address"},
      {"010.0.0.1", "not an IP address"},
      {"10.0.0", "not an IP address"},
      {"[::1]", "not an IP address"},
      {"10.0.0.1:80", "not an IP address"},
  };
  for (const Case& c : cases) {
    auto r = IpRanges::Parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.says), std::string::npos)
        << c.text << ": " << r.status().message();
  }
}

}  // namespace
}  // namespace lessonbook
