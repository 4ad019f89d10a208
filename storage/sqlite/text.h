// UTF-8 hygiene for text the store indexes and searches. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lessonbook::sqlite {

// Decodes the UTF-8 sequence at s[i] into *cp; returns its length, 0 when it is invalid
// (overlong, surrogate, truncated, above U+10FFFF). REQUIRES: i < s.size().
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp);

// s as valid UTF-8 without control characters: invalid bytes and C0 controls become spaces.
// For search words and filters.
std::string CleanText(std::string_view s);

// s as valid UTF-8 for storing: invalid bytes become U+FFFD, control characters other than tab,
// newline and carriage return are dropped. Lesson text is stored this way so exports never fail.
std::string ValidUtf8(std::string_view s);

// True when s has a character the FTS tokenizer indexes (a letter or digit). Symbols,
// punctuation and emoji are not indexed: a word made only of them can never match.
// (Non-ASCII is classified by Unicode block, a close approximation of unicode61.)
bool HasSearchableCharacter(std::string_view s);

}  // namespace lessonbook::sqlite
