// The Teams adapter on a real HttpServer with the real engine and store, against loopback fakes of
// the Bot Framework's OpenID endpoints and of the Bot Connector (with its token endpoint).
#include "adapters/teams/teams_adapter.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/http/server.h"
#include "adapters/teams/teams_routes.h"
#include "bot/engine.h"
#include "bot/inbox_processor.h"
#include "bot/local_time.h"
#include "bot/outbox.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "storage/store.h"
#include "tests/fakes/fake_bot_connector.h"
#include "tests/fakes/fake_openid.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kAppId = "app-id-1";
constexpr const char* kTenant = "tenant-1";
constexpr const char* kBot = "28:app-id-1";
constexpr const char* kAna = "29:ana";

Time RealNow() { return SystemClock().Now(); }

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class TeamsAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenStore(dir_.File("lessonbook.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    Config config;
    config.teams_app_id = kAppId;
    config.teams_app_password = "secret-1";
    config.teams_tenant_id = kTenant;
    config.teams_openid_metadata_url = openid_.metadata_url();
    config.teams_token_url = connector_.token_url();
    config.teams_service_url_allowlist = "127.0.0.1";
    auto adapter = StartTeams(*store_, clock_, config);
    ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
    adapter_ = std::move(*adapter);
    EngineOptions engine_options;
    engine_options.book_links.key = std::string(32, 't');
    engine_options.book_links.base_url = "https://lessonbook.example.com";
    engine_ = std::make_unique<Engine>(*store_, clock_, engine_options);
    inbox_ = std::make_unique<InboxProcessor>(*store_, *engine_, clock_);
    inbox_->Register(Platform::kTeams, adapter_.get());
    worker_ = std::make_unique<OutboxWorker>(*store_, clock_);
    worker_->Register(Platform::kTeams, adapter_.get());
    HttpServerOptions options;
    options.port = 0;
    options.threads = 4;
    server_ = std::make_unique<HttpServer>(options);
    MountTeams(*server_, *adapter_, *engine_, *inbox_);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
    for (int i = 0; i < 5000 && !server_->running(); ++i) std::this_thread::sleep_for(1ms);
  }

  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  json Activity(const std::string& text, const std::string& conversation_type = "personal") {
    json a = {{"type", "message"},
              {"id", "act-" + std::to_string(++next_id_)},
              {"timestamp", "2026-11-23T10:00:00.000Z"},
              {"serviceUrl", connector_.service_url()},
              {"channelId", "msteams"},
              {"from", {{"id", kAna}, {"name", "Ana"}, {"aadObjectId", "aad-ana"}}},
              {"conversation",
               {{"id", conversation_type == "personal" ? "a:1ana" : "19:general@thread.tacv2"},
                {"conversationType", conversation_type},
                {"tenantId", kTenant}}},
              {"recipient", {{"id", kBot}, {"name", "Lessonbook"}}},
              {"text", text},
              {"localTimezone", "Europe/Berlin"},
              {"channelData", {{"tenant", {{"id", kTenant}}}}}};
    if (conversation_type == "channel") a["channelData"]["team"] = {{"id", "19:team@thread"}};
    return a;
  }

  std::string Token() {
    return openid_.Sign(
        testing::FakeOpenId::Claims(kAppId, connector_.service_url(), clock_.Now()));
  }

  // POSTs the activity with `Authorization: Bearer <token>` ("" sends no header).
  httplib::Result Post(const json& activity, const std::string& token) {
    return PostRaw(activity.dump(), token);
  }
  httplib::Result PostRaw(const std::string& body, const std::string& token) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(10, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client.Post("/teams/messages", headers, body, "application/json");
  }

  // Handles the acknowledged activities and sends what they produced.
  void Drain() {
    while (inbox_->DrainOnce() > 0) {
    }
    while (worker_->DrainOnce() > 0) {
    }
  }

  std::string AllBodies() {
    std::string out;
    for (const auto& c : connector_.calls()) out += c.body + "\n";
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_{RealNow()};
  testing::FakeOpenId openid_;
  testing::FakeBotConnector connector_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TeamsAdapter> adapter_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<InboxProcessor> inbox_;
  std::unique_ptr<OutboxWorker> worker_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int next_id_ = 0;
};

TEST_F(TeamsAdapterTest, ValidTokenAndActivityGetAnAnswerThroughTheBotConnector) {
  auto res = Post(Activity("help"), Token());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");  // Teams ignores reply text in the HTTP answer
  Drain();
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), 1u) << AllBodies();
  EXPECT_EQ(calls[0].method, "POST");
  EXPECT_EQ(calls[0].path, "/teams/v3/conversations/a:1ana/activities/act-1");
  EXPECT_EQ(calls[0].target, "/teams/v3/conversations/a%3A1ana/activities/act-1");
  EXPECT_EQ(calls[0].authorization, "Bearer token-1");
  EXPECT_TRUE(Contains(calls[0].body, "Book of Learning")) << calls[0].body;
  EXPECT_TRUE(Contains(calls[0].body, "application/vnd.microsoft.card.adaptive"));
  EXPECT_EQ(connector_.token_requests(), 1);
  EXPECT_TRUE(Contains(connector_.last_token_request(),
                       "scope=https%3A%2F%2Fapi.botframework.com%2F.default"));

  // The user, their timezone and the conversation are remembered.
  auto user = store_->GetTeamsUser(adapter_->workspace_id(), kAna);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->local_timezone, "Europe/Berlin");
  EXPECT_EQ(user->personal_conversation_id, "a:1ana");
  EXPECT_TRUE(store_->GetTeamsConversation(adapter_->workspace_id(), "a:1ana").ok());
}

