#include "bot/digest.h"

#include <algorithm>
#include <map>
#include <set>

#include "bot/log.h"
#include "bot/message_codec.h"
#include "bot/replies.h"
#include "bot/sections.h"
#include "bot/text.h"
#include "bot/weekly_time.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr int kMaxLessonsRead = 5000;

std::string LessonLine(const Lesson& l) {
  return "#" + std::to_string(l.id) + " " + Ellipsize(l.title, 140) + " — " + OutcomeName(l.outcome);
}

// Living lessons: "#42 Title — confirmed by 2 campaigns this week (#57, #61)", one line per
// lesson and kind, most evidence first.
Result<std::vector<std::string>> EvidenceLines(Store& store, WorkspaceId ws, Time from, Time to,
                                               int max_lines) {
  auto records = store.ListEvidenceRecorded(ws, from, to, kMaxLessonsRead);
  if (!records.ok()) return records.status();
  struct Group {
    std::set<std::string> campaigns;
    std::vector<LessonId> evidence;
  };
  std::map<std::pair<LessonId, EvidenceKind>, Group> groups;
  for (const auto& r : *records) {
    Group& g = groups[{r.lesson_id, r.kind}];
    g.campaigns.insert(Trim(r.campaign).empty() ? "#" + std::to_string(r.evidence_lesson_id)
                                                : AsciiLower(Trim(r.campaign)));
    g.evidence.push_back(r.evidence_lesson_id);
  }
  std::vector<std::pair<std::pair<LessonId, EvidenceKind>, Group>> sorted(groups.begin(), groups.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.campaigns.size() > b.second.campaigns.size();
  });
  std::vector<std::string> lines;
  for (const auto& [key, g] : sorted) {
    if (static_cast<int>(lines.size()) == max_lines) break;
    auto lesson = store.GetLesson(ws, key.first);
    if (!lesson.ok()) continue;  // deleted since: its evidence went with it
    const size_t n = g.campaigns.size();
    std::string line = "#" + std::to_string(lesson->id) + " " + Ellipsize(lesson->title, 120) +
                       " — " + (key.second == EvidenceKind::kConfirms ? "confirmed" : "contradicted") +
                       " by " + std::to_string(n) + (n == 1 ? " campaign" : " campaigns") +
                       " this week (";
    for (size_t i = 0; i < g.evidence.size() && i < 5; ++i) {
      line += (i > 0 ? ", #" : "#") + std::to_string(g.evidence[i]);
    }
    lines.push_back(line + ")");
  }
  return lines;
}

}  // namespace

