#include "bot/local_time.h"

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <random>

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

// The date is written by hand; it must be date::format's "%F" of the zoned time for any moment
// and zone: around DST changes, at midnights, in zones far from UTC, before 1970 and past
// year 9999 (left to date::format), and in UTC for a zone that does not exist.
TEST(LocalTime, TheLocalDateIsDateFormatsForRandomMomentsAndZones) {
  const std::vector<std::string> zones = {"UTC",           "Europe/Berlin",      "America/New_York",
                                          "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago",
                                          "Australia/Lord_Howe", "No/Such_Zone"};
  std::mt19937_64 rng(8);
  for (int round = 0; round < 20000; ++round) {
    long long s = 0;
    switch (round % 4) {
      case 0:  // 1900-2100
        s = static_cast<long long>(rng() % 6311433600ULL) - 2208988800LL;
        break;
      case 1:  // around a midnight
        s = 1700000000LL + static_cast<long long>(rng() % 4000) * 86400 +
            static_cast<long long>(rng() % 7200) - 3600;
        break;
      case 2:  // years 0 to 12000
        s = static_cast<long long>(rng() % 378000000000ULL) - 62167219200LL;
        break;
      default:  // around the 2026 DST changes in Europe and the US
        s = 1772323200LL + static_cast<long long>(rng() % (250LL * 86400));
    }
    const Time t = FromUnix(s);
    const std::string& zone = zones[rng() % zones.size()];
    const date::time_zone* z = nullptr;
    try {
      z = date::locate_zone(zone);
    } catch (const std::exception&) {
      z = nullptr;
    }
    const std::string expected =
        z == nullptr ? date::format("%F", t) : date::format("%F", date::make_zoned(z, t));
    ASSERT_EQ(FormatLocalDate(t, zone), expected) << s << " " << zone;
  }
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