TEST_F(TeamsAdapterTest, RetriedActivityIsHandledOnce) {
  json a = Activity("add Webinars need a co-host #events");
  ASSERT_EQ(Post(a, Token())->status, 200);
  ASSERT_EQ(Post(a, Token())->status, 200);
  Drain();
  EXPECT_EQ(connector_.calls().size(), 1u);
  EXPECT_EQ(*store_->CountLessons(adapter_->workspace_id()), 1);
}

struct Rejection {
  const char* name;
  std::function<std::string(testing::FakeOpenId&, const std::string& service_url, json* activity)>
      token;  // may change the activity
};

TEST_F(TeamsAdapterTest, RequestsThatFailAuthenticationAre401AndNothingIsProcessed) {
  const std::string su = connector_.service_url();
  auto claims = [&](const char* key, json value) {
    json c = testing::FakeOpenId::Claims(kAppId, su, clock_.Now());
    if (value.is_null())
      c.erase(key);
    else
      c[key] = value;
    return c;
  };
  openid_.AddUnpublishedKey("stranger");
  const long long now = ToUnix(clock_.Now());  // the adapter's clock, not the wall clock
  std::vector<Rejection> cases = {
      {"missing header", [](auto&, auto&, json*) { return std::string(); }},
      {"wrong issuer",
       [&](auto& o, auto&, json*) { return o.Sign(claims("iss", "https://evil.example")); }},
      {"wrong audience", [&](auto& o, auto&, json*) { return o.Sign(claims("aud", "other-app")); }},
      {"expired", [&](auto& o, auto&, json*) { return o.Sign(claims("exp", now - 301)); }},
      {"not yet valid", [&](auto& o, auto&, json*) { return o.Sign(claims("nbf", now + 301)); }},
      {"signed by another key",
       [&](auto& o, auto&, json*) { return o.Sign(claims("x", 1), "key-1", "stranger"); }},
      {"alg none",
       [&](auto&, auto&, json*) { return testing::FakeOpenId::Unsigned(claims("x", 1)); }},
      {"HS256 signed with the public key",
       [&](auto& o, auto&, json*) { return o.Hs256WithPublicKey(claims("x", 1)); }},
      {"mismatched serviceurl",
       [&](auto& o, auto&, json*) {
         return o.Sign(claims("serviceurl", "https://smba.trafficmanager.net/amer/"));
       }},
      {"missing serviceurl",
       [&](auto& o, auto&, json*) { return o.Sign(claims("serviceurl", nullptr)); }},
      {"malformed segments", [](auto&, auto&, json*) { return std::string("abc.def"); }},
      {"bad base64url segment",
       [&](auto& o, auto&, json*) {
         std::string t = o.Sign(claims("x", 1));
         return t.insert(t.find('.'), "=");  // padding is not base64url
       }},
      {"serviceUrl outside the allow-list",
       [&](auto& o, auto&, json* a) {
         (*a)["serviceUrl"] = "http://10.1.2.3/teams/";
         return o.Sign(testing::FakeOpenId::Claims(kAppId, "http://10.1.2.3/teams/", clock_.Now()));
       }},
      {"user from another tenant",
       [&](auto& o, auto&, json* a) {
         (*a)["channelData"]["tenant"]["id"] = "other-tenant";
         (*a)["conversation"]["tenantId"] = "other-tenant";
         return o.Sign(claims("x", 1));
       }},
      {"endorsement for another channel",
       [&](auto& o, auto&, json* a) {
         (*a)["channelId"] = "webchat";
         return o.Sign(claims("x", 1));
       }},
  };
  for (const Rejection& c : cases) {
    json activity = Activity("add This must not be stored #testing");
    const std::string token = c.token(openid_, su, &activity);
    auto res = Post(activity, token);
    ASSERT_TRUE(res) << c.name;
    EXPECT_EQ(res->status, 401) << c.name << ": " << res->body;
  }
  auto malformed = PostRaw("{\"type\": \"message\", ", Token());
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 401) << "malformed activity JSON";

  EXPECT_TRUE(store_->UnhandledInbox(100)->empty());
  Drain();
  EXPECT_TRUE(connector_.calls().empty()) << AllBodies();
  EXPECT_EQ(*store_->CountLessons(adapter_->workspace_id()), 0);
  EXPECT_FALSE(store_->GetTeamsUser(adapter_->workspace_id(), kAna).ok());
}

