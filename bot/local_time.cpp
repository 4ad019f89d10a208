#include "bot/local_time.h"

#include <date/date.h>
#include <date/tz.h>

#include "bot/tz_lookup.h"

#include <sstream>

namespace lessonbook {
bool IsKnownTimezone(std::string_view name) { return !name.empty() && FindZone(name) != nullptr; }

// The day written by hand: date::format goes through an ostringstream (1.2 us a call, five
// times in every search answer; 0.2 us so), snprintf costs ~1,650 instructions, the digits put
// in place ~30. Years outside 0-9999 are left to date::format.
std::string FormatLocalDate(Time t, std::string_view timezone) {
  const date::time_zone* zone = FindZone(timezone);
  const date::year_month_day day{zone == nullptr ? date::floor<date::days>(t)
                                                 : date::sys_days(date::floor<date::days>(
                                                                      zone->to_local(t))
                                                                      .time_since_epoch())};
  const int year = static_cast<int>(day.year());
  if (year < 0 || year > 9999) {
    return zone == nullptr ? date::format("%F", t) : date::format("%F", date::make_zoned(zone, t));
  }
  const auto month = static_cast<unsigned>(day.month());
  const auto mday = static_cast<unsigned>(day.day());
  std::string text = "0000-00-00";
  text[0] = static_cast<char>('0' + year / 1000);
  text[1] = static_cast<char>('0' + year / 100 % 10);
  text[2] = static_cast<char>('0' + year / 10 % 10);
  text[3] = static_cast<char>('0' + year % 10);
  text[5] = static_cast<char>('0' + month / 10);
  text[6] = static_cast<char>('0' + month % 10);
  text[8] = static_cast<char>('0' + mday / 10);
  text[9] = static_cast<char>('0' + mday % 10);
  return text;
}

std::string FormatRfc3339(Time t) { return date::format("%FT%TZ", t); }

Result<Time> ParseRfc3339(std::string_view text) {
  std::string s(text);
  auto bad = [&] {
    return Status::InvalidArgument("\"" + s.substr(0, 40) +
                                   "\" is not an RFC 3339 time such as 2026-11-23T13:04:05Z");
  };
  if (s.size() == 10) {
    date::sys_days day;
    std::istringstream in(s);
    in >> date::parse("%F", day);
    if (in.fail()) return bad();
    return Time(day);
  }
  if (s.size() < 20) return bad();
  // Drop a fraction of a second: "…:05.123Z" -> "…:05Z".
  size_t dot = s.find('.', 19);
  if (dot == 19) {
    size_t e = dot + 1;
    while (e < s.size() && s[e] >= '0' && s[e] <= '9') ++e;
    s.erase(dot, e - dot);
  }
  if (s[10] == 't' || s[10] == ' ') s[10] = 'T';
  std::istringstream in(s);
  date::sys_seconds t;
  if (s.back() == 'Z' || s.back() == 'z') {
    s.back() = 'Z';
    in.str(s);
    in >> date::parse("%FT%TZ", t);
  } else {
    in >> date::parse("%FT%T%Ez", t);
  }
  if (in.fail()) return bad();
  in.peek();
  if (!in.eof()) return bad();
  return Time(t);
}

Result<Time> LocalMidnight(std::string_view day_text, std::string_view timezone) {
  date::local_days day;
  std::istringstream in{std::string(day_text)};
  in >> date::parse("%F", day);
  if (in.fail()) {
    return Status::InvalidArgument("\"" + std::string(day_text) + "\" is not a date YYYY-MM-DD");
  }
  const date::time_zone* zone = FindZone(timezone);
  if (zone == nullptr) return Time(date::sys_days(day.time_since_epoch()));
  auto info = zone->get_info(day);
  if (info.result == date::local_info::nonexistent) {
    // Midnight skipped by a DST change: the day starts when the gap ends.
    return std::chrono::time_point_cast<std::chrono::seconds>(info.first.end);
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(
      zone->to_sys(date::local_seconds(day), date::choose::earliest));
}

int LocalHour(Time t, std::string_view timezone) {
  const date::time_zone* zone = FindZone(timezone);
  auto local = zone ? zone->to_local(t) : date::local_seconds(t.time_since_epoch());
  auto day = date::floor<date::days>(local);
  return static_cast<int>(date::floor<std::chrono::hours>(local - day).count());
}

Time NextLocalHour(Time t, int hour, std::string_view timezone) {
  const date::time_zone* zone = FindZone(timezone);
  if (zone == nullptr) zone = date::locate_zone("UTC");
  date::local_days day = date::floor<date::days>(zone->to_local(t));
  for (int i = 0; i < 3; ++i) {
    date::local_seconds candidate = day + date::days(i) + std::chrono::hours(hour);
    auto info = zone->get_info(candidate);
    Time at = info.result == date::local_info::nonexistent
                  ? std::chrono::time_point_cast<std::chrono::seconds>(info.first.end)
                  : std::chrono::time_point_cast<std::chrono::seconds>(
                        zone->to_sys(candidate, date::choose::earliest));
    if (at > t) return at;
  }
  return t + std::chrono::hours(24);
}

Result<Time> ParseLocalDateTime(std::string_view text, std::string_view timezone,
                                int default_hour) {
  auto bad = [&] {
    return Status::InvalidArgument("\"" + std::string(text.substr(0, 40)) +
                                   "\" is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. "
                                   "2026-12-15 or 2026-12-15T16:00");
  };
  if (text.size() != 10 && text.size() != 16) return bad();
  auto midnight = LocalMidnight(text.substr(0, 10), timezone);
  if (!midnight.ok()) return bad();
  int hour = default_hour, minute = 0;
  if (text.size() == 16) {
    if ((text[10] != 'T' && text[10] != ' ') || text[13] != ':') return bad();
    auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (!digit(11) || !digit(12) || !digit(14) || !digit(15)) return bad();
    hour = (text[11] - '0') * 10 + (text[12] - '0');
    minute = (text[14] - '0') * 10 + (text[15] - '0');
    if (hour > 23 || minute > 59) return bad();
  }
  // Through the local clock, so a DST change on that day is respected.
  const date::time_zone* zone = FindZone(timezone);
  if (zone == nullptr) return *midnight + std::chrono::hours(hour) + std::chrono::minutes(minute);
  date::local_days day = date::floor<date::days>(zone->to_local(*midnight));
  date::local_seconds local = day + std::chrono::hours(hour) + std::chrono::minutes(minute);
  auto info = zone->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return std::chrono::time_point_cast<std::chrono::seconds>(info.first.end);
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(zone->to_sys(local, date::choose::earliest));
}

}  // namespace lessonbook
