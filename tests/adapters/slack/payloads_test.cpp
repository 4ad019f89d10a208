#include "adapters/slack/payloads.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <variant>

namespace lessonbook {
namespace {

InboxEvent Row(std::string payload) {
  InboxEvent row;
  row.platform = Platform::kSlack;
  row.event_id = "Ev1";
  row.workspace_id = 4;
  row.payload = std::move(payload);
  return row;
}

std::string CorpusFile(const std::string& name) {
  std::ifstream in(std::string(LESSONBOOK_SOURCE_DIR) + "/tests/fuzz/corpus/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SlackPayloads, AnAppMentionLosesTheBotsMentionAndKeepsTheWords) {
  auto in = SlackPayloadToInbound(Row(CorpusFile("slack_events/mention")), nullptr);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->workspace_id, 4);
  const auto* m = std::get_if<MessageEvent>(&in->event);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->text, "search webinar tag:events");
  EXPECT_FALSE(m->is_direct);
}

// Found while extracting the parser for fuzzing: authorizations[].is_bot read with
// json::value("is_bot", false) threw nlohmann::type_error for a non-boolean is_bot.
TEST(SlackPayloads, ANonBooleanIsBotIsNotAnExceptionRegression) {
  auto in = SlackPayloadToInbound(Row(CorpusFile("slack_events/is_bot_string")),
                                  [](const std::string&) { return std::string("UBOT"); });
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  const auto* m = std::get_if<MessageEvent>(&in->event);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->text, "help") << "the mention of the bot known from the team is still removed";
  for (const char* odd : {R"({"type":"event_callback","event":{"type":"app_mention","user":"U1"},
                              "authorizations":[1,null,{"is_bot":1,"user_id":7}]})",
                          R"({"type":"event_callback","event":[],"authorizations":{}})",
                          R"({"type":"block_actions","actions":[{"action_id":5}],"user":"x"})",
                          R"([1,2])", "not json"}) {
    EXPECT_NO_THROW((void)SlackPayloadToInbound(Row(odd), nullptr)) << odd;
  }
}

TEST(SlackPayloads, SlashCommandFormNeedsItsFieldsAndDefaultsToHelp) {
  auto form = ReadSlashCommandForm(
      "team_id=T1&user_id=U1&channel_id=C1&response_url=https%3A%2F%2Fhooks.slack.com%2Fx&text=+");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->text, "help");
  EXPECT_EQ(form->response_url, "https://hooks.slack.com/x");
  auto missing = ReadSlashCommandForm("team_id=T1&user_id=U1&channel_id=C1");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("response_url"), std::string::npos);
  EXPECT_FALSE(ReadSlashCommandForm("team_id=%ZZ").ok());
}

}  // namespace
}  // namespace lessonbook