TEST_F(TeamsAdapterTest, UnknownKidIsRefusedAfterOneRefreshAndRefreshesAtMostHourly) {
  ASSERT_EQ(Post(Activity("help"), Token())->status, 200);
  const int fetched = openid_.jwks_fetches();
  ASSERT_EQ(fetched, 1);
  openid_.AddUnpublishedKey("rotated-out");
  json c = testing::FakeOpenId::Claims(kAppId, connector_.service_url(), clock_.Now());
  EXPECT_EQ(Post(Activity("help"), openid_.Sign(c, "rotated-out"))->status, 401);
  EXPECT_EQ(openid_.jwks_fetches(), fetched + 1) << "one refresh for the unknown kid";
  EXPECT_EQ(Post(Activity("help"), openid_.Sign(c, "rotated-out"))->status, 401);
  EXPECT_EQ(openid_.jwks_fetches(), fetched + 1) << "no second refresh within the hour";

  // A key published later is picked up on the next unknown-kid refresh an hour on.
  openid_.AddKey("key-2");
  clock_.Advance(std::chrono::minutes(61));
  c = testing::FakeOpenId::Claims(kAppId, connector_.service_url(), clock_.Now());
  EXPECT_EQ(Post(Activity("help"), openid_.Sign(c, "key-2"))->status, 200);
  EXPECT_EQ(openid_.jwks_fetches(), fetched + 2);
}

