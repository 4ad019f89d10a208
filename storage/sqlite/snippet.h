// Turning FTS5 snippet() output into SnippetParts, and a plain snippet when nothing was matched.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "bot/domain.h"

namespace lessonbook::sqlite {

// The markers the store passes to snippet(): control characters, which stored text never holds
// (ValidUtf8 drops them).
inline constexpr char kHighlightOpen = '\x02';
inline constexpr char kHighlightClose = '\x03';

// Splits "a \x02b\x03 c" into {"a ", false}, {"b", true}, {" c", false}. Empty parts are left out;
// adjacent parts with the same highlighting are merged.
std::vector<SnippetPart> SplitSnippet(std::string_view marked);

// The first max_words words of text (whitespace collapsed), with "…" when text was cut.
std::vector<SnippetPart> PlainSnippet(std::string_view text, int max_words);

}  // namespace lessonbook::sqlite
