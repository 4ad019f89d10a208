#include "bot/local_time.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

TEST(LocalTime, MidnightIsLocal) {
  // Berlin is UTC+1 in winter: local midnight is 23:00 UTC the day before.
  auto t = LocalMidnight("2026-01-15", "Europe/Berlin");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2026-01-14T23:00:00Z");
  auto ny = LocalMidnight("2026-07-01", "America/New_York");
  EXPECT_EQ(FormatRfc3339(*ny), "2026-07-01T04:00:00Z");
}

TEST(LocalTime, DateIsShownInTheWorkspaceZone) {
  auto t = ParseRfc3339("2026-03-01T23:30:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatLocalDate(*t, "UTC"), "2026-03-01");
  EXPECT_EQ(FormatLocalDate(*t, "Europe/Berlin"), "2026-03-02");
  EXPECT_EQ(FormatLocalDate(*t, "No/Such_Zone"), "2026-03-01");
}

TEST(LocalTime, ParsesRfc3339Forms) {
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-23T13:04:05Z")), "2026-11-23T13:04:05Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-23T13:04:05.250Z")), "2026-11-23T13:04:05Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-23T14:04:05+01:00")), "2026-11-23T13:04:05Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-23")), "2026-11-23T00:00:00Z");
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-23T25:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-23T13:04:05Zjunk").ok());
}

TEST(LocalTime, KnowsTimezones) {
  EXPECT_TRUE(IsKnownTimezone("Europe/Berlin"));
  EXPECT_FALSE(IsKnownTimezone("Mars/Olympus"));
}

}  // namespace
}  // namespace lessonbook