TEST_F(TeamsAdapterTest, MentionsAreResolvedAndPrivateAnswersInAChannelGoToADm) {
  // Ana's lesson, then a search in a channel that @mentions the bot.
  ASSERT_EQ(Post(Activity("add Subject lines with numbers win #email"), Token())->status, 200);
  Drain();
  const std::size_t before = connector_.calls().size();
  json a = Activity("<at>Lessonbook</at> subject lines by:<at>Ana Lopez</at>", "channel");
  a["entities"] = json::array({{{"type", "mention"},
                                {"mentioned", {{"id", kBot}, {"name", "Lessonbook"}}},
                                {"text", "<at>Lessonbook</at>"}},
                               {{"type", "mention"},
                                {"mentioned", {{"id", kAna}, {"name", "Ana Lopez"}}},
                                {"text", "<at>Ana Lopez</at>"}}});
  ASSERT_EQ(Post(a, Token())->status, 200);
  Drain();
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), before + 2) << AllBodies();
  // Ana's 1:1 chat exists already (she wrote to the bot there): the answer goes there…
  EXPECT_EQ(calls[before].path, "/teams/v3/conversations/a:1ana/activities");
  EXPECT_TRUE(Contains(calls[before].body, "Subject lines with numbers win")) << calls[before].body;
  // …and the channel thread gets the note.
  EXPECT_EQ(calls[before + 1].path, "/teams/v3/conversations/19:general@thread.tacv2/activities/" +
                                        a["id"].get<std::string>());
  EXPECT_TRUE(Contains(calls[before + 1].body, kSentYouADm));
}

TEST_F(TeamsAdapterTest, PrivateAnswerCreatesThe1to1ChatWithTheTenantWhenNeeded) {
  json a = Activity("help", "channel");
  a["from"]["id"] = "29:bo";
  ASSERT_EQ(Post(a, Token())->status, 200);
  Drain();
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), 3u) << AllBodies();
  EXPECT_EQ(calls[0].path, "/teams/v3/conversations");
  EXPECT_EQ(calls[0].json["bot"]["id"], kBot);
  EXPECT_EQ(calls[0].json["members"][0]["id"], "29:bo");
  EXPECT_EQ(calls[0].json["channelData"]["tenant"]["id"], kTenant);
  EXPECT_EQ(calls[0].json["isGroup"], false);
  EXPECT_EQ(calls[1].path, "/teams/v3/conversations/a:dm-29:bo/activities");
  EXPECT_TRUE(Contains(calls[2].body, kSentYouADm));
  EXPECT_EQ(store_->GetTeamsUser(adapter_->workspace_id(), "29:bo")->personal_conversation_id,
            "a:dm-29:bo");
}

TEST_F(TeamsAdapterTest, AddWithoutTextAnswersWithACardWhoseSubmitSavesAndUpdatesItInPlace) {
  ASSERT_EQ(Post(Activity("add"), Token())->status, 200);
  Drain();
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), 1u);
  const json card = calls[0].json["attachments"][0]["content"];
  EXPECT_EQ(card["version"], "1.5");
  EXPECT_TRUE(Contains(calls[0].body, "Add a lesson"));
  EXPECT_TRUE(Contains(calls[0].body, "Input.Text"));
  EXPECT_TRUE(Contains(calls[0].body, "Input.ChoiceSet"));
  ASSERT_TRUE(card.contains("actions"));
  const json data = card["actions"][0]["data"];
  EXPECT_EQ(card["actions"][0]["type"], "Action.Submit");
  EXPECT_EQ(data["verb"], "submit");

  // Teams sends the submit as a message with no text and a value merging data and inputs.
  json submit = Activity("");
  submit.erase("text");
  submit["replyToId"] = "bot-activity-1";
  json value = data;
  value["text"] = "Partner webinars convert better";
  value["outcome"] = "worked";
  value["tags"] = "events, webinars";
  value["campaign"] = "";
  submit["value"] = value;
  ASSERT_EQ(Post(submit, Token())->status, 200);
  Drain();
  calls = connector_.calls();
  ASSERT_EQ(calls.size(), 2u) << AllBodies();
  EXPECT_EQ(calls[1].method, "PUT");
  EXPECT_EQ(calls[1].path, "/teams/v3/conversations/a:1ana/activities/bot-activity-1");
  EXPECT_TRUE(Contains(calls[1].body, "Saved lesson #1")) << calls[1].body;
  auto lesson = store_->GetLesson(adapter_->workspace_id(), 1);
  ASSERT_TRUE(lesson.ok());
  EXPECT_EQ(lesson->title, "Partner webinars convert better");
  EXPECT_EQ(lesson->author, kAna);
  EXPECT_EQ(lesson->tags, (std::vector<std::string>{"events", "webinars"}));
}

