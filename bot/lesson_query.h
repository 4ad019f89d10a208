// The one translation from what a person asked for to the store's LessonQuery, shared by the chat
// search, the Book of Learning page and exports: `by:` mentions become user ids, `since:` is
// local midnight in the workspace's timezone. Pure functions, no I/O.
#pragma once

#include <string>

#include "bot/command_parser.h"
#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

// The query for a parsed search in workspace ws (limit and offset left at their defaults).
// InvalidArgument when a date does not exist in the workspace's timezone.
Result<LessonQuery> BuildLessonQuery(const SearchCommand& search, const Workspace& ws,
                                     Platform platform);

// The Book page's search box and filters, as the browser sends them (all optional).
struct BookFilter {
  std::string text;      // words and chat filters, parsed like a chat search ("tag:email webinar")
  std::string section;   // a section tag
  std::string outcome;   // worked | flopped | change | insight
  std::string campaign;  // a campaign name
  std::string from;      // YYYY-MM-DD, local: created on or after that day
  std::string to;        // YYYY-MM-DD, local: created on or before that day
  bool empty() const {
    return text.empty() && section.empty() && outcome.empty() && campaign.empty() &&
           from.empty() && to.empty();
  }
};

// The query for the Book page's filters; InvalidArgument saying what to fix for a bad value.
Result<LessonQuery> BuildBookQuery(const BookFilter& filter, const Workspace& ws);

// Parses export/search filter text ("webinar tag:email outcome:worked") as the chat does.
Result<SearchCommand> ParseSearchFilters(std::string_view text);

}  // namespace lessonbook
