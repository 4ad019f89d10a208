#include "adapters/http/token_bucket.h"

#include <gtest/gtest.h>

#include <string>

namespace lessonbook {
namespace {

using namespace std::chrono_literals;

TEST(TokenBuckets, ABurstIsAllowedThenRefusedWithTheSecondsUntilTheNextToken) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({60, 3}, clock);  // one a second, three at once
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(buckets.Take("203.0.113.9").allowed) << i;
  const auto refused = buckets.Take("203.0.113.9");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
  clock.Advance(1s);
  EXPECT_TRUE(buckets.Take("203.0.113.9").allowed);
  EXPECT_FALSE(buckets.Take("203.0.113.9").allowed);
}

TEST(TokenBuckets, KeysHaveTheirOwnBuckets) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({6, 1}, clock);
  EXPECT_TRUE(buckets.Take("a").allowed);
  EXPECT_FALSE(buckets.Take("a").allowed);
  EXPECT_TRUE(buckets.Take("b").allowed);
}

TEST(TokenBuckets, RetryAfterFollowsASlowRate) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({6, 1}, clock);  // one every 10 s
  EXPECT_TRUE(buckets.Take("k").allowed);
  EXPECT_EQ(buckets.Take("k").retry_after, 10s);
  clock.Advance(4s);
  EXPECT_EQ(buckets.Take("k").retry_after, 6s);
  clock.Advance(6s);
  EXPECT_TRUE(buckets.Take("k").allowed);
}

TEST(TokenBuckets, AQuietKeyRefillsOnlyUpToTheBurst) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({60, 2}, clock);
  EXPECT_TRUE(buckets.Take("k").allowed);
  clock.Advance(3600s);
  EXPECT_TRUE(buckets.Take("k").allowed);
  EXPECT_TRUE(buckets.Take("k").allowed);
  EXPECT_FALSE(buckets.Take("k").allowed);
}

TEST(TokenBuckets, AClockGoingBackNeitherRefillsNorBreaks) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({60, 1}, clock);
  EXPECT_TRUE(buckets.Take("k").allowed);
  clock.Advance(-3600s);
  EXPECT_FALSE(buckets.Take("k").allowed);
  clock.Advance(3601s);
  EXPECT_TRUE(buckets.Take("k").allowed);
}

TEST(TokenBuckets, ZeroRateMeansNoLimit) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({0, 1}, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(buckets.Take("k").allowed);
  EXPECT_EQ(buckets.size(), 0u);
}

TEST(TokenBuckets, ManyKeysStayBoundedAndARefusedKeyIsNotForgottenFirst) {
  FakeClock clock(FromUnix(1'800'000'000));
  TokenBuckets buckets({1, 1}, clock, 100);
  EXPECT_TRUE(buckets.Take("attacker").allowed);
  EXPECT_FALSE(buckets.Take("attacker").allowed);
  clock.Advance(1s);
  for (int i = 0; i < 1000; ++i) buckets.Take("spoofed-" + std::to_string(i));
  EXPECT_LE(buckets.size(), 100u);
  // Full (idle) buckets go first; 1000 fresh keys are all recent, so the oldest go next.
  clock.Advance(1s);
  EXPECT_LE(buckets.size(), 100u);
}

}  // namespace
}  // namespace lessonbook