TEST_F(TeamsAdapterTest, InvokeAdaptiveCardActionAnswersWithTheInvokeResponse) {
  json invoke = Activity("");
  invoke["type"] = "invoke";
  invoke["name"] = "adaptiveCard/action";
  invoke["value"] = {{"action",
                      {{"type", "Action.Execute"},
                       {"verb", "action"},
                       {"data", {{"action_id", "search_more"}, {"value", "0\nwebinar"}}}}},
                     {"trigger", "manual"}};
  auto res = Post(invoke, Token());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  json body = json::parse(res->body);
  EXPECT_EQ(body["statusCode"], 200);
  EXPECT_EQ(body["type"], "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(body["value"]["type"], "AdaptiveCard");
  EXPECT_TRUE(Contains(res->body, "No lessons match")) << res->body;
}

TEST_F(TeamsAdapterTest, RateLimitedAnswersAreRetriedAndBlockedUsersMarkedUnreachable) {
  connector_.Script({429, R"({"error":{"code":"TooManyRequests"}})", "7"});
  ASSERT_EQ(Post(Activity("help"), Token())->status, 200);
  Drain();
  auto pending = store_->ListOutbox(OutboxStatus::kPending, 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(ToUnix(pending->at(0).next_attempt_at), ToUnix(clock_.Now()) + 7);
  clock_.Advance(8s);
  Drain();
  EXPECT_EQ(store_->ListOutbox(OutboxStatus::kSent, 10)->size(), 1u);

  connector_.Script({403, R"({"error":{"code":"MessageWritesBlocked","message":"blocked"}})", ""});
  ASSERT_EQ(Post(Activity("help"), Token())->status, 200);
  clock_.Advance(2s);
  Drain();
  EXPECT_EQ(store_->ListOutbox(OutboxStatus::kFailed, 10)->size(), 1u);
  EXPECT_TRUE(store_->GetTeamsUser(adapter_->workspace_id(), kAna)->unreachable);
}

TEST_F(TeamsAdapterTest, BotAddedToATeamStoresTheTeamAndGreetsWithHelp) {
  json update = Activity("", "channel");
  update["type"] = "conversationUpdate";
  update.erase("text");
  update["membersAdded"] = json::array({{{"id", kBot}}});
  ASSERT_EQ(Post(update, Token())->status, 200);
  Drain();
  auto conversation =
      store_->GetTeamsConversation(adapter_->workspace_id(), "19:general@thread.tacv2");
  ASSERT_TRUE(conversation.ok());
  EXPECT_EQ(conversation->team_id, "19:team@thread");
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].path, "/teams/v3/conversations/19:general@thread.tacv2/activities");
  EXPECT_TRUE(Contains(calls[0].body, "Book of Learning"));
  EXPECT_EQ(store_->GetWorkspace(adapter_->workspace_id())->admins,
            (std::vector<std::string>{kAna}));
}

TEST_F(TeamsAdapterTest, DmTargetsReachThePersonsOneToOneChat) {
  ASSERT_EQ(Post(Activity("help"), Token())->status, 200);  // Ana wrote: her chat is known
  Drain();
  const std::size_t before = connector_.calls().size();
  Message prompt;
  prompt.text = "What did the webinar teach you?";
  ASSERT_TRUE(EnqueueMessage(*store_, clock_.Now(), adapter_->workspace_id(), Platform::kTeams,
                             "dm:29:ana", prompt)
                  .ok());
  ASSERT_TRUE(EnqueueMessage(*store_, clock_.Now(), adapter_->workspace_id(), Platform::kTeams,
                             "dm:29:carla", prompt)
                  .ok());
  Drain();
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), before + 3) << AllBodies();
  EXPECT_EQ(calls[before].path, "/teams/v3/conversations/a:1ana/activities");
  EXPECT_EQ(calls[before + 1].path, "/teams/v3/conversations") << "Carla's chat is created";
  EXPECT_EQ(calls[before + 1].json["members"][0]["id"], "29:carla");
  EXPECT_EQ(calls[before + 2].path, "/teams/v3/conversations/a:dm-29:carla/activities");
}

