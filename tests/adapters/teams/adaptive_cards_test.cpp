#include "adapters/teams/adaptive_cards.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

Message Results(int n, std::size_t body_bytes) {
  Message m;
  m.text = std::to_string(n) + " lessons for \"x\":";
  for (int i = 0; i < n; ++i) {
    Section s;
    s.text = {Strong("#" + std::to_string(i) + " Title"),
              Plain("\n" + std::string(body_bytes, 'b'))};
    s.context = "worked · #email";
    m.sections.push_back(std::move(s));
  }
  return m;
}

TEST(AdaptiveCards, TextOnlyMessagesArePlainTextActivities) {
  Message m;
  m.text = "Deleted lesson #4 (**not bold**).";
  auto activities = RenderActivities(m);
  ASSERT_EQ(activities.size(), 1u);
  json a = json::parse(activities[0]);
  EXPECT_EQ(a["type"], "message");
  EXPECT_EQ(a["textFormat"], "plain");
  EXPECT_EQ(a["text"], m.text);
  EXPECT_FALSE(a.contains("attachments"));
}

TEST(AdaptiveCards, SectionsBecomeACardOfTextRunsWithHighlightsAndButtons) {
  Message m = Results(1, 10);
  m.sections[0].text.push_back(Span{"match", false, true});
  m.sections[0].fields.push_back({"Owner", "Ana"});
  m.sections[0].buttons.push_back({"More", "search_more", "5\nx", ButtonStyle::kPrimary});
  json card = json::parse(RenderAdaptiveCard(m));
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.5");
  EXPECT_EQ(card["$schema"], "http://adaptivecards.io/schemas/adaptive-card.json");
  const std::string s = card.dump();
  EXPECT_NE(s.find(R"("highlight":true)"), std::string::npos);
  EXPECT_NE(s.find(R"("type":"FactSet")"), std::string::npos);
  EXPECT_NE(s.find(R"("type":"ActionSet")"), std::string::npos);
  EXPECT_NE(s.find(R"("data":{"action_id":"search_more","value":"5\nx","verb":"action"})"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find(R"("style":"positive")"), std::string::npos);
  EXPECT_NE(card["fallbackText"].get<std::string>().find("#0 Title"), std::string::npos);
}

TEST(AdaptiveCards, UserTextIsNeverMarkupOrATemplate) {
  Message m;
  m.text = "Results";
  Section s;
  s.text = {
      Plain("**bold?** [link](https://evil.example) <at>x</at> {{DATE(2017-02-14T06:08:39Z)}}")};
  m.sections.push_back(s);
  json card = json::parse(RenderAdaptiveCard(m));
  const std::string dump = card.dump();
  EXPECT_EQ(dump.find("\"type\":\"TextBlock\""), std::string::npos) << "no markdown TextBlocks";
  EXPECT_EQ(dump.find("{{DATE"), std::string::npos) << dump;
  EXPECT_NE(dump.find("**bold?** [link](https://evil.example)"), std::string::npos);
}

TEST(AdaptiveCards, FormsUseInputsAndASubmitCarryingTheVerbAndIds) {
  Message m;
  m.text = "Add a lesson";
  Form f;
  f.form_id = "add_lesson";
  f.title = "Add a lesson";
  f.submit_label = "Save lesson";
  f.state = "st";
  Input text{"text", "What did you learn?", InputKind::kMultilineText, {}, "pre", "ph", true, 3000};
  Input outcome{"outcome", "Outcome", InputKind::kChoice, {{"worked", "It worked"}}, "worked", "",
                true,      0};
  Input tags{"tags", "Tags", InputKind::kMultiChoice, {{"a", "A"}, {"b", "B"}}, "", "", false, 0};
  f.inputs = {text, outcome, tags};
  m.form = f;
  m.input_errors = {{"text", "Write the lesson down here."}};
  json card = json::parse(RenderAdaptiveCard(m));
  const std::string s = card.dump();
  EXPECT_NE(
      s.find(
          R"("id":"text","isMultiline":true,"isRequired":true,"label":"What did you learn?","maxLength":3000)"),
      std::string::npos)
      << s;
  EXPECT_NE(s.find(R"("type":"Input.ChoiceSet")"), std::string::npos);
  EXPECT_NE(s.find(R"("isMultiSelect":true)"), std::string::npos);
  EXPECT_NE(s.find("Write the lesson down here."), std::string::npos);
  ASSERT_EQ(card["actions"].size(), 1u);
  EXPECT_EQ(card["actions"][0]["type"], "Action.Submit");
  EXPECT_EQ(card["actions"][0]["title"], "Save lesson");
  EXPECT_EQ(card["actions"][0]["data"],
            (json{{"verb", "submit"}, {"form_id", "add_lesson"}, {"state", "st"}}));
}

TEST(AdaptiveCards, LongResultListsAreSplitUnderTheSizeLimit) {
  CardOptions options;
  options.max_activity_bytes = 70000;
  Message m = Results(40, 5000);  // about 200 KB of text
  auto activities = RenderActivities(m, options);
  ASSERT_GE(activities.size(), 3u);
  std::string all;
  for (const auto& a : activities) {
    EXPECT_LT(a.size(), options.max_activity_bytes);
    all += a;
  }
  for (int i = 0; i < 40; ++i) {
    EXPECT_NE(all.find("#" + std::to_string(i) + " Title"), std::string::npos) << i;
  }
  EXPECT_NE(activities[0].find("40 lessons for"), std::string::npos);
}

TEST(AdaptiveCards, InvokeResponseCarriesTheCard) {
  Message m = Results(1, 5);
  json r = json::parse(RenderInvokeResponse(m));
  EXPECT_EQ(r["statusCode"], 200);
  EXPECT_EQ(r["type"], "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(r["value"]["type"], "AdaptiveCard");
}

}  // namespace
}  // namespace lessonbook::teams
