// Small text helpers the engine needs: UTF-8 checks, trimming, cutting at a character boundary.
#pragma once

#include <string>
#include <string_view>

namespace lessonbook {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Leading and trailing ASCII white space removed.
std::string_view TrimView(std::string_view s);
std::string Trim(std::string_view s);
std::string AsciiLower(std::string_view s);
// At most max_bytes of s, cut at a UTF-8 character boundary, with "…" appended when cut.
std::string Ellipsize(std::string_view s, std::size_t max_bytes);
// Levenshtein distance, for "did you mean" hints (short strings only).
int EditDistance(std::string_view a, std::string_view b);

}  // namespace lessonbook
