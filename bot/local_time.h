// Local dates in a workspace's IANA timezone (Howard Hinnant's date/tz over the system tz
// database): what people type (since:2026-01-31) and read (lesson dates) is local.
#pragma once

#include <string>
#include <string_view>

#include "bot/clock.h"
#include "bot/status.h"

namespace lessonbook {

// True when the name is in the tz database ("Europe/Berlin", "UTC").
bool IsKnownTimezone(std::string_view name);
// "YYYY-MM-DD" of t in the timezone (UTC when the name is unknown).
std::string FormatLocalDate(Time t, std::string_view timezone);
// RFC 3339 in UTC: "2026-11-23T13:04:05Z".
std::string FormatRfc3339(Time t);
// Parses RFC 3339 ("2026-11-23T13:04:05Z", "+01:00" offsets, fractions dropped) or a bare date.
Result<Time> ParseRfc3339(std::string_view text);
// The instant local midnight starts on `date` (YYYY-MM-DD) in the timezone; across a DST gap,
// the first instant of that day.
Result<Time> LocalMidnight(std::string_view date, std::string_view timezone);

// "2026-12-15" (at default_hour:00 local) or "2026-12-15T16:00" / "2026-12-15 16:00", local
// time in the timezone. InvalidArgument naming the right form.
Result<Time> ParseLocalDateTime(std::string_view text, std::string_view timezone,
                                int default_hour);

// The hour (0–23) a clock in the timezone shows at t (UTC's when the name is unknown).
int LocalHour(Time t, std::string_view timezone);
// The first instant after t at which the timezone's clock shows hour:00.
Time NextLocalHour(Time t, int hour, std::string_view timezone);

}  // namespace lessonbook
