#include "adapters/slack/payloads.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "adapters/slack/form_body.h"

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

TEST(SlackPayloads, SlashCommandFormKeepsTheFirstOfARepeatedFieldAndDecodesKeys) {
  auto form = ReadSlashCommandForm(
      "team%5Fid=T1&user_id=U1&user_id=U2&channel_id=C1&response_url=u&text=first&text=second");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->team_id, "T1");
  EXPECT_EQ(form->user_id, "U1");
  EXPECT_EQ(form->text, "first");
}

TEST(SlackPayloads, SlashCommandFormRefusesAMalformedFieldItDoesNotRead) {
  auto form = ReadSlashCommandForm(
      "token=%ZZ&team_id=T1&user_id=U1&channel_id=C1&response_url=u&text=hi");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(form.status().message().find("token"), std::string::npos);
}

// The form read field by field answers what reading the whole body into a map answers.
TEST(SlackPayloads, SlashCommandFormMatchesTheWholeBodyDecoded) {
  const std::vector<std::string> parts = {
      "team_id=T1",      "team_id=T2",          "team%5Fid=T3", "user_id=U1",  "user_id=",
      "channel_id=C1",   "response_url=https%3A%2F%2Fh", "trigger_id=t", "user_name=ann",
      "text=+tips+%26+tricks+", "text=", "text=%E2%9C%93", "token=x",   "flag",
      "command=%2Flessons", "",               "x=%4"};
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    std::string body;
    const int n = static_cast<int>(random() % 9);
    for (int i = 0; i < n; ++i) {
      if (i > 0) body += '&';
      body += parts[random() % parts.size()];
    }
    SCOPED_TRACE(body);
    auto form = ReadSlashCommandForm(body);
    auto all = ParseFormBody(body);
    ASSERT_EQ(form.ok(), all.ok() && !(*all)["team_id"].empty() && !(*all)["user_id"].empty() &&
                             !(*all)["channel_id"].empty() && !(*all)["response_url"].empty());
    if (!all.ok()) {
      EXPECT_EQ(form.status().message(), all.status().message());
      continue;
    }
    if (!form.ok()) continue;
    EXPECT_EQ(form->team_id, (*all)["team_id"]);
    EXPECT_EQ(form->user_id, (*all)["user_id"]);
    EXPECT_EQ(form->user_name, (*all)["user_name"]);
    EXPECT_EQ(form->channel_id, (*all)["channel_id"]);
    EXPECT_EQ(form->response_url, (*all)["response_url"]);
    EXPECT_EQ(form->trigger_id, (*all)["trigger_id"]);
    const std::string text = (*all)["text"];
    const std::size_t b = text.find_first_not_of(" \t\r\n");
    const std::string trimmed =
        b == std::string::npos ? "" : text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
    EXPECT_EQ(form->text, trimmed.empty() ? "help" : trimmed);
  }
}

}  // namespace
}  // namespace lessonbook
