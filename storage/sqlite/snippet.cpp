#include "storage/sqlite/snippet.h"

#include <string>

namespace lessonbook::sqlite {
namespace {

void Append(std::vector<SnippetPart>* parts, std::string_view text, bool highlighted) {
  if (text.empty()) return;
  if (!parts->empty() && parts->back().highlighted == highlighted) {
    parts->back().text.append(text);
  } else {
    parts->push_back(SnippetPart{std::string(text), highlighted});
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

std::vector<SnippetPart> SplitSnippet(std::string_view marked) {
  std::vector<SnippetPart> parts;
  bool highlighted = false;
  size_t start = 0;
  for (size_t i = 0; i <= marked.size(); ++i) {
    const bool end = i == marked.size();
    if (!end && marked[i] != kHighlightOpen && marked[i] != kHighlightClose) continue;
    Append(&parts, marked.substr(start, i - start), highlighted);
    if (!end) highlighted = marked[i] == kHighlightOpen;
    start = i + 1;
  }
  return parts;
}

std::vector<SnippetPart> PlainSnippet(std::string_view text, int max_words) {
  std::string out;
  int words = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) break;
    if (words == max_words) {
      out.append("…");
      break;
    }
    size_t j = i;
    while (j < text.size() && !IsSpace(text[j])) ++j;
    if (!out.empty()) out.push_back(' ');
    out.append(text.substr(i, j - i));
    ++words;
    i = j;
  }
  std::vector<SnippetPart> parts;
  Append(&parts, out, false);
  return parts;
}

}  // namespace lessonbook::sqlite
