#include "adapters/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace lessonbook {
namespace {

std::string NlohmannDump(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Written(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonTextTest, EscapesQuotesBackslashesAndControlCharactersAndKeepsUtf8) {
  EXPECT_EQ(Written("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(Written(std::string("\b\f\n\r\t\x01\x1f\x7f", 8)), "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Written(std::string("nul\0end", 7)), "\"nul\\u0000end\"");
  EXPECT_EQ(Written("caf\xC3\xA9 \xF0\x9F\x8E\x89"), "\"caf\xC3\xA9 \xF0\x9F\x8E\x89\"");
  EXPECT_EQ(Written(""), "\"\"");
}

TEST(JsonTextTest, InvalidUtf8IsReplacedAsNlohmannReplacesIt) {
  for (const std::string& bad : {std::string("\xC3"), std::string("a\xC0\xAF"),
                                std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"),
                                std::string("\xE2\x82"), std::string("ok\xFFok")}) {
    EXPECT_EQ(Written(bad), NlohmannDump(bad)) << bad;
    EXPECT_NE(Written(bad).find("\xEF\xBF\xBD"), std::string::npos) << bad;
  }
}

// The bytes are nlohmann's for any input: random strings of ASCII, control characters, valid
// multi-byte characters and arbitrary bytes (so well-formed and broken UTF-8 both occur).
TEST(JsonTextTest, RandomStringsAreWrittenAsNlohmannDumpsThem) {
  std::mt19937 rng(8);
  const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\x01",
                                           "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x8E\x89",
                                           "\xEF\xBF\xBD", "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF"};
  int broken = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      if (rng() % 4 == 0) {
        text += static_cast<char>(rng() % 256);
      } else {
        text += pieces[rng() % pieces.size()];
      }
    }
    const std::string expected = NlohmannDump(text);
    if (expected.find("\xEF\xBF\xBD") != std::string::npos) ++broken;
    ASSERT_EQ(Written(text), expected) << "round " << round;
  }
  EXPECT_GT(broken, 1000);  // the broken-UTF-8 path was exercised, not only the direct one
}

// Long texts, mostly plain ASCII read eight bytes at a time, with an escape, a control character
// or a multi-byte character at every offset from those eight bytes' start.
TEST(JsonTextTest, LongPlainRunsWithSpecialsAnywhereAreWrittenAsNlohmannDumpsThem) {
  std::mt19937 rng(9);
  const std::vector<std::string> specials = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", " ",
                                             "\xC3\xA9", "\xF0\x9F\x8E\x89", "\xFF", "\x80"};
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 70, 'a');
    for (char& c : text) c = static_cast<char>('0' + rng() % 75);  // '0'..'z', '\\' among them
    const int inserts = static_cast<int>(rng() % 4);
    for (int k = 0; k < inserts; ++k) {
      text.insert(text.empty() ? 0 : rng() % text.size(), specials[rng() % specials.size()]);
    }
    ASSERT_EQ(Written(text), NlohmannDump(text)) << "round " << round;
  }
}

}  // namespace
}  // namespace lessonbook
