#include "adapters/slack/block_kit.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace lessonbook {
namespace {

using nlohmann::json;

TEST(BlockKitTest, EscapesSlacksControlCharacters) {
  EXPECT_EQ(EscapeSlackText("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
  EXPECT_EQ(EscapeSlackText("<!channel> <@U123>"), "&lt;!channel&gt; &lt;@U123&gt;");
}

TEST(BlockKitTest, BoldHugsTheWordsOfEachLineAndEscapes) {
  const std::vector<std::pair<RichText, std::string>> cases = {
      {{Strong("  two words \n")}, "  *two words* \n"},
      {{Strong("first\nsecond")}, "*first*\n*second*"},
      {{Strong("a\n\nb")}, "*a*\n\n*b*"},
      {{Strong("   ")}, "   "},
      {{Strong("")}, ""},
      {{Strong("\tx & y\t")}, "\t*x &amp; y*\t"},
      {{Plain("a <"), Strong("b>"), Plain(" c"), Span{" d ", false, true}}, "a &lt;*b&gt;* c *d* "},
      {{Strong("<@U1>\n> quote")}, "*&lt;@U1&gt;*\n*&gt; quote*"},
      {{Plain("é & ü"), Strong("ß")}, "é &amp; ü*ß*"},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(MrkdwnOf(text), want) << want;
}

TEST(BlockKitTest, EscapesEveryByteOfALongTextLikeAPlainReplace) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab &<>\n\xc3\xa9*";
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = 0; i < 300; ++i) text += alphabet[rng() % alphabet.size()];
    std::string want;
    for (char c : text) {
      want += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
    }
    ASSERT_EQ(EscapeSlackText(text), want) << text;
  }
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

// The payload text is written without building a json document; it must be the very bytes
// json::dump writes of it (members sorted, nlohmann's escaping), for any message: random texts
// (quotes, control characters, unicode, broken UTF-8, Slack's control characters), fields and
// buttons past Slack's limits, every button style, and more sections than a message holds.
TEST(BlockKitTest, APayloadsTextIsTheDumpOfItsJsonForRandomMessages) {
  std::mt19937 rng(8);
  const std::vector<std::string> pieces = {"a", "Lesson", " ", "\"", "\\", "\n", "\t", "\x01",
                                           "<", ">", "&", "*", "é", "🎉", "\xC3", "\xFF",
                                           "@U024BE7LH", std::string(300, 'x')};
  const auto text = [&](int most) {
    std::string t;
    for (int i = static_cast<int>(rng() % static_cast<unsigned>(most + 1)); i > 0; --i) {
      t += pieces[rng() % pieces.size()];
    }
    return t;
  };
  for (int round = 0; round < 1500; ++round) {
    Message m;
    m.text = text(3);
    m.is_error = rng() % 5 == 0;
    for (int n = static_cast<int>(rng() % 30); n > 0; --n) {
      Section s;
      for (int i = static_cast<int>(rng() % 4); i > 0; --i) {
        s.text.push_back(Span{text(3), rng() % 3 == 0, rng() % 3 == 0});
      }
      for (int i = static_cast<int>(rng() % 13); i > 0 && rng() % 3 == 0; --i) {
        s.fields.push_back(Field{text(2), text(2)});
      }
      if (rng() % 2 == 0) s.context = text(3);
      for (int i = static_cast<int>(rng() % 28); i > 0 && rng() % 4 == 0; --i) {
        s.buttons.push_back(Button{text(2), "act_" + text(2), text(2),
                                   static_cast<ButtonStyle>(rng() % 3)});
      }
      m.sections.push_back(std::move(s));
    }
    const std::string response_type = rng() % 2 == 0 ? "ephemeral" : "";
    const std::string written = MessagePayloadText(m, response_type);
    const json parsed = json::parse(written, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << "round " << round << ": " << written;
    ASSERT_EQ(parsed.dump(-1, ' ', false, json::error_handler_t::replace), written)
        << "round " << round;
    EXPECT_EQ(parsed.contains("response_type"), !response_type.empty());
    EXPECT_LE(parsed["blocks"].size(), kSlackMessageBlocksMax);
    EXPECT_EQ(MessagePayload(m)["blocks"], parsed["blocks"]);
    for (const json& block : parsed["blocks"]) {
      if (block["type"] == "section" && block.contains("fields")) {
        EXPECT_LE(block["fields"].size(), 10u);
      }
      if (block["type"] == "actions") {
        EXPECT_LE(block["elements"].size(), 25u);
      }
    }
  }
}

}  // namespace
}  // namespace lessonbook