Result<Digest> BuildDigest(Store& store, const Workspace& ws, Time from, Time to,
                           const DigestOptions& options, std::chrono::seconds late_by) {
  auto lessons = store.ListLessonsCreated(ws.id, from, to, kMaxLessonsRead);
  if (!lessons.ok()) return lessons.status();
  auto misses = store.TopSearchMisses(ws.id, from, to, options.max_misses);
  if (!misses.ok()) return misses.status();
  auto evidence = EvidenceLines(store, ws.id, from, to, options.max_per_section);
  if (!evidence.ok()) return evidence.status();

  // Campaigns whose post-mortems are open (participation so far) or closed this week.
  std::vector<std::string> open_lines, closed_lines;
  if (auto open = store.OpenPostmortems(); open.ok()) {
    for (const auto& pm : *open) {
      if (pm.workspace_id != ws.id) continue;
      auto c = store.GetCampaign(ws.id, pm.campaign_id);
      auto sessions = store.ListSessions(pm.id);
      if (!c.ok() || !sessions.ok()) continue;
      int done = 0;
      for (const auto& s : *sessions) done += s.state == PromptState::kDone ? 1 : 0;
      open_lines.push_back("“" + c->name + "”: " + std::to_string(done) + " of " +
                           std::to_string(sessions->size()) + " answered so far");
    }
  }
  if (auto campaigns = store.ListCampaigns(ws.id, 200); campaigns.ok()) {
    for (const auto& c : *campaigns) {
      if (c.status != CampaignStatus::kClosed) continue;
      auto pm = store.PostmortemOfCampaign(ws.id, c.id);
      if (pm.ok() && !pm->open() && pm->closed_at >= from && pm->closed_at < to) {
        closed_lines.push_back("“" + c.name + "”");
      }
    }
  }

  Digest d;
  Message& m = d.message;
  m.visibility = Visibility::kChannel;
  std::string week = IsoWeek(to - std::chrono::seconds(1), ws.timezone);
  std::string late;
  if (late_by > std::chrono::hours(24)) {
    late = " (late by " + std::to_string(late_by.count() / 3600) +
           " hours: Lessonbook was not running when it was due)";
  }
  d.quiet = lessons->empty() && misses->empty() && open_lines.empty() && closed_lines.empty() &&
            evidence->empty();
  if (d.quiet) {
    m.text = "Lessonbook weekly digest, " + week + late +
             ": a quiet week — no new lessons. What did you learn? Write it down with "
             "add <lesson> #tag outcome:worked";
    return d;
  }
  size_t n = lessons->size();
  m.text = "Lessonbook weekly digest, " + week + late + ": " + std::to_string(n) +
           (n == 1 ? " new lesson" : " new lessons") + ".";

  // Chapters in book order; a lesson goes to the first section it is tagged with.
  const std::vector<BookSection> sections = WorkspaceSections(store, ws.id);
  std::vector<std::vector<const Lesson*>> chapters(sections.size() + 1);
  for (const auto& l : *lessons) {
    size_t c = sections.size();
    for (size_t i = 0; i < sections.size() && c == sections.size(); ++i) {
      if (std::find(l.tags.begin(), l.tags.end(), sections[i].tag) != l.tags.end()) c = i;
    }
    chapters[c].push_back(&l);
  }
  for (size_t i = 0; i <= sections.size(); ++i) {
    if (chapters[i].empty()) continue;
    Section s;
    std::string title = i < sections.size() ? sections[i].title : "Other lessons";
    s.text.push_back(Strong(title + " (" + std::to_string(chapters[i].size()) + ")"));
    int shown = 0;
    for (const Lesson* l : chapters[i]) {
      if (shown++ == options.max_per_section) break;
      s.text.push_back(Plain("\n• " + LessonLine(*l)));
    }
    int more = static_cast<int>(chapters[i].size()) - options.max_per_section;
    if (more > 0) s.text.push_back(Plain("\n…and " + std::to_string(more) + " more"));
    m.sections.push_back(std::move(s));
  }

  // The flop of the week: the flop with the most written about it taught the most.
  const Lesson* flop = nullptr;
  for (const auto& l : *lessons) {
    if (l.outcome != Outcome::kFlopped) continue;
    if (!flop || l.title.size() + l.body.size() > flop->title.size() + flop->body.size()) flop = &l;
  }
  if (flop) {
    Section s;
    s.text.push_back(Strong("🎉 Flop of the week"));
    s.text.push_back(Plain("\n#" + std::to_string(flop->id) + " " + Ellipsize(flop->title, 200)));
    if (!flop->body.empty()) s.text.push_back(Plain("\n" + Ellipsize(flop->body, 400)));
    s.context = "Flops are how a team learns" +
                (flop->author.empty() ? std::string(".") : ": thank you, " + AuthorLabel(flop->author) + ".");
    m.sections.push_back(std::move(s));
  }

  if (!evidence->empty()) {
    Section s;
    s.text.push_back(Strong("Lessons that gathered evidence"));
    for (const auto& line : *evidence) s.text.push_back(Plain("\n• " + line));
    s.context = "Sort the Book by it: search <words> sort:evidence";
    m.sections.push_back(std::move(s));
  }

  if (!open_lines.empty() || !closed_lines.empty()) {
    Section s;
    s.text.push_back(Strong("Campaign post-mortems"));
    for (const auto& line : open_lines) s.text.push_back(Plain("\n• Open: " + line));
    for (const auto& line : closed_lines) s.text.push_back(Plain("\n• Closed this week: " + line));
    m.sections.push_back(std::move(s));
  }

  if (!misses->empty()) {
    Section s;
    s.text.push_back(Strong("Searched for, not found"));
    for (const auto& miss : *misses) {
      s.text.push_back(Plain("\n• “" + Ellipsize(miss.terms, 80) + "”" +
                             (miss.count > 1 ? " (" + std::to_string(miss.count) + "×)" : "")));
    }
    s.context = "Know the answer? Write it down: add <lesson> #tag";
    m.sections.push_back(std::move(s));
  }

  if (!options.public_url.empty()) {
    Section s;
    std::string url = options.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    s.context = "The whole Book of Learning: " + url + "/book";
    m.sections.push_back(std::move(s));
  }
  return d;
}

