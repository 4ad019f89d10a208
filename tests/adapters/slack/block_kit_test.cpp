#include "adapters/slack/block_kit.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lessonbook {
namespace {

using nlohmann::json;

TEST(BlockKitTest, EscapesSlacksControlCharacters) {
  EXPECT_EQ(EscapeSlackText("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
  EXPECT_EQ(EscapeSlackText("<!channel> <@U123>"), "&lt;!channel&gt; &lt;@U123&gt;");
}

TEST(BlockKitTest, LessonSectionHasBoldTitleHighlightedWordsContextAndButtons) {
  Message m;
  m.text = "2 lessons for subject lines";
  Section s;
  s.text = {Strong("#42 Subject lines <b>"), Plain("\nnumbers in "), Span{"subject", false, true},
            Plain(" lines won")};
  s.context = "worked · #email · Q1 newsletter · @U024BE7LH · 2026-03-01";
  s.buttons = {Button{"More", "search_more", "5\nsubject lines", ButtonStyle::kPrimary}};
  m.sections.push_back(s);
  json blocks = MessageBlocks(m);
  ASSERT_EQ(blocks.size(), 4u) << blocks.dump(2);
  EXPECT_EQ(blocks[0]["type"], "section");
  EXPECT_EQ(blocks[1]["type"], "section");
  EXPECT_EQ(blocks[1]["text"]["type"], "mrkdwn");
  EXPECT_EQ(blocks[1]["text"]["text"],
            "*#42 Subject lines &lt;b&gt;*\nnumbers in *subject* lines won");
  EXPECT_EQ(blocks[2]["type"], "context");
  EXPECT_EQ(blocks[2]["elements"][0]["text"],
            "worked · #email · Q1 newsletter · <@U024BE7LH> · 2026-03-01");
  EXPECT_EQ(blocks[3]["type"], "actions");
  const json& button = blocks[3]["elements"][0];
  EXPECT_EQ(button["type"], "button");
  EXPECT_EQ(button["text"]["type"], "plain_text");
  EXPECT_EQ(button["text"]["text"], "More");
  EXPECT_EQ(button["action_id"], "search_more");
  EXPECT_EQ(button["value"], "5\nsubject lines");
  EXPECT_EQ(button["style"], "primary");
}

TEST(BlockKitTest, RespectsSectionTextAndBlockLimits) {
  Message m;
  Section big;
  big.text = {Plain(std::string(5000, 'x'))};
  m.sections.push_back(big);
  for (int i = 0; i < 40; ++i) {
    Section s;
    s.text = {Plain("lesson " + std::to_string(i))};
    s.context = "worked";
    m.sections.push_back(s);
  }
  json blocks = MessageBlocks(m);
  EXPECT_LE(blocks.size(), kSlackMessageBlocksMax);
  // 3000 characters: 2999 and the ellipsis.
  EXPECT_EQ(blocks[0]["text"]["text"].get<std::string>(), std::string(2999, 'x') + "…");
  EXPECT_EQ(blocks.back()["type"], "context");
}

TEST(BlockKitTest, TruncatesOnCharacterBoundaries) {
  EXPECT_EQ(TruncateChars("ééééé", 3), "éé…");
  EXPECT_EQ(TruncateChars("abc", 3), "abc");
}

TEST(BlockKitTest, ModalHasOneInputBlockPerInputAndReadsValuesBack) {
  Form f;
  f.form_id = "add_lesson";
  f.title = "Add a lesson";
  f.submit_label = "Save lesson";
  Input text{"text", "What did you learn?", InputKind::kMultilineText, {}, "", "", true, 3000};
  Input outcome{"outcome",
                "Outcome",
                InputKind::kChoice,
                {{"worked", "It worked"}, {"insight", "An insight"}},
                "insight",
                "",
                true,
                0};
  Input tags{"tags", "Tags", InputKind::kText, {}, "", "email", false, 0};
  f.inputs = {text, outcome, tags};
  json view = ModalView(f, "{\"s\":\"\"}");
  EXPECT_EQ(view["type"], "modal");
  EXPECT_EQ(view["callback_id"], "add_lesson");
  EXPECT_EQ(view["title"]["text"], "Add a lesson");
  EXPECT_EQ(view["submit"]["text"], "Save lesson");
  EXPECT_EQ(view["private_metadata"], "{\"s\":\"\"}");
  ASSERT_EQ(view["blocks"].size(), 3u);
  EXPECT_EQ(view["blocks"][0]["type"], "input");
  EXPECT_EQ(view["blocks"][0]["block_id"], "text");
  EXPECT_EQ(view["blocks"][0]["element"]["type"], "plain_text_input");
  EXPECT_EQ(view["blocks"][0]["element"]["multiline"], true);
  EXPECT_EQ(view["blocks"][1]["element"]["type"], "static_select");
  EXPECT_EQ(view["blocks"][1]["element"]["initial_option"]["value"], "insight");
  EXPECT_EQ(view["blocks"][2]["optional"], true);

  json state = json::parse(R"({
    "text": {"text": {"type": "plain_text_input", "value": "Short subject lines win"}},
    "outcome": {"outcome": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "It worked"}, "value": "worked"}}},
    "tags": {"tags": {"type": "plain_text_input", "value": null}}
  })");
  auto values = ViewStateValues(state);
  EXPECT_EQ(values["text"], "Short subject lines win");
  EXPECT_EQ(values["outcome"], "worked");
  EXPECT_EQ(values["tags"], "");
}

// Found by the slack_interactivity fuzzer: a state element whose "type" is not a string (here an
// object) is skipped like an unknown type, never an exception.
TEST(BlockKitTest, ViewStateWithANonStringTypeIsSkippedNotThrown) {
  json state = json::parse(R"({
    "text": {"text": {"type": {"nested": 1}, "value": "ignored"}},
    "tags": {"tags": {"type": 7, "value": "ignored"}},
    "campaign": {"campaign": {"type": "plain_text_input", "value": "Spring"}}
  })");
  std::map<std::string, std::string> values;
  EXPECT_NO_THROW(values = ViewStateValues(state));
  EXPECT_EQ(values.count("text"), 0u);
  EXPECT_EQ(values.count("tags"), 0u);
  EXPECT_EQ(values["campaign"], "Spring");
}

}  // namespace
}  // namespace lessonbook