// The post-mortem in Teams: DMs to each participant's 1:1 chat, an answer typed in the chat,
// then the rest in a card whose submit turns the answers into lessons.
TEST_F(TeamsAdapterTest, PostmortemGoesToOneToOneChatsAndIsAnsweredThereAndInACard) {
  ASSERT_EQ(Post(Activity("campaign new \"Teams launch\" ends:2099-01-01 with:<@29:bo> "
                          "learn:\"does it work in Teams?\""),
                 Token())
                ->status,
            200);
  ASSERT_EQ(Post(Activity("campaign end Teams launch"), Token())->status, 200);
  Drain();
  std::string all = AllBodies();
  EXPECT_TRUE(Contains(all, "Question 1 of")) << all;
  bool bo_chat_created = false;
  for (const auto& c : connector_.calls()) {
    if (c.path == "/teams/v3/conversations" && c.json["members"][0]["id"] == "29:bo") {
      bo_chat_created = true;
      EXPECT_EQ(c.json["channelData"]["tenant"]["id"], kTenant);
    }
  }
  EXPECT_TRUE(bo_chat_created) << "Bo's 1:1 chat is created for the DM: " << all;

  // Bo answers the first question in his 1:1 chat.
  auto from_bo = [&](json a) {
    a["from"] = {{"id", "29:bo"}, {"name", "Bo"}, {"aadObjectId", "aad-bo"}};
    a["conversation"]["id"] = "a:1bo";
    return a;
  };
  const std::size_t before = connector_.calls().size();
  ASSERT_EQ(Post(from_bo(Activity("Teams is where we talk")), Token())->status, 200);
  Drain();
  auto calls = connector_.calls();
  ASSERT_GT(calls.size(), before);
  EXPECT_TRUE(Contains(calls.back().path, "/teams/v3/conversations/a:1bo/activities"))
      << calls.back().path;
  EXPECT_TRUE(Contains(calls.back().body, "Saved. Question 2 of")) << calls.back().body;

  // "Answer in a form": the card comes back with every question, the first answer filled in.
  auto campaign = store_->FindCampaign(adapter_->workspace_id(), "Teams launch");
  ASSERT_TRUE(campaign.ok());
  json press = from_bo(Activity(""));
  press.erase("text");
  press["value"] = {{"verb", "action"},
                    {"action_id", "postmortem_form"},
                    {"value", std::to_string(campaign->id)}};
  ASSERT_EQ(Post(press, Token())->status, 200);
  Drain();
  calls = connector_.calls();
  const json card = calls.back().json["attachments"][0]["content"];
  ASSERT_TRUE(Contains(calls.back().body, "Teams is where we talk")) << calls.back().body;
  const json data = card["actions"][0]["data"];
  EXPECT_EQ(data["form_id"], "postmortem");

  json submit = from_bo(Activity(""));
  submit.erase("text");
  submit["replyToId"] = "bot-activity-9";
  json value = data;
  value["learned"] = "Teams works for post-mortems";
  value["worked"] = "Cards\nOne-to-one chats";
  submit["value"] = value;
  ASSERT_EQ(Post(submit, Token())->status, 200);
  Drain();
  LessonQuery q;
  q.workspace_id = adapter_->workspace_id();
  q.campaign = "Teams launch";
  EXPECT_EQ(store_->SearchLessons(q)->total, 3) << AllBodies();
  EXPECT_TRUE(Contains(connector_.calls().back().body, "Thank you")) << connector_.calls().back().body;

  // Ana has not answered: a reminder in her 1:1 chat at a daytime hour of her own timezone (her
  // client reported Europe/Berlin), then the summary once at the deadline.
  auto tz = store_->GetPersonTimezone(adapter_->workspace_id(), kAna);
  ASSERT_TRUE(tz.ok());
  EXPECT_EQ(tz->value_or(""), "Europe/Berlin");
  auto sets = LoadQuestionSets("");
  ASSERT_TRUE(sets.ok());
  const Time opened = clock_.Now();
  clock_.Set(NextLocalHour(opened + std::chrono::hours(24), 10, "Europe/Berlin"));
  EXPECT_EQ(SendDueReminders(*store_, *sets, clock_.Now(), PostmortemOptions{}), 1);
  Drain();
  EXPECT_TRUE(Contains(connector_.calls().back().path, "/teams/v3/conversations/a:1ana/activities"));
  EXPECT_TRUE(Contains(connector_.calls().back().body, "A reminder")) << connector_.calls().back().body;
  clock_.Set(opened + std::chrono::hours(24 * 6));
  EXPECT_EQ(CloseDuePostmortems(*store_, *sets, clock_.Now(), PostmortemOptions{}), 1);
  EXPECT_EQ(CloseDuePostmortems(*store_, *sets, clock_.Now(), PostmortemOptions{}), 0);
  Drain();
  EXPECT_TRUE(Contains(connector_.calls().back().body, "1 of 2 people answered"))
      << connector_.calls().back().body;
}

