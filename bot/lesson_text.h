// How the words of `add` become a lesson's title and body.
#pragma once

#include <string>
#include <string_view>

namespace lessonbook {

struct TitleAndBody {
  std::string title;
  std::string body;
};

// The first line (or its first sentence, when the line is long) is the title; the rest is the
// body. Nothing is lost: a title cut short keeps the whole text in the body.
TitleAndBody SplitTitleBody(std::string_view text);

// The whole text again, for editing: title, then the body on the next line.
std::string JoinTitleBody(const std::string& title, const std::string& body);

}  // namespace lessonbook
