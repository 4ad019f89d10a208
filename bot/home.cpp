#include "bot/home.h"

#include "bot/log.h"
#include "bot/replies.h"
#include "storage/store.h"

namespace lessonbook {

Message HomeMessage(Store& store, const Workspace& ws, std::string_view user_id, Time now) {
  (void)now;
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
  (void)user_id;
  return m;
}

}  // namespace lessonbook