TEST_F(TeamsAdapterTest, CampaignWithAChannelAsksItsTeamsRoster) {
  engine_->SetDirectory(Platform::kTeams, adapter_.get());  // as serve does
  ASSERT_EQ(Post(Activity("help", "channel"), Token())->status, 200);  // the channel is known
  Drain();
  connector_.set_members({{{"id", "29:bo"}, {"name", "Bo"}}, {{"id", "29:cy"}, {"name", "Cy"}}});
  ASSERT_EQ(Post(Activity("campaign new \"Team launch\" ends:2099-01-01 "
                          "with:<@19:general@thread.tacv2>"),
                 Token())
                ->status,
            200);
  Drain();
  auto c = store_->FindCampaign(adapter_->workspace_id(), "Team launch");
  ASSERT_TRUE(c.ok()) << AllBodies();
  EXPECT_EQ(c->participants, (std::vector<std::string>{kAna, "29:bo", "29:cy"}));
}

// ---- the Book of Learning ----

// A Book link asked for in a channel goes to the person's 1:1 chat; the channel only hears
// "I sent you a DM".
TEST_F(TeamsAdapterTest, BookAskedInAChannelSendsTheSignedLinkToTheOneToOneChatOnly) {
  ASSERT_EQ(Post(Activity("help"), Token())->status, 200);  // Ana's 1:1 chat is known
  Drain();
  const std::size_t before = connector_.calls().size();
  json a = Activity("<at>Lessonbook</at> book", "channel");
  a["entities"] = json::array({{{"type", "mention"},
                                {"mentioned", {{"id", kBot}, {"name", "Lessonbook"}}},
                                {"text", "<at>Lessonbook</at>"}}});
  ASSERT_EQ(Post(a, Token())->status, 200);
  Drain();
  auto calls = connector_.calls();
  ASSERT_EQ(calls.size(), before + 2) << AllBodies();
  EXPECT_EQ(calls[before].path, "/teams/v3/conversations/a:1ana/activities");
  EXPECT_TRUE(Contains(calls[before].body, "https://lessonbook.example.com/book?t="))
      << calls[before].body;
  EXPECT_FALSE(Contains(calls[before + 1].body, "/book?t=")) << calls[before + 1].body;
  EXPECT_TRUE(Contains(calls[before + 1].body, kSentYouADm));
}

TEST_F(TeamsAdapterTest, ExportInTheOneToOneChatAnswersThereWithTheExportLink) {
  ASSERT_EQ(Post(Activity("export csv tag:email"), Token())->status, 200);
  Drain();
  auto calls = connector_.calls();
  ASSERT_FALSE(calls.empty());
  // The answer to a 1:1 message is a reply in that chat.
  EXPECT_EQ(calls.back().path.rfind("/teams/v3/conversations/a:1ana/activities", 0), 0u)
      << calls.back().path;
  EXPECT_TRUE(Contains(calls.back().body, "https://lessonbook.example.com/book/export?t="))
      << calls.back().body;
}

}  // namespace
}  // namespace lessonbook
