#include "bot/text.h"

#include <gtest/gtest.h>

#include "bot/lesson_text.h"

namespace lessonbook {
namespace {

TEST(Utf8, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x8E\x89 \xE6\x97\xA5"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Ellipsize, CutsAtACharacterBoundary) {
  std::string s = "\xC3\xA9\xC3\xA9\xC3\xA9";
  std::string cut = Ellipsize(s, 3);
  EXPECT_TRUE(IsValidUtf8(cut));
  EXPECT_EQ(cut, "\xC3\xA9…");
}

TEST(TitleBody, FirstLineIsTheTitle) {
  auto tb = SplitTitleBody("Short title\nThe details follow.\nMore.");
  EXPECT_EQ(tb.title, "Short title");
  EXPECT_EQ(tb.body, "The details follow.\nMore.");
  EXPECT_EQ(JoinTitleBody(tb.title, tb.body), "Short title\nThe details follow.\nMore.");
}

TEST(TitleBody, LongLineSplitsAtTheFirstSentence) {
  std::string text = "Webinars on Tuesdays doubled attendance. " + std::string(200, 'x');
  auto tb = SplitTitleBody(text);
  EXPECT_EQ(tb.title, "Webinars on Tuesdays doubled attendance.");
  EXPECT_EQ(tb.body, std::string(200, 'x'));
}

TEST(TitleBody, LongLineWithoutSentenceKeepsEverythingInTheBody) {
  std::string text(300, 'y');
  auto tb = SplitTitleBody(text);
  EXPECT_LT(tb.title.size(), 120u);
  EXPECT_EQ(tb.body, text);
  EXPECT_EQ(JoinTitleBody(tb.title, tb.body), text);
}

TEST(EditDistance, CountsEdits) {
  EXPECT_EQ(EditDistance("serach", "search"), 2);
  EXPECT_EQ(EditDistance("add", "add"), 0);
}

}  // namespace
}  // namespace lessonbook
