#include "adapters/teams/activity.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/teams/conversation_ref.h"

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

json Message(const std::string& text, const std::string& type = "groupChat") {
  return json{{"type", "message"},
              {"id", "1700000000000"},
              {"serviceUrl", "https://smba.trafficmanager.net/emea/"},
              {"channelId", "msteams"},
              {"from", {{"id", "29:ana"}, {"name", "Ana"}, {"aadObjectId", "aad-1"}}},
              {"conversation",
               {{"id", "19:chat@thread.v2"}, {"conversationType", type}, {"tenantId", "t-1"}}},
              {"recipient", {{"id", "28:bot"}, {"name", "Lessonbook"}}},
              {"text", text},
              {"localTimezone", "America/Los_Angeles"},
              {"channelData", {{"tenant", {{"id", "t-1"}}}, {"team", {{"id", "19:team"}}}}}};
}

TEST(TeamsActivity, OnlyTheBotsOwnMentionIsStrippedOthersBecomeUserIds) {
  json j = Message("<at>Lessonbook</at> search webinars by:<at>Bo Li</at>&nbsp;tag:events");
  j["entities"] =
      json::array({{{"type", "mention"},
                    {"mentioned", {{"id", "28:bot"}, {"name", "Lessonbook"}}},
                    {"text", "<at>Lessonbook</at>"}},
                   {{"type", "mention"},
                    {"mentioned", {{"id", "29:bo"}, {"name", "Bo Li"}}},
                    {"text", "<at>Bo Li</at>"}},
                   {{"type", "clientInfo"}, {"locale", "en-US"}, {"timezone", "Europe/Paris"}}});
  auto a = ParseActivity(j.dump());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(CommandText(*a), "search webinars by:<@29:bo> tag:events");
  EXPECT_EQ(a->local_timezone, "America/Los_Angeles");
  EXPECT_EQ(a->Tenant(), "t-1");
  EXPECT_EQ(a->team_id, "19:team");
  auto in = ToInbound(*a, 7);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->workspace_id, 7);
  EXPECT_EQ(in->platform, Platform::kTeams);
  EXPECT_EQ(in->user_id, "29:ana");
  const auto* msg = std::get_if<MessageEvent>(&in->event);
  ASSERT_NE(msg, nullptr);
  EXPECT_FALSE(msg->is_direct);
  auto ref = DecodeConversationRef(in->reply_to);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->conversation_id, "19:chat@thread.v2");
  EXPECT_EQ(ref->reply_to_id, "1700000000000");
  EXPECT_EQ(ref->user_id, "29:ana");
  EXPECT_EQ(ref->bot_id, "28:bot");
  EXPECT_EQ(ref->tenant_id, "t-1");
  EXPECT_EQ(in->request_key, "teams:19:chat@thread.v2:1700000000000");
}

TEST(TeamsActivity, AMentionOfSomeoneElseNamedLikeTheBotIsKept) {
  json j = Message("<at>Lessonbook</at> hello");
  j["entities"] = json::array({{{"type", "mention"},
                                {"mentioned", {{"id", "29:impostor"}, {"name", "Lessonbook"}}},
                                {"text", "<at>Lessonbook</at>"}}});
  auto a = ParseActivity(j.dump());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(CommandText(*a), "<@29:impostor> hello");
}

TEST(TeamsActivity, ClientInfoTimezoneIsTheFallback) {
  json j = Message("help", "personal");
  j.erase("localTimezone");
  j["entities"] = json::array({{{"type", "clientInfo"}, {"timezone", "Asia/Tokyo"}}});
  auto a = ParseActivity(j.dump());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->local_timezone, "Asia/Tokyo");
  auto in = ToInbound(*a, 1);
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE(std::get<MessageEvent>(in->event).is_direct);
}

TEST(TeamsActivity, CardSubmitBecomesAFormSubmitThatReplacesTheCard) {
  json j = Message("", "personal");
  j.erase("text");
  j["replyToId"] = "card-1";
  j["value"] = {{"verb", "submit"}, {"form_id", "add_lesson"}, {"state", "s"},
                {"text", "Lesson"}, {"tags", "a,b"},           {"msteams", {{"x", 1}}}};
  auto a = ParseActivity(j.dump());
  ASSERT_TRUE(a.ok());
  auto in = ToInbound(*a, 1);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  const auto& form = std::get<FormSubmitEvent>(in->event);
  EXPECT_EQ(form.form_id, "add_lesson");
  EXPECT_EQ(form.state, "s");
  EXPECT_EQ(form.values, (std::map<std::string, std::string>{{"text", "Lesson"}, {"tags", "a,b"}}));
  EXPECT_EQ(DecodeConversationRef(in->reply_to)->update_id, "card-1");

  j["value"] = {{"verb", "action"}, {"action_id", "search_more"}, {"value", "5\nx"}};
  auto button = ToInbound(*ParseActivity(j.dump()), 1);
  ASSERT_TRUE(button.ok());
  EXPECT_EQ(std::get<ActionEvent>(button->event).value, "5\nx");
  EXPECT_EQ(DecodeConversationRef(button->reply_to)->update_id, "");

  j["value"] = {{"something", "else"}};
  EXPECT_EQ(ToInbound(*ParseActivity(j.dump()), 1).status().code(), Status::Code::kNotFound);
}

TEST(TeamsActivity, BotAddedIsAnInstallGreetingTheConversation) {
  json j = Message("", "channel");
  j["type"] = "conversationUpdate";
  j["membersAdded"] = json::array({{{"id", "28:bot"}}});
  auto a = ParseActivity(j.dump());
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->BotWasAdded());
  auto in = ToInbound(*a, 1);
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE(std::holds_alternative<InstalledEvent>(in->event));
  EXPECT_EQ(DecodeConversationRef(in->reply_to)->user_id, "") << "not a private answer";
  j["membersAdded"] = json::array({{{"id", "29:someone"}}});
  EXPECT_EQ(ToInbound(*ParseActivity(j.dump()), 1).status().code(), Status::Code::kNotFound);
}

TEST(TeamsActivity, MalformedActivitiesAreRefused) {
  EXPECT_FALSE(ParseActivity("{").ok());
  EXPECT_FALSE(ParseActivity("[]").ok());
  json j = Message("hi");
  j["text"] = 5;
  EXPECT_FALSE(ParseActivity(j.dump()).ok());
  j = Message("hi");
  j.erase("serviceUrl");
  EXPECT_FALSE(ParseActivity(j.dump()).ok());
  j = Message("hi");
  j["from"] = "29:ana";
  EXPECT_FALSE(ParseActivity(j.dump()).ok());
  j = Message(std::string(40000, 'x'));
  EXPECT_FALSE(ParseActivity(j.dump()).ok());
  j = Message("   ");
  EXPECT_EQ(ToInbound(*ParseActivity(j.dump()), 1).status().code(), Status::Code::kNotFound);
  j["type"] = "typing";
  EXPECT_EQ(ToInbound(*ParseActivity(j.dump()), 1).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace lessonbook::teams
