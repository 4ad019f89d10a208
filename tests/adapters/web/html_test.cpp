#include "adapters/web/html.h"

#include <gtest/gtest.h>

namespace lessonbook::html {
namespace {

TEST(HtmlEscapeTest, MarkupQuotesAndAmpersandsBecomeEntities) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\"quoted\" & 'single'", "&quot;quoted&quot; &amp; &#39;single&#39;"},
      {"a&amp;b", "a&amp;amp;b"},
      {"emoji 🎉 and é stay", "emoji 🎉 and é stay"},
      {"tab\tand\nnewline kept, bell\a dropped", "tab\tand\nnewline kept, bell dropped"},
      {"bad \xC3 byte and \xED\xA0\x80 surrogate", "bad \xEF\xBF\xBD byte and \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD surrogate"},
  };
  for (const auto& c : cases) EXPECT_EQ(Escape(c.in), c.out) << c.in;
}

TEST(HtmlEscapeTest, MultilineTurnsLineBreaksIntoBrAfterEscaping) {
  EXPECT_EQ(EscapeMultiline("a<b\nc"), "a&lt;b<br>\nc");
}

}  // namespace
}  // namespace lessonbook::html
