#include "bot/weekly_time.h"

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>

#include "bot/tz_lookup.h"

#include <cstdio>

#include "bot/text.h"

namespace lessonbook {
namespace {

date::local_days LocalDay(Time t, const date::time_zone* zone) {
  auto local = zone->to_local(t);
  return date::floor<date::days>(local);
}

}  // namespace

int ParseWeekday(std::string_view word) {
  static const char* kNames[] = {"monday", "tuesday", "wednesday", "thursday",
                                 "friday", "saturday", "sunday"};
  std::string w = AsciiLower(word);
  for (int i = 0; i < 7; ++i) {
    std::string_view name = kNames[i];
    if (w == name || (w.size() >= 3 && name.substr(0, w.size()) == w)) return i + 1;
  }
  return 0;
}

const char* WeekdayName(int d) {
  static const char* kNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};
  return d >= 1 && d <= 7 ? kNames[d - 1] : "?";
}

Result<int> ParseClock(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("\"" + Ellipsize(text, 20) +
                                   "\" is not a time of day; use HH:MM from 00:00 to 23:59, e.g. "
                                   "09:00");
  };
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) {
    return bad();
  }
  int h = 0, m = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (text[i] < '0' || text[i] > '9') return bad();
    h = h * 10 + (text[i] - '0');
  }
  for (size_t i = colon + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return bad();
    m = m * 10 + (text[i] - '0');
  }
  if (h > 23 || m > 59) return bad();
  return h * 60 + m;
}

std::string FormatClock(int minute_of_day) {
  int m = minute_of_day < 0 ? 0 : minute_of_day % 1440;
  std::string out = std::to_string(m / 60) + ":" + std::to_string(m % 60);
  if (m / 60 < 10) out.insert(0, "0");
  if (m % 60 < 10) out.insert(out.size() - 1, "0");
  return out;
}

std::string IsoWeek(Time t, std::string_view timezone) {
  const date::time_zone* zone = FindZone(timezone);
  date::sys_days day = zone ? date::sys_days(LocalDay(t, zone).time_since_epoch())
                            : date::floor<date::days>(t);
  iso_week::year_weeknum_weekday w{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d-W%02u", static_cast<int>(w.year()),
                static_cast<unsigned>(w.weeknum()));
  return buf;
}

Result<Time> WeeklyTimeInWeekOf(Time now, int weekday, int minute_of_day,
                                std::string_view timezone) {
  const date::time_zone* zone = FindZone(timezone);
  if (zone == nullptr) return Status::InvalidArgument("unknown timezone " + std::string(timezone));
  if (weekday < 1 || weekday > 7 || minute_of_day < 0 || minute_of_day > 1439) {
    return Status::InvalidArgument("weekday or time out of range");
  }
  date::local_days today = LocalDay(now, zone);
  iso_week::year_weeknum_weekday w{today};
  date::local_days day{iso_week::year_weeknum_weekday{
      w.year(), w.weeknum(), iso_week::weekday{static_cast<unsigned>(weekday)}}};
  date::local_seconds local = day + std::chrono::minutes(minute_of_day);
  auto info = zone->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // Skipped by a DST change (02:30 on the spring-forward night): as far forward as the gap.
    auto gap = info.second.offset - info.first.offset;
    return std::chrono::time_point_cast<std::chrono::seconds>(
        zone->to_sys(local + gap, date::choose::earliest));
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(
      zone->to_sys(local, date::choose::earliest));
}

}  // namespace lessonbook
