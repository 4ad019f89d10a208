// Weekly local times ("monday 09:00 Europe/Berlin"): parsing what people type, and finding the
// instant a weekly time falls on in a given week, correct across daylight-saving changes.
#pragma once

#include <string>
#include <string_view>

#include "bot/clock.h"
#include "bot/status.h"

namespace lessonbook {

// "monday" / "mon" (any case) -> 1 … "sunday" / "sun" -> 7; 0 when not a weekday.
int ParseWeekday(std::string_view word);
const char* WeekdayName(int iso_weekday);  // 1 -> "Monday"
// "09:00" / "9:00" -> 540. InvalidArgument naming the right form ("25:00" is not a time).
Result<int> ParseClock(std::string_view text);
std::string FormatClock(int minute_of_day);  // 540 -> "09:00"

// The ISO week ("2026-W48") that the local date of t belongs to in the timezone.
std::string IsoWeek(Time t, std::string_view timezone);

// The instant of `weekday` at `minute_of_day` local time in the ISO week that contains the
// local date of `now`. A local time skipped by a DST change is moved forward by the gap; one
// that occurs twice is the first. REQUIRES: a known timezone.
Result<Time> WeeklyTimeInWeekOf(Time now, int weekday, int minute_of_day,
                                std::string_view timezone);

}  // namespace lessonbook
