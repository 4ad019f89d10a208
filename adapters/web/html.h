// HTML escaping for server-rendered pages: every string from a lesson, a campaign, a person or
// a request goes through Escape before it reaches markup. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace lessonbook::html {

// Text safe in element content and in double- or single-quoted attribute values: & < > " '
// become entities; invalid UTF-8 bytes become U+FFFD; control characters other than tab and
// newline are dropped.
std::string Escape(std::string_view text);

// Escape, with each line break turned into <br>.
std::string EscapeMultiline(std::string_view text);

}  // namespace lessonbook::html
