#include "bot/home.h"

#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/postmortem.h"
#include "bot/replies.h"
#include "storage/store.h"

namespace lessonbook {

Message HomeMessage(Store& store, const Workspace& ws, std::string_view user_id, Time now) {
  (void)now;  // part of the contract: later home views may show what is due
  Message m;
  m.text = "Lessonbook: the Book of Learning of " +
           (ws.name.empty() ? std::string("this workspace") : ws.name);
  Section how;
  how.text = {Strong("How to use it"),
              Plain("\n/lessons search subject lines tag:email — find what the team learned\n"
                    "/lessons add <what you learned> #tag outcome:worked — write a lesson down\n"
                    "/lessons add — opens a form\n"
                    "/lessons help — every command\n"
                    "You can also send these words to me in a direct message.")};
  m.sections.push_back(std::move(how));

  // The person's open post-mortems come first: they are what Lessonbook is waiting for.
  if (auto sessions = store.OpenSessionsOf(ws.id, user_id); sessions.ok()) {
    for (const auto& s : *sessions) {
      if (s.state == PromptState::kDone || s.state == PromptState::kSkipped) continue;
      auto pm = store.GetPostmortem(ws.id, s.postmortem_id);
      if (!pm.ok()) continue;
      auto c = store.GetCampaign(ws.id, pm->campaign_id);
      if (!c.ok()) continue;
      Section open;
      open.text = {Strong("Post-mortem waiting for you: " + c->name),
                   Plain("\nIt closes " + FormatLocalDate(pm->deadline_at, ws.timezone) +
                         ". Answer in our DM, one question at a time, or all at once:")};
      open.buttons.push_back(Button{"Answer in a form", kPostmortemFormAction, std::to_string(c->id),
                                    ButtonStyle::kPrimary});
      m.sections.push_back(std::move(open));
    }
  }

  LessonQuery q;
  q.workspace_id = ws.id;
  q.sort = SearchSort::kNewest;
  q.limit = kHomeRecentLessons;
  auto page = store.SearchLessons(q);
  Section recent;
  if (!page.ok()) {
    LogWarn("home.recent_failed",
            {{"ws", std::to_string(ws.id)}, {"error", page.status().ToString()}});
    recent.text = {
        Strong("Recent lessons"),
        Plain("\nThe lessons could not be read just now; open this tab again in a moment.")};
    m.sections.push_back(std::move(recent));
    return m;
  }
  if (page->hits.empty()) {
    recent.text = {Strong("Recent lessons"),
                   Plain("\nNo lessons yet. Write the first one with /lessons add.")};
    m.sections.push_back(std::move(recent));
    return m;
  }
  recent.text = {Strong("Recent lessons (" + std::to_string(page->total) + " in all)")};
  m.sections.push_back(std::move(recent));
  for (const SearchHit& hit : page->hits) {
    m.sections.push_back(LessonSection(hit.lesson, ws.timezone, nullptr));
  }
  return m;
}

}  // namespace lessonbook
