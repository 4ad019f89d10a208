#include "bot/weekly_time.h"

#include <gtest/gtest.h>

#include "bot/local_time.h"

namespace lessonbook {
namespace {

Time At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(WeeklyTime, ParsesWeekdaysAndClocks) {
  EXPECT_EQ(ParseWeekday("Monday"), 1);
  EXPECT_EQ(ParseWeekday("fri"), 5);
  EXPECT_EQ(ParseWeekday("sun"), 7);
  EXPECT_EQ(ParseWeekday("funday"), 0);
  EXPECT_EQ(ParseWeekday("mo"), 0);
  EXPECT_EQ(*ParseClock("09:00"), 540);
  EXPECT_EQ(*ParseClock("9:05"), 545);
  EXPECT_EQ(*ParseClock("23:59"), 1439);
  for (const char* bad : {"25:00", "12:60", "9", "09:0", "ab:cd", ":30", "123:00"}) {
    auto r = ParseClock(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("HH:MM"), std::string::npos);
  }
  EXPECT_EQ(FormatClock(545), "09:05");
}

TEST(WeeklyTime, MondayNineInBerlinAcrossTheSpringChange) {
  // Europe/Berlin moves to summer time on Sunday 2026-03-29.
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-03-25T12:00:00Z"), 1, 540, "Europe/Berlin")),
            "2026-03-23T08:00:00Z");  // CET, UTC+1
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-03-31T12:00:00Z"), 1, 540, "Europe/Berlin")),
            "2026-03-30T07:00:00Z");  // CEST, UTC+2
  // The autumn change (2026-10-25) back to UTC+1.
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-10-27T12:00:00Z"), 1, 540, "Europe/Berlin")),
            "2026-10-26T08:00:00Z");
}

TEST(WeeklyTime, NewYorkAcrossTheSpringChange) {
  // America/New_York moves to daylight time on Sunday 2026-03-08.
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-03-04T12:00:00Z"), 1, 540, "America/New_York")),
            "2026-03-02T14:00:00Z");  // EST, UTC-5
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-03-11T12:00:00Z"), 1, 540, "America/New_York")),
            "2026-03-09T13:00:00Z");  // EDT, UTC-4
}

TEST(WeeklyTime, SkippedAndRepeatedLocalTimes) {
  // 02:30 on Sunday 2026-03-29 does not exist in Berlin: it becomes 03:30 CEST.
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-03-27T12:00:00Z"), 7, 150, "Europe/Berlin")),
            "2026-03-29T01:30:00Z");
  // 02:30 on Sunday 2026-10-25 happens twice: the first one (CEST).
  EXPECT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(At("2026-10-23T12:00:00Z"), 7, 150, "Europe/Berlin")),
            "2026-10-25T00:30:00Z");
}

TEST(WeeklyTime, IsoWeekUsesTheLocalDate) {
  EXPECT_EQ(IsoWeek(At("2026-11-23T10:00:00Z"), "UTC"), "2026-W48");
  // Sunday 23:30 UTC is already Monday in Berlin.
  EXPECT_EQ(IsoWeek(At("2026-11-22T23:30:00Z"), "UTC"), "2026-W47");
  EXPECT_EQ(IsoWeek(At("2026-11-22T23:30:00Z"), "Europe/Berlin"), "2026-W48");
  EXPECT_EQ(IsoWeek(At("2027-01-01T12:00:00Z"), "UTC"), "2026-W53");
}

TEST(WeeklyTime, UnknownTimezoneIsAnError) {
  EXPECT_FALSE(WeeklyTimeInWeekOf(At("2026-11-23T10:00:00Z"), 1, 540, "Mars/Olympus").ok());
}

}  // namespace
}  // namespace lessonbook
