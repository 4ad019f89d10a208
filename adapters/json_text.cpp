#include "adapters/json_text.h"

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace lessonbook {
namespace {

// Eight bytes at a time (SWAR): a text's long plain ASCII runs are checked a word at a time.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

std::uint64_t EightBytes(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

bool AnyZeroByte(std::uint64_t w) { return ((w - kOnes) & ~w & kHighBits) != 0; }

// Whether eight ASCII bytes (no high bit) hold one that JSON escapes: a control character, '"'
// or a backslash.
bool AnyEscapedAscii(std::uint64_t w) {
  return ((w - kOnes * 0x20) & ~w & kHighBits) != 0 || AnyZeroByte(w ^ (kOnes * '"')) ||
         AnyZeroByte(w ^ (kOnes * '\\'));
}

// Whether text is well-formed UTF-8 (Unicode's Table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF), the text nlohmann's decoder accepts.
bool IsWellFormedUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && (EightBytes(s + i) & kHighBits) == 0) {
      i += 8;
      continue;
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  if (!IsWellFormedUtf8(text)) {
    // Rare (text from outside that is not UTF-8): nlohmann's own replacement rules.
    out += nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                  nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t run = 0;  // start of the characters not yet appended, none of which is escaped
  for (std::size_t i = 0; i < text.size(); ++i) {
    while (i + 8 <= text.size()) {
      const std::uint64_t w = EightBytes(bytes + i);
      if ((w & kHighBits) != 0 || AnyEscapedAscii(w)) break;
      i += 8;
    }
    if (i == text.size()) break;
    const auto c = bytes[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escaped, sizeof escaped);
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void AppendJsonMember(std::string& out, std::string_view key, std::string_view value) {
  AppendJsonString(out, key);
  out += ':';
  AppendJsonString(out, value);
}

}  // namespace lessonbook
