// The engine's messages: lessons, search results, confirmations, errors and help, built as
// neutral Messages for every adapter to render.
#pragma once

#include <string>
#include <string_view>

#include "bot/command_parser.h"
#include "bot/domain.h"
#include "bot/message.h"

namespace lessonbook {

Message ErrorReply(std::string text);
Message HelpReply(std::string_view topic);
// One lesson as a section: "#42 Title", the snippet or body, and a context line
// "flopped · #email #subject-lines · Q1 webinar · @ana · 2026-11-23".
Section LessonSection(const Lesson& lesson, std::string_view timezone,
                      const std::vector<SnippetPart>* snippet);
// "Saved lesson #42" / "Updated lesson #42" with the lesson.
Message LessonReply(std::string_view verb, const Lesson& lesson, std::string_view timezone);
// The page of hits; `more_value` is what the "More" button carries (empty: no button).
Message SearchReply(std::string_view query_text, const SearchPage& page, int offset,
                    std::string_view timezone, const std::string& more_value);
// The author as people read it: "web:ana" -> "@ana", "U123" -> "@U123".
std::string AuthorLabel(std::string_view author);

}  // namespace lessonbook