int CreateDueDigests(Store& store, Time now, const DigestOptions& options) {
  auto subs = store.ListDigestSubscriptions(std::nullopt);
  if (!subs.ok()) {
    LogWarn("digest.list_failed", {{"error", subs.status().ToString()}});
    return 0;
  }
  std::map<WorkspaceId, std::optional<Workspace>> workspaces;
  int created = 0;
  for (const auto& sub : *subs) {
    auto due = WeeklyTimeInWeekOf(now, sub.weekday, sub.minute_of_day, sub.timezone);
    if (!due.ok()) {
      LogWarn("digest.bad_subscription", {{"id", std::to_string(sub.id)}, {"error", due.status().message()}});
      continue;
    }
    // Not yet due this week, or subscribed after this week's time: next week's is the first.
    if (now < *due || sub.created_at > *due) continue;
    auto& ws = workspaces[sub.workspace_id];
    if (!ws) {
      auto w = store.GetWorkspace(sub.workspace_id);
      if (!w.ok()) continue;
      ws = *w;
    }
    DigestRun run;
    run.subscription_id = sub.id;
    run.iso_week = IsoWeek(*due, sub.timezone);
    run.due_at = *due;
    run.created_at = now;
    auto late_by = std::chrono::duration_cast<std::chrono::seconds>(now - *due);
    run.late = late_by > std::chrono::hours(24);
    auto digest = BuildDigest(store, *ws, *due - std::chrono::hours(24 * 7), *due, options, late_by);
    if (!digest.ok()) {
      LogWarn("digest.build_failed", {{"id", std::to_string(sub.id)}, {"error", digest.status().ToString()}});
      continue;
    }
    OutboxMessage out;
    out.workspace_id = sub.workspace_id;
    out.platform = sub.platform;
    out.target = sub.target;
    out.dedupe_key = "digest:" + std::to_string(sub.id) + ":" + run.iso_week;
    out.next_attempt_at = now;
    out.created_at = now;
    auto quiet = store.GetSetting(sub.workspace_id, kQuietDigestSetting);
    bool skip = digest->quiet && quiet.ok() && quiet->value_or("line") == "skip";
    if (!skip) out.message = EncodeMessage(digest->message);  // empty: the run, no message
    auto made = store.CreateDigestRun(run, out);
    if (!made.ok()) {
      LogWarn("digest.create_failed", {{"id", std::to_string(sub.id)}, {"error", made.status().ToString()}});
      continue;
    }
    if (*made) {
      ++created;
      LogInfo("digest.created", {{"subscription", std::to_string(sub.id)},
                                 {"week", run.iso_week},
                                 {"late", run.late ? "true" : "false"},
                                 {"sent", skip ? "no (quiet week)" : "yes"}});
    }
  }
  return created;
}

}  // namespace lessonbook
