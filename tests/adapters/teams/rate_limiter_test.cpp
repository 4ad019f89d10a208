#include "adapters/teams/rate_limiter.h"

#include <gtest/gtest.h>

namespace lessonbook::teams {
namespace {

using namespace std::chrono_literals;

TEST(ConversationRateLimiter, SevenASecondAndSixtyPerThirtySecondsPerConversation) {
  ConversationRateLimiter limiter;
  Time t = FromUnix(1000);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(limiter.Acquire("c", t).count(), 0) << i;
  EXPECT_EQ(limiter.Acquire("c", t).count(), 1);
  EXPECT_EQ(limiter.Acquire("other", t).count(), 0) << "limits are per conversation";
  int sent = 7;
  for (int s = 1; s < 30 && sent < 60; ++s) {
    for (int i = 0; i < 7 && sent < 60; ++i, ++sent) {
      ASSERT_EQ(limiter.Acquire("c", t + std::chrono::seconds(s)).count(), 0);
    }
  }
  const auto wait = limiter.Acquire("c", t + 9s);
  EXPECT_GT(wait.count(), 1) << "the 30-second window is full";
  EXPECT_EQ(limiter.Acquire("c", t + 30s + 9s).count(), 0);
}

}  // namespace
}  // namespace lessonbook::teams
