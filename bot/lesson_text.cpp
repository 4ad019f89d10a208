#include "bot/lesson_text.h"

#include "bot/text.h"

namespace lessonbook {
namespace {
constexpr size_t kMaxTitle = 120;
}

TitleAndBody SplitTitleBody(std::string_view text) {
  std::string_view t = TrimView(text);
  size_t nl = t.find('\n');
  std::string_view first = TrimView(t.substr(0, nl));
  std::string_view rest = nl == std::string_view::npos ? std::string_view() : t.substr(nl + 1);
  if (first.size() <= kMaxTitle) return {std::string(first), Trim(rest)};
  // A long first line: its first sentence, when short enough.
  for (size_t i = 0; i + 1 < first.size() && i < kMaxTitle; ++i) {
    char c = first[i];
    if ((c == '.' || c == '!' || c == '?') && first[i + 1] == ' ' && i >= 10) {
      return {std::string(first.substr(0, i + 1)), Trim(t.substr(i + 2))};
    }
  }
  return {Ellipsize(first, kMaxTitle - 20), std::string(t)};
}

std::string JoinTitleBody(const std::string& title, const std::string& body) {
  if (body.empty()) return title;
  // A title cut short is the start of a body that holds the whole text.
  const std::string kEllipsis = "…";
  if (title.size() > kEllipsis.size() &&
      title.compare(title.size() - kEllipsis.size(), kEllipsis.size(), kEllipsis) == 0 &&
      body.compare(0, title.size() - kEllipsis.size(), title, 0,
                   title.size() - kEllipsis.size()) == 0) {
    return body;
  }
  return title + "\n" + body;
}

}  // namespace lessonbook
