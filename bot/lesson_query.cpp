#include "bot/lesson_query.h"

#include <chrono>
#include <cstdio>

#include "bot/local_time.h"
#include "bot/people.h"
#include "bot/text.h"

namespace lessonbook {
namespace {

// "2026-03-01" -> "2026-03-02" (calendar arithmetic, no timezone involved).
Result<std::string> NextDay(std::string_view date) {
  int y = 0;
  unsigned m = 0, d = 0;
  char extra = 0;
  std::string s(date);
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &extra) != 3) {
    return Status::InvalidArgument("a date is YYYY-MM-DD, e.g. 2026-03-31");
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                  std::chrono::day{d}};
  if (!ymd.ok()) return Status::InvalidArgument("there is no day " + s);
  std::chrono::year_month_day next{std::chrono::sys_days(ymd) + std::chrono::days{1}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(next.year()),
                static_cast<unsigned>(next.month()), static_cast<unsigned>(next.day()));
  return std::string(out);
}

}  // namespace

Result<LessonQuery> BuildLessonQuery(const SearchCommand& c, const Workspace& ws,
                                     Platform platform) {
  LessonQuery q;
  q.workspace_id = ws.id;
  q.words = c.words;
  q.tags = c.tags;
  q.outcome = c.outcome;
  q.campaign = c.campaign;
  if (!c.by.empty()) q.author = UserIdFromMention(c.by, platform);
  if (!c.since.empty()) {
    auto since = LocalMidnight(c.since, ws.timezone);
    if (!since.ok()) return since.status();
    q.since = *since;
  }
  q.sort = c.sort;
  return q;
}

Result<SearchCommand> ParseSearchFilters(std::string_view text) {
  auto parsed = ParseCommand("search " + std::string(text));
  if (!parsed.ok()) return parsed.status();
  if (!std::holds_alternative<SearchCommand>(parsed->command)) {
    return Status::InvalidArgument("not a search");
  }
  return std::get<SearchCommand>(parsed->command);
}

Result<LessonQuery> BuildBookQuery(const BookFilter& f, const Workspace& ws) {
  auto search = ParseSearchFilters(f.text);
  if (!search.ok()) return search.status();
  auto q = BuildLessonQuery(*search, ws, ws.platform);
  if (!q.ok()) return q.status();
  if (!f.section.empty()) {
    auto tag = NormalizeTag(f.section);
    if (!tag.ok()) return tag.status();
    q->tags.push_back(*tag);
  }
  if (!f.outcome.empty()) {
    auto o = ParseOutcome(AsciiLower(f.outcome));
    if (!o) return Status::InvalidArgument("outcome must be one of worked, flopped, change, insight");
    q->outcome = *o;
  }
  if (!f.campaign.empty()) q->campaign = Trim(f.campaign);
  if (!f.from.empty()) {
    if (Status s = NextDay(f.from).status(); !s.ok()) return Status::InvalidArgument("from: " + s.message());
    auto since = LocalMidnight(f.from, ws.timezone);
    if (!since.ok()) return since.status();
    q->since = *since;
  }
  if (!f.to.empty()) {
    auto next = NextDay(f.to);
    if (!next.ok()) return Status::InvalidArgument("to: " + next.status().message());
    auto until = LocalMidnight(*next, ws.timezone);
    if (!until.ok()) return until.status();
    q->until = *until;
  }
  return q;
}

}  // namespace lessonbook
