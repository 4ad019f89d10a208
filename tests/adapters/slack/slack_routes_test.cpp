// End to end, in process: the real HttpServer with the Slack routes, the real engine, inbox,
// outbox worker and SQLite store, driven over loopback HTTP with requests signed exactly as Slack
// signs them, against FakeSlack (a loopback fake Web API that records every call).
#include "adapters/slack/slack_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "adapters/http/url.h"
#include "adapters/slack/form_body.h"
#include "adapters/slack/oauth.h"
#include "adapters/slack/signature.h"
#include "bot/book_link.h"
#include "bot/digest.h"
#include "bot/lesson_text.h"
#include "bot/local_time.h"
#include "bot/outbox.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "bot/secret_box.h"
#include "bot/weekly_time.h"
#include "storage/store.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using nlohmann::json;
using testing::FakeSlack;
using testing::FakeSlackAnswer;

constexpr const char* kSecret = "e2e-signing-secret";
constexpr const char* kToken = "xoxb-111-222-abc";
constexpr const char* kTeam = "T0ACME001";
constexpr const char* kDataKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const std::string kBookLinkKey(32, 's');

Time RealNow() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class SlackRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void TearDown() override { Stop(); }

  void Start(std::chrono::milliseconds budget = std::chrono::milliseconds(2500), bool oauth = false,
             size_t command_threads = 0) {
    auto opened = OpenStore(dir_.File("slack.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    Workspace w;
    w.platform = Platform::kSlack;
    w.external_id = kTeam;
    w.name = "Acme";
    ws_ = *store_->EnsureWorkspace(w);
    EngineOptions engine_options;
    engine_options.book_links.key = kBookLinkKey;
    engine_options.book_links.base_url = "https://lessonbook.example.com";
    engine_ = std::make_unique<Engine>(*store_, clock_, engine_options);
    inbox_ = std::make_unique<InboxProcessor>(*store_, *engine_, clock_);
    worker_ = std::make_unique<OutboxWorker>(*store_, clock_);
    SlackAdapterOptions o;
    o.signing_secret = kSecret;
    o.bot_token = oauth ? "" : kToken;
    o.api.api_base = fake_.api_base();
    o.inline_budget = budget;
    o.command_threads = command_threads;
    if (oauth) {
      o.client_id = "123.456";
      o.client_secret = "client-secret";
      o.data_key = kDataKey;
    }
    auto adapter = SlackAdapter::Create(*store_, clock_, o);
    ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
    adapter_ = std::move(*adapter);
    adapter_->SetBotUserId(kTeam, "U0BOT0001");
    inbox_->Register(Platform::kSlack, adapter_.get());
    worker_->Register(Platform::kSlack, adapter_.get());
    HttpServerOptions so;
    so.port = 0;
    so.threads = 4;
    server_ = std::make_unique<HttpServer>(so);
    MountSlack(*server_, *adapter_, *engine_, *inbox_);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(20, 0);
  }

  void Stop() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    client_.reset();
    server_.reset();
    adapter_.reset();
    worker_.reset();
    inbox_.reset();
    engine_.reset();
    store_.reset();
  }

  httplib::Headers Signed(const std::string& body, long long ts) {
    const std::string t = std::to_string(ts);
    return {{"X-Slack-Request-Timestamp", t},
            {"X-Slack-Signature", SignSlackRequest(kSecret, t, body)}};
  }

  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& content_type, const httplib::Headers& headers) {
    return client_->Post(path, headers, body, content_type);
  }
  httplib::Result PostSigned(const std::string& path, const std::string& body,
                             const std::string& content_type) {
    return Post(path, body, content_type, Signed(body, ToUnix(clock_.Now())));
  }

  // A slash command body in the shape Slack sends.
  std::string SlashBody(const std::string& text, const std::string& team = kTeam,
                        const std::string& user = "U0ANA0001", const std::string& rid = "r1") {
    return FormEncode({{"token", "gIkuvaNzQIHg97ATvDxqgjtO"},
                       {"team_id", team},
                       {"team_domain", "acme"},
                       {"channel_id", "C0GENERAL1"},
                       {"channel_name", "general"},
                       {"user_id", user},
                       {"user_name", "ana"},
                       {"command", "/lessons"},
                       {"text", text},
                       {"api_app_id", "A0LESSONS1"},
                       {"is_enterprise_install", "false"},
                       {"response_url", fake_.response_url(rid)},
                       {"trigger_id", "13345224609.738474920.8088930838d88f008e0"}});
  }
  httplib::Result Slash(const std::string& text) {
    return PostSigned("/slack/commands", SlashBody(text), "application/x-www-form-urlencoded");
  }

  json EventBody(const json& event, const std::string& event_id) {
    return {{"token", "XXYYZZ"},
            {"team_id", kTeam},
            {"api_app_id", "A0LESSONS1"},
            {"event", event},
            {"type", "event_callback"},
            {"event_id", event_id},
            {"event_time", ToUnix(clock_.Now())},
            {"authorizations", json::array({{{"enterprise_id", nullptr},
                                             {"team_id", kTeam},
                                             {"user_id", "U0BOT0001"},
                                             {"is_bot", true},
                                             {"is_enterprise_install", false}}})}};
  }
  httplib::Result Event(const json& body) {
    return PostSigned("/slack/events", body.dump(), "application/json");
  }
  httplib::Result Interaction(const json& payload) {
    return PostSigned("/slack/interactivity", "payload=" + PercentEncode(payload.dump()),
                      "application/x-www-form-urlencoded");
  }

  void Drain() {
    while (inbox_->DrainOnce() > 0) {
    }
    while (worker_->DrainOnce() > 0) {
    }
  }

  // Drains the inbox and outbox until the fake Slack has seen `count` calls of `method` (or two
  // seconds passed: the caller's assertion on the calls then fails with the count).
  void DrainUntilCalls(const std::string& method, std::size_t count = 1) {
    for (int i = 0; i < 200 && fake_.Calls(method).size() < count; ++i) {
      Drain();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  Lesson AddLesson(const std::string& title, const std::string& body = "") {
    Lesson l;
    l.workspace_id = ws_.id;
    l.title = title;
    l.body = body;
    l.tags = {"email"};
    l.outcome = Outcome::kWorked;
    l.author = "U024BE7LH";
    l.created_at = l.updated_at = clock_.Now();
    return *store_->AddLesson(l);
  }

  static std::string AllText(const json& j) {
    std::string out;
    if (j.is_string()) return j.get<std::string>() + "\n";
    if (j.is_array() || j.is_object()) {
      for (const auto& v : j) out += AllText(v);
    }
    return out;
  }

  testing::TempDir dir_;
  FakeSlack fake_;
  FakeClock clock_{RealNow()};
  std::unique_ptr<Store> store_;
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<InboxProcessor> inbox_;
  std::unique_ptr<OutboxWorker> worker_;
  std::unique_ptr<SlackAdapter> adapter_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

// ---- verification ----

TEST_F(SlackRoutesTest, SslCheckGetsABare200WhereverItsFieldIs) {
  for (const char* body : {"ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO",
                           "token=gIkuvaNzQIHg97ATvDxqgjtO&ssl_check=1"}) {
    SCOPED_TRACE(body);
    auto res = Post("/slack/commands", body, "application/x-www-form-urlencoded", {});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "");
  }
}

TEST_F(SlackRoutesTest, ACommandWhoseTextSaysSslCheckIsAnsweredAsACommand) {
  AddLesson("ssl_check=1 pages load faster");
  const std::string body = SlashBody("search ssl_check=1");
  ASSERT_NE(body.find("ssl_check%3D1"), std::string::npos) << body;  // the text is encoded
  auto res = Slash("search ssl_check=1");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  ASSERT_FALSE(res->body.empty()) << "answered as Slack's SSL check";
  EXPECT_NE(AllText(json::parse(res->body)).find("pages load faster"), std::string::npos)
      << res->body;
}

TEST_F(SlackRoutesTest, UnsignedForgedExpiredAlteredAndReplayedRequestsGet401AndChangeNothing) {
  const std::string body = SlashBody("add Unsigned lessons must not be stored #email");
  const long long now = ToUnix(clock_.Now());
  httplib::Headers good = Signed(body, now);
  std::vector<std::pair<std::string, httplib::Headers>> cases = {
      {"missing signature", {{"X-Slack-Request-Timestamp", std::to_string(now)}}},
      {"forged signature",
       {{"X-Slack-Request-Timestamp", std::to_string(now)},
        {"X-Slack-Signature", SignSlackRequest("not-the-secret", std::to_string(now), body)}}},
      {"expired timestamp", Signed(body, now - 301)},
      {"future timestamp", Signed(body, now + 301)},
      // The body and signature of a request seen earlier, sent again with a fresh timestamp.
      {"replayed body with a fresh timestamp",
       {{"X-Slack-Request-Timestamp", std::to_string(now + 10)},
        {"X-Slack-Signature", good.find("X-Slack-Signature")->second}}},
  };
  for (const auto& [name, headers] : cases) {
    SCOPED_TRACE(name);
    auto res = Post("/slack/commands", body, "application/x-www-form-urlencoded", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    auto ev = Post("/slack/events", R"({"type":"url_verification","challenge":"x"})",
                   "application/json", headers);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->status, 401);
  }
  auto altered = Post("/slack/commands", body + "&x=1", "application/x-www-form-urlencoded", good);
  ASSERT_TRUE(altered);
  EXPECT_EQ(altered->status, 401);
  EXPECT_EQ(*store_->CountLessons(ws_.id), 0);
  EXPECT_TRUE(fake_.Calls().empty());
}

TEST_F(SlackRoutesTest, MalformedFormEncodingIs400) {
  auto res = PostSigned("/slack/commands", "team_id=T0ACME001&text=%G1&user_id=U1",
                        "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

// ---- slash commands ----

TEST_F(SlackRoutesTest, SlashSearchIsAnsweredInlineAsEphemeralBlockKit) {
  AddLesson("Subject lines with numbers got 20% more opens",
            "Tested on the Q1 <newsletter> & blog");
  auto res = Slash("search subject lines");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  json body = json::parse(res->body);
  EXPECT_EQ(body["response_type"], "ephemeral");
  const std::string text = AllText(body["blocks"]);
  EXPECT_NE(text.find("*#1 Subject lines with numbers got 20% more opens*"), std::string::npos)
      << text;
  EXPECT_NE(text.find("<@U024BE7LH>"), std::string::npos) << text;
  bool has_context = false;
  for (const auto& b : body["blocks"]) has_context |= b["type"] == "context";
  EXPECT_TRUE(has_context);
  EXPECT_TRUE(fake_.Calls().empty());  // nothing through the Web API
}

TEST_F(SlackRoutesTest, SlashShareIsAnsweredInlineInChannel) {
  AddLesson("Webinars need a partner co-host");
  auto res = Slash("webinars --share");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json body = json::parse(res->body);
  EXPECT_EQ(body["response_type"], "in_channel");
  EXPECT_NE(AllText(body).find("Webinars need a partner co-host"), std::string::npos);
  Drain();
  EXPECT_TRUE(fake_.Calls().empty());
}

TEST_F(SlackRoutesTest, ReplayedSlashAddWithinTheWindowStoresOneLesson) {
  const std::string body = SlashBody("add Short subject lines win #email outcome:worked");
  httplib::Headers headers = Signed(body, ToUnix(clock_.Now()));
  for (int i = 0; i < 2; ++i) {
    auto res = Post("/slack/commands", body, "application/x-www-form-urlencoded", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
}

TEST_F(SlackRoutesTest, SlashAddWithNoTextOpensTheModalAtOnce) {
  auto res = Slash("add");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
  auto calls = fake_.Calls("views.open");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].headers["authorization"], std::string("Bearer ") + kToken);
  EXPECT_EQ(calls[0].headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(calls[0].json["trigger_id"], "13345224609.738474920.8088930838d88f008e0");
  const json& view = calls[0].json["view"];
  EXPECT_EQ(view["type"], "modal");
  EXPECT_EQ(view["title"]["text"], "Add a lesson");
  EXPECT_EQ(view["blocks"][0]["block_id"], "text");
}

TEST_F(SlackRoutesTest, UserFromAnotherTeamIsRefusedWithAClearMessage) {
  auto res = PostSigned("/slack/commands", SlashBody("add sneaky", "T0OTHERORG"),
                        "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  json body = json::parse(res->body);
  EXPECT_EQ(body["response_type"], "ephemeral");
  EXPECT_NE(AllText(body).find("another organisation"), std::string::npos) << res->body;
  EXPECT_EQ(*store_->CountLessons(std::nullopt), 0);
}

// DESIGN.md: an acknowledged write is durable. A command answered with an empty 200 before its
// handler finished is kept in the inbox until the handler is done.
TEST_F(SlackRoutesTest, ADeferredCommandIsKeptInTheInboxUntilItsHandlerFinishes) {
  Stop();
  Start(std::chrono::milliseconds(0));
  auto res = Slash("add Deferred answers still store the lesson #email");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
  DrainUntilCalls("response_url");
  ASSERT_EQ(fake_.Calls("response_url").size(), 1u);
  EXPECT_EQ(store_->CountLessons(ws_.id).value(), 1);
  // The handler finished and marked its inbox row: nothing is left to handle twice.
  std::vector<InboxEvent> left;
  for (int i = 0; i < 200; ++i) {
    left = store_->UnhandledInbox(10).value();
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(left.empty());
  clock_.Advance(std::chrono::minutes(5));
  Drain();
  EXPECT_EQ(store_->CountLessons(ws_.id).value(), 1);
  EXPECT_EQ(fake_.Calls("response_url").size(), 1u);
}

// A process killed after the empty 200 leaves the command in the inbox: after restart it is
// handled once the grace for a running handler has passed, and writes the original handler
// already committed (same request key) are not repeated.
TEST_F(SlackRoutesTest, ADeferredCommandLeftByACrashIsHandledAfterRestartOnce) {
  const long long ts = ToUnix(clock_.Now());
  const std::string body1 =
      SlashBody("add Lost lessons are found again #email", kTeam, "U0ANA0001", "crash1");
  const std::string key1 = "slack:" + std::to_string(ts) + ":v0=aaaa";
  const std::string body2 =
      SlashBody("add Committed before the crash #email", kTeam, "U0ANA0001", "crash2");
  const std::string key2 = "slack:" + std::to_string(ts) + ":v0=bbbb";
  for (const auto& [body, key] : {std::pair{body1, key1}, std::pair{body2, key2}}) {
    InboxEvent row;
    row.platform = Platform::kSlack;
    row.event_id = "slash:" + key;
    row.workspace_id = ws_.id;
    row.payload = body;
    row.received_at = clock_.Now();
    ASSERT_TRUE(store_->RecordInbox(row).value());
  }
  // The second command's lesson was committed before the crash (same request key).
  Lesson committed;
  committed.workspace_id = ws_.id;
  committed.title = "Committed before the crash";
  committed.tags = {"email"};
  committed.author = "U0ANA0001";
  committed.created_at = committed.updated_at = clock_.Now();
  ASSERT_TRUE(store_->AddLesson(committed, key2).ok());

  Drain();  // within the grace: left to a handler that may still be running
  EXPECT_EQ(store_->UnhandledInbox(10).value().size(), 2u);
  EXPECT_EQ(store_->CountLessons(ws_.id).value(), 1);

  clock_.Advance(SlackAdapter::kDeferredCommandGrace + std::chrono::seconds(1));
  Drain();
  EXPECT_TRUE(store_->UnhandledInbox(10).value().empty());
  EXPECT_EQ(store_->CountLessons(ws_.id).value(), 2);  // one new, the committed one not again
  auto page = store_->SearchLessons([&] {
    LessonQuery q;
    q.workspace_id = ws_.id;
    q.words = {"lost", "found"};
    return q;
  }());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
  // Each command's answer went to its own response_url, issued under two minutes ago.
  EXPECT_EQ(fake_.Calls("response_url").size(), 2u);
}

TEST_F(SlackRoutesTest, SlowAnswerGoesToResponseUrlThenADmWhenItIsSpent) {
  Stop();
  Start(std::chrono::milliseconds(0));
  AddLesson("Landing pages with one call to action convert better");
  auto res = Slash("landing pages");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
  // The engine finishes in the background and queues the answer for response_url.
  DrainUntilCalls("response_url");
  auto posts = fake_.Calls("response_url");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json["response_type"], "ephemeral");
  EXPECT_EQ(posts[0].json["replace_original"], false);
  EXPECT_NE(AllText(posts[0].json["blocks"]).find("Landing pages"), std::string::npos);
  // 31 minutes later the response_url is spent: the next answer is a DM.
  Outbound late;
  late.workspace_id = ws_.id;
  late.target = R"({"t":"url","url":")" + fake_.response_url("r1") +
                R"(","ch":"C0GENERAL1","u":"U0ANA0001","at":)" +
                std::to_string(ToUnix(clock_.Now())) + "}";
  late.message.text = "later";
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_EQ(adapter_->Deliver(late).kind, Delivery::Kind::kSent);
  ASSERT_EQ(fake_.Calls("conversations.open").size(), 1u);
  EXPECT_EQ(fake_.Calls("conversations.open")[0].json["users"], "U0ANA0001");
  ASSERT_EQ(fake_.Calls("chat.postMessage").size(), 1u);
  EXPECT_EQ(fake_.Calls("chat.postMessage")[0].json["channel"], "D0BOTDM01");
  EXPECT_EQ(fake_.Calls("response_url").size(), 1u);
}

// With one command thread, commands that arrive together wait their turn and each is answered
// inline with its own results (none lost, none answered with another's).
TEST_F(SlackRoutesTest, CommandsBeyondTheThreadLimitWaitTheirTurnAndAreAllAnswered) {
  Stop();
  Start(std::chrono::milliseconds(2500), false, 1);
  const std::vector<std::string> words = {"alpha", "bravo",   "charlie", "delta",
                                          "echo",  "foxtrot", "golf",    "hotel"};
  for (const auto& w : words) AddLesson("Lesson about " + w + " campaigns");
  struct Answer {
    int status = 0;  // 0: no HTTP answer at all
    std::string body;
  };
  std::vector<Answer> answers(words.size());
  std::vector<std::thread> senders;
  for (size_t i = 0; i < words.size(); ++i) {
    senders.emplace_back([&, i] {
      httplib::Client client("127.0.0.1", server_->port());
      client.set_read_timeout(20, 0);
      const std::string body = SlashBody(words[i], kTeam, "U0ANA0001", "q" + std::to_string(i));
      auto res = client.Post("/slack/commands", Signed(body, ToUnix(clock_.Now())), body,
                             "application/x-www-form-urlencoded");
      if (res) answers[i] = {res->status, res->body};
    });
  }
  for (auto& t : senders) t.join();
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(answers[i].status, 200) << words[i];
    ASSERT_FALSE(answers[i].body.empty()) << words[i] << ": deferred, not answered inline";
    const std::string text = AllText(json::parse(answers[i].body)["blocks"]);
    EXPECT_NE(text.find("Lesson about " + words[i]), std::string::npos) << text;
    for (const auto& other : words) {
      if (other == words[i]) continue;
      EXPECT_EQ(text.find("about " + other), std::string::npos) << text;
    }
  }
  EXPECT_TRUE(fake_.Calls("response_url").empty());
}

TEST_F(SlackRoutesTest, SignedSearchOver100000LessonsFindsTheMatches) {
  std::vector<Lesson> lessons;
  lessons.reserve(100000);
  const char* topics[] = {"subject lines", "landing pages", "webinar hosts", "paid social",
                          "seo keyphrases"};
  for (int i = 0; i < 100000; ++i) {
    Lesson l;
    l.workspace_id = ws_.id;
    l.title = std::string("Lesson ") + std::to_string(i) + " about " + topics[i % 5];
    l.body = "What we saw in campaign " + std::to_string(i % 997) + " with " + topics[(i / 5) % 5];
    l.tags = {i % 2 ? "email" : "seo"};
    l.author = "U0ANA0001";
    l.source = LessonSource::kImport;
    l.created_at = l.updated_at = clock_.Now();
    lessons.push_back(std::move(l));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  auto res = Slash("search webinar hosts tag:email");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  // Inline when it is ready within the budget, else through response_url (a slow machine, a
  // sanitizer build): the same answer either way. Speed is measured in bench/, not here.
  json body;
  if (res->body.empty()) {
    DrainUntilCalls("response_url");
    auto posts = fake_.Calls("response_url");
    ASSERT_EQ(posts.size(), 1u);
    body = posts[0].json;
  } else {
    body = json::parse(res->body);
  }
  EXPECT_EQ(body["response_type"], "ephemeral");
  const std::string text = AllText(body);
  EXPECT_NE(text.find("webinar"), std::string::npos) << text;
  EXPECT_NE(text.find("#email"), std::string::npos) << text;
  EXPECT_EQ(text.find("#seo"), std::string::npos) << "tag:email filters: " << text;
}

// ---- Events API ----

TEST_F(SlackRoutesTest, UrlVerificationEchoesTheChallenge) {
  auto res = Event({{"token", "Jhj5dZrVaK7ZwHHjRyZWjbDl"},
                    {"challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"},
                    {"type", "url_verification"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST_F(SlackRoutesTest, AppMentionIsAnsweredEphemerallyWithoutTheBotMention) {
  AddLesson("Subject lines with numbers got 20% more opens");
  auto res = Event(EventBody({{"type", "app_mention"},
                              {"user", "U0ANA0001"},
                              {"text", "<@U0BOT0001> subject lines"},
                              {"ts", "1515449522.000016"},
                              {"channel", "C0GENERAL1"},
                              {"event_ts", "1515449522.000016"}},
                             "Ev0MENTION1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  Drain();
  auto calls = fake_.Calls("chat.postEphemeral");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].json["channel"], "C0GENERAL1");
  EXPECT_EQ(calls[0].json["user"], "U0ANA0001");
  EXPECT_EQ(calls[0].headers["authorization"], std::string("Bearer ") + kToken);
  EXPECT_NE(AllText(calls[0].json["blocks"]).find("Subject lines with numbers"), std::string::npos);
}

TEST_F(SlackRoutesTest, DirectMessageIsAnsweredInTheIm) {
  auto res = Event(EventBody({{"type", "message"},
                              {"channel", "D024BE91L"},
                              {"user", "U0ANA0001"},
                              {"text", "add Webinars need a co-host #events outcome:flopped"},
                              {"ts", "1355517523.000005"},
                              {"event_ts", "1355517523.000005"},
                              {"channel_type", "im"}},
                             "Ev0DM00001"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  Drain();
  auto calls = fake_.Calls("chat.postMessage");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].json["channel"], "D024BE91L");
  EXPECT_NE(AllText(calls[0].json).find("Saved"), std::string::npos) << calls[0].body;
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
}

TEST_F(SlackRoutesTest, RetriedEventIsAcknowledgedButHandledOnce) {
  json body = EventBody({{"type", "message"},
                         {"channel", "D024BE91L"},
                         {"user", "U0ANA0001"},
                         {"text", "add Retries must not duplicate #testing"},
                         {"ts", "1355517523.000006"},
                         {"channel_type", "im"}},
                        "Ev0RETRY01");
  ASSERT_EQ(Event(body)->status, 200);
  httplib::Headers retry = Signed(body.dump(), ToUnix(clock_.Now()));
  retry.emplace("X-Slack-Retry-Num", "1");
  retry.emplace("X-Slack-Retry-Reason", "http_timeout");
  auto again = Post("/slack/events", body.dump(), "application/json", retry);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  Drain();
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
  EXPECT_EQ(fake_.Calls("chat.postMessage").size(), 1u);
}

TEST_F(SlackRoutesTest, BotMessagesAndUnknownEventTypesAreAcknowledgedAndIgnored) {
  std::vector<json> events = {
      {{"type", "message"},
       {"channel", "D024BE91L"},
       {"user", "U0BOT0001"},
       {"text", "help"},
       {"channel_type", "im"}},
      {{"type", "message"},
       {"channel", "D024BE91L"},
       {"bot_id", "B0BOT0001"},
       {"text", "help"},
       {"channel_type", "im"}},
      {{"type", "message"},
       {"subtype", "message_changed"},
       {"channel", "D024BE91L"},
       {"channel_type", "im"}},
      {{"type", "reaction_added"}, {"user", "U0ANA0001"}, {"reaction", "thumbsup"}},
      {{"type", "message"},
       {"channel", "C0GENERAL1"},
       {"user", "U0ANA0001"},
       {"text", "hi"},
       {"channel_type", "channel"}},
  };
  int n = 0;
  for (const json& e : events) {
    auto res = Event(EventBody(e, "Ev0IGNORE" + std::to_string(n++)));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  auto other = Event({{"type", "something_new"}, {"team_id", kTeam}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  Drain();
  EXPECT_TRUE(fake_.Calls().empty());
}

TEST_F(SlackRoutesTest, MessageFromAnotherTeamInASharedChannelIsRefused) {
  json e = {{"type", "app_mention"},
            {"user", "U0EXTERN01"},
            {"user_team", "T0OTHERORG"},
            {"source_team", "T0OTHERORG"},
            {"text", "<@U0BOT0001> add sneaky"},
            {"channel", "C0SHARED01"}};
  ASSERT_EQ(Event(EventBody(e, "Ev0FOREIGN"))->status, 200);
  Drain();
  auto calls = fake_.Calls("chat.postEphemeral");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].json["user"], "U0EXTERN01");
  EXPECT_NE(calls[0].body.find("another organisation"), std::string::npos);
  EXPECT_EQ(*store_->CountLessons(std::nullopt), 0);
}

TEST_F(SlackRoutesTest, AppHomeOpenedPublishesTheHomeTab) {
  AddLesson("Subject lines with numbers got 20% more opens");
  json e = {{"type", "app_home_opened"},
            {"user", "U0ANA0001"},
            {"channel", "D0HOME0001"},
            {"event_ts", "1515449522000016"},
            {"tab", "home"}};
  ASSERT_EQ(Event(EventBody(e, "Ev0HOME001"))->status, 200);
  Drain();
  auto calls = fake_.Calls("views.publish");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].json["user_id"], "U0ANA0001");
  EXPECT_EQ(calls[0].json["view"]["type"], "home");
  const std::string text = AllText(calls[0].json["view"]);
  EXPECT_NE(text.find("Recent lessons"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject lines with numbers"), std::string::npos);
}

TEST_F(SlackRoutesTest, AppRateLimitedIsLoggedAndCountedInMetrics) {
  auto res = Event({{"token", "Jhj5dZrVaK7ZwHHjRyZWjbDl"},
                    {"type", "app_rate_limited"},
                    {"team_id", kTeam},
                    {"minute_rate_limited", 1518467820},
                    {"api_app_id", "A0LESSONS1"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("lessonbook_slack_app_rate_limited_total 1"), std::string::npos)
      << metrics->body;
}

TEST_F(SlackRoutesTest, AppUninstalledRemovesTheWorkspaceToken) {
  Workspace w = ws_;
  w.bot_token = "xoxb-stored";
  ASSERT_TRUE(store_->UpdateWorkspace(w).ok());
  json body = {{"token", "XXYYZZ"},          {"team_id", kTeam},
               {"api_app_id", "A0LESSONS1"}, {"event", {{"type", "app_uninstalled"}}},
               {"type", "event_callback"},   {"event_id", "Ev0UNINST1"},
               {"event_time", 1234567890}};
  ASSERT_EQ(Event(body)->status, 200);
  EXPECT_EQ(store_->GetWorkspace(ws_.id)->bot_token, "");
}

// ---- interactivity ----

TEST_F(SlackRoutesTest, PayloadThatIsNotJsonIs400) {
  auto res = PostSigned("/slack/interactivity", "payload=%7Bnot+json",
                        "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  auto none = PostSigned("/slack/interactivity", "other=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
}

TEST_F(SlackRoutesTest, MoreButtonIsAnsweredThroughResponseUrl) {
  for (int i = 0; i < 7; ++i) AddLesson("Email subject lines test " + std::to_string(i));
  json payload = {{"type", "block_actions"},
                  {"user", {{"id", "U0ANA0001"}, {"username", "ana"}, {"team_id", kTeam}}},
                  {"api_app_id", "A0LESSONS1"},
                  {"token", "9s8d9as89d8as9d8as989"},
                  {"container",
                   {{"type", "message"},
                    {"message_ts", "1548261231.000200"},
                    {"channel_id", "C0GENERAL1"},
                    {"is_ephemeral", true}}},
                  {"trigger_id", "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3"},
                  {"team", {{"id", kTeam}, {"domain", "acme"}}},
                  {"channel", {{"id", "C0GENERAL1"}, {"name", "general"}}},
                  {"response_url", fake_.response_url("more1")},
                  {"actions", json::array({{{"action_id", "search_more"},
                                            {"block_id", "b1"},
                                            {"text", {{"type", "plain_text"}, {"text", "More"}}},
                                            {"value", "5\nemail subject lines"},
                                            {"type", "button"},
                                            {"action_ts", "1548426417.840180"}}})}};
  auto res = Interaction(payload);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  Drain();
  auto posts = fake_.Calls("response_url");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/response/more1");
  EXPECT_EQ(posts[0].headers["content-type"], "application/json; charset=utf-8");
  const std::string text = AllText(posts[0].json["blocks"]);
  EXPECT_NE(text.find("Email subject lines test"), std::string::npos) << text;
}

json ViewSubmission(const std::string& text, const std::string& outcome, const std::string& rid,
                    const std::string& response_url) {
  json metadata = {{"s", ""},
                   {"r", "{\"t\":\"url\",\"url\":\"" + response_url +
                             "\",\"ch\":\"C0GENERAL1\",\"u\":\"U0ANA0001\",\"at\":" +
                             std::to_string(ToUnix(RealNow())) + "}"}};
  json values = {
      {"text", {{"text", {{"type", "plain_text_input"}, {"value", text}}}}},
      {"outcome",
       {{"outcome",
         {{"type", "static_select"},
          {"selected_option",
           {{"text", {{"type", "plain_text"}, {"text", outcome}}}, {"value", outcome}}}}}}},
      {"tags", {{"tags", {{"type", "plain_text_input"}, {"value", "email, subject-lines"}}}}},
      {"campaign", {{"campaign", {{"type", "plain_text_input"}, {"value", nullptr}}}}}};
  return {{"type", "view_submission"},
          {"team", {{"id", kTeam}, {"domain", "acme"}}},
          {"user", {{"id", "U0ANA0001"}, {"username", "ana"}, {"name", "ana"}, {"team_id", kTeam}}},
          {"api_app_id", "A0LESSONS1"},
          {"token", "9s8d9as89d8as9d8as989"},
          {"trigger_id", "12466734323.1395872398.4f3ab8b7a9ac"},
          {"view",
           {{"id", "V0VIEW" + rid},
            {"team_id", kTeam},
            {"type", "modal"},
            {"callback_id", "add_lesson"},
            {"private_metadata", metadata.dump()},
            {"hash", "156772938.1827394"},
            {"state", {{"values", values}}}}}};
}

TEST_F(SlackRoutesTest, ViewSubmissionSavesTheLessonAndConfirms) {
  auto res = Interaction(
      ViewSubmission("Short subject lines win", "worked", "1", fake_.response_url("add1")));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "");
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
  Drain();
  auto posts = fake_.Calls("response_url");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_NE(AllText(posts[0].json).find("Short subject lines win"), std::string::npos);
}

// A view submission's form body is over 8 KiB when a lesson is long and not ASCII (each "é"
// is six bytes percent-encoded): it is read whole and the lesson saved, not refused with 413 by
// the HTTP library's own form limit.
TEST_F(SlackRoutesTest, AViewSubmissionOverEightKiBIsHandledLikeAnyOther) {
  std::string text = "Long subject lines lost:";
  while (text.size() < 2900) text += " été à côté, déjà élève";
  const json payload = ViewSubmission(text, "flopped", "long", fake_.response_url("add-long"));
  ASSERT_GT(PercentEncode(payload.dump()).size(), 8192u);
  auto res = Interaction(payload);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
  LessonQuery q;
  q.workspace_id = ws_.id;
  q.words = {"élève"};
  auto found = store_->SearchLessons(q);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->hits.size(), 1u);
  const TitleAndBody expected = SplitTitleBody(text);  // every byte of the long text was read
  EXPECT_EQ(found->hits[0].lesson.title, expected.title);
  EXPECT_EQ(found->hits[0].lesson.body, expected.body);
}

TEST_F(SlackRoutesTest, ViewSubmissionErrorsComeBackInSlacksShape) {
  auto res = Interaction(ViewSubmission("   ", "sideways", "2", fake_.response_url("add2")));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json body = json::parse(res->body);
  EXPECT_EQ(body["response_action"], "errors");
  EXPECT_TRUE(body["errors"].contains("text")) << res->body;
  EXPECT_TRUE(body["errors"].contains("outcome")) << res->body;
  EXPECT_EQ(*store_->CountLessons(ws_.id), 0);
}

// ---- Web API failures through the outbox ----

TEST_F(SlackRoutesTest, RateLimited429WithRetryAfterIsSentOnceAfterTheWait) {
  fake_.Script(
      "chat.postEphemeral",
      {FakeSlackAnswer{429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "2"}}}});
  json e = {{"type", "app_mention"},
            {"user", "U0ANA0001"},
            {"text", "<@U0BOT0001> help"},
            {"channel", "C0GENERAL1"}};
  ASSERT_EQ(Event(EventBody(e, "Ev0RATE001"))->status, 200);
  Drain();
  EXPECT_EQ(fake_.Calls("chat.postEphemeral").size(), 1u);
  clock_.Advance(std::chrono::seconds(1));
  Drain();
  EXPECT_EQ(fake_.Calls("chat.postEphemeral").size(), 1u);  // not before Retry-After
  clock_.Advance(std::chrono::seconds(1));
  Drain();
  clock_.Advance(std::chrono::seconds(120));
  Drain();
  EXPECT_EQ(fake_.Calls("chat.postEphemeral").size(), 2u);  // the 429, then exactly one success
  EXPECT_EQ(store_->GetOutboxStats(clock_.Now())->sent, 1);
}

TEST_F(SlackRoutesTest, InvalidAuthFailsPermanentlyWithoutRetrying) {
  fake_.SetDefault("chat.postEphemeral",
                   FakeSlackAnswer{200, R"({"ok":false,"error":"invalid_auth"})", {}});
  json e = {{"type", "app_mention"},
            {"user", "U0ANA0001"},
            {"text", "<@U0BOT0001> help"},
            {"channel", "C0GENERAL1"}};
  ASSERT_EQ(Event(EventBody(e, "Ev0AUTH001"))->status, 200);
  Drain();
  clock_.Advance(std::chrono::hours(2));
  Drain();
  EXPECT_EQ(fake_.Calls("chat.postEphemeral").size(), 1u);
  auto failed = store_->ListOutbox(OutboxStatus::kFailed, 10);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_NE((*failed)[0].last_error.find("invalid_auth"), std::string::npos);
}

TEST_F(SlackRoutesTest, NotInChannelTellsTheAskerToInviteTheBot) {
  fake_.SetDefault("chat.postEphemeral",
                   FakeSlackAnswer{200, R"({"ok":false,"error":"not_in_channel"})", {}});
  json e = {{"type", "app_mention"},
            {"user", "U0ANA0001"},
            {"text", "<@U0BOT0001> help"},
            {"channel", "C0PRIVATE1"}};
  ASSERT_EQ(Event(EventBody(e, "Ev0NOTIN01"))->status, 200);
  Drain();
  auto dms = fake_.Calls("chat.postMessage");
  ASSERT_EQ(dms.size(), 1u);
  EXPECT_NE(dms[0].body.find("/invite @Lessonbook"), std::string::npos) << dms[0].body;
}

// ---- OAuth install ----

class SlackOAuthTest : public SlackRoutesTest {
 protected:
  void SetUp() override { Start(std::chrono::milliseconds(2500), true); }
};

TEST_F(SlackOAuthTest, InstallStoresAnEncryptedTokenAndTheInstallerAsAdmin) {
  auto install = client_->Get("/slack/install");
  ASSERT_TRUE(install);
  ASSERT_EQ(install->status, 302);
  const std::string location = install->get_header_value("Location");
  EXPECT_EQ(
      location.rfind(
          fake_.api_base().substr(0, fake_.api_base().size() - 4) + "/oauth/v2/authorize?", 0),
      0u)
      << location;
  EXPECT_NE(location.find("client_id=123.456"), std::string::npos);
  const std::string cookie = install->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  const std::string nonce =
      cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  const std::size_t s = location.find("state=") + 6;
  std::string state = location.substr(s, location.find('&', s) - s);
  state = *FormDecode(state);

  // Without the browser's cookie (CSRF): refused, nothing stored.
  auto forged = client_->Get("/slack/oauth/callback?code=abc&state=" + PercentEncode(state));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_TRUE(fake_.Calls("oauth.v2.access").empty());

  auto done = client_->Get("/slack/oauth/callback?code=abc&state=" + PercentEncode(state),
                           {{"Cookie", std::string(kSlackStateCookie) + "=" + nonce}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200) << done->body;
  auto calls = fake_.Calls("oauth.v2.access");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].form["code"], "abc");
  auto ws = store_->FindWorkspace(Platform::kSlack, "T0NEW0001");
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(ws->name, "New Team");
  EXPECT_EQ(ws->bot_token.rfind("v1:", 0), 0u) << ws->bot_token;
  EXPECT_EQ(ws->admins, std::vector<std::string>{"U0INSTALL1"});
  EXPECT_EQ(*adapter_->TokenFor(ws->id), "xoxb-installed-token");
}

TEST_F(SlackOAuthTest, StateChecksRefuseForgedExpiredAndForeignStates) {
  const Time now = RealNow();
  const std::string state =
      MakeOAuthState("client-secret", "n0nce", now + std::chrono::seconds(600));
  EXPECT_TRUE(CheckOAuthState("client-secret", state, "n0nce", now).ok());
  EXPECT_FALSE(CheckOAuthState("client-secret", state, "other", now).ok());
  EXPECT_FALSE(
      CheckOAuthState("client-secret", state, "n0nce", now + std::chrono::seconds(601)).ok());
  EXPECT_FALSE(CheckOAuthState("another-secret", state, "n0nce", now).ok());
  EXPECT_FALSE(CheckOAuthState("client-secret", "garbage", "n0nce", now).ok());
}

}  // namespace
}  // namespace lessonbook

namespace lessonbook {
namespace {

// ---- post-mortems in Slack: DMs out, a DM turn in, the form as a modal, answers as lessons ----

TEST_F(SlackRoutesTest, PostmortemGoesOutByDmAndIsAnsweredInTheImAndInAModal) {
  auto created = Slash(
      "campaign new \"Slack launch\" ends:2099-01-01 with:<@U0BO00001|bo> "
      "learn:\"does it work in Slack?\"");
  ASSERT_TRUE(created);
  ASSERT_NE(created->body.find("is set up"), std::string::npos) << created->body;
  ASSERT_NE(Slash("campaign end Slack launch")->body.find("has ended"), std::string::npos);
  Drain();
  // The channel note, then a DM to each participant (conversations.open + chat.postMessage).
  auto opens = fake_.Calls("conversations.open");
  ASSERT_EQ(opens.size(), 2u);
  std::set<std::string> users;
  for (const auto& o : opens) users.insert(o.json.value("users", ""));
  EXPECT_TRUE(users.count("U0ANA0001") && users.count("U0BO00001"));
  auto posts = fake_.Calls("chat.postMessage");
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].json["channel"], "C0GENERAL1");
  EXPECT_NE(AllText(posts[0].json).find("time for a short post-mortem"), std::string::npos);
  EXPECT_NE(AllText(posts[1].json).find("Question 1 of"), std::string::npos) << posts[1].body;
  // Each person's timezone comes from users.info, so reminders respect their night.
  auto infos = fake_.Calls("users.info");
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_NE(infos[0].headers["authorization"].find("Bearer xoxb-"), std::string::npos);
  auto tz = store_->GetPersonTimezone(ws_.id, "U0BO00001");
  ASSERT_TRUE(tz.ok());
  EXPECT_EQ(tz->value_or(""), "Europe/Berlin");

  // Bo answers the first question in the IM.
  auto dm = Event(EventBody({{"type", "message"},
                             {"channel", "D0BO000001"},
                             {"user", "U0BO00001"},
                             {"text", "Slack is where the team already talks"},
                             {"ts", "1355517523.000007"},
                             {"channel_type", "im"}},
                            "Ev0PMDM001"));
  ASSERT_EQ(dm->status, 200);
  Drain();
  auto replies = fake_.Calls("chat.postMessage");
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[3].json["channel"], "D0BO000001");
  EXPECT_NE(AllText(replies[3].json).find("Saved. Question 2 of"), std::string::npos)
      << replies[3].body;

  // Bo's App Home lists the post-mortem waiting for them.
  json home = {{"type", "app_home_opened"},
               {"user", "U0BO00001"},
               {"channel", "D0BO000001"},
               {"event_ts", "1515449522000017"},
               {"tab", "home"}};
  ASSERT_EQ(Event(EventBody(home, "Ev0PMHOME1"))->status, 200);
  Drain();
  auto published = fake_.Calls("views.publish");
  ASSERT_EQ(published.size(), 1u);
  EXPECT_NE(AllText(published[0].json["view"]).find("Post-mortem waiting for you: Slack launch"),
            std::string::npos)
      << published[0].body;

  // "Answer in a form" opens the modal at once with the button's trigger_id.
  auto campaign = store_->FindCampaign(ws_.id, "Slack launch");
  ASSERT_TRUE(campaign.ok());
  json press = {{"type", "block_actions"},
                {"user", {{"id", "U0BO00001"}, {"username", "bo"}, {"team_id", kTeam}}},
                {"api_app_id", "A0LESSONS1"},
                {"container", {{"type", "message"}, {"channel_id", "D0BO000001"}}},
                {"trigger_id", "99999.88888.pmform"},
                {"team", {{"id", kTeam}, {"domain", "acme"}}},
                {"channel", {{"id", "D0BO000001"}, {"name", "directmessage"}}},
                {"response_url", fake_.response_url("pm1")},
                {"actions", json::array({{{"action_id", "postmortem_form"},
                                          {"block_id", "b1"},
                                          {"value", std::to_string(campaign->id)},
                                          {"type", "button"},
                                          {"action_ts", "1548426417.840181"}}})}};
  ASSERT_EQ(Interaction(press)->status, 200);
  auto views = fake_.Calls("views.open");
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].json["trigger_id"], "99999.88888.pmform");
  const json& view = views[0].json["view"];
  EXPECT_EQ(view["callback_id"], "postmortem");
  EXPECT_NE(AllText(view).find("Slack is where the team already talks"), std::string::npos)
      << "the DM answer is prefilled";

  json values = {
      {"learned", {{"learned", {{"type", "plain_text_input"}, {"value", "Slack works for it"}}}}},
      {"worked",
       {{"worked",
         {{"type", "plain_text_input"}, {"value", "DMs get answers\nThreads stay tidy"}}}}}};
  json submit = {{"type", "view_submission"},
                 {"user", {{"id", "U0BO00001"}, {"username", "bo"}, {"team_id", kTeam}}},
                 {"team", {{"id", kTeam}, {"domain", "acme"}}},
                 {"view",
                  {{"callback_id", "postmortem"},
                   {"private_metadata", view["private_metadata"]},
                   {"state", {{"values", values}}}}}};
  auto saved = Interaction(submit);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->status, 200);
  Drain();
  LessonQuery q;
  q.workspace_id = ws_.id;
  q.campaign = "Slack launch";
  auto page = store_->SearchLessons(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3) << "learned + two things that worked";
  // Submitted twice: still three.
  ASSERT_EQ(Interaction(submit)->status, 200);
  EXPECT_EQ(store_->SearchLessons(q)->total, 3);
}

// A weekly digest subscribed by slash command arrives once, at 09:00 Berlin time on the week
// summer time starts, through the real Web API client and the loopback fake.
TEST_F(SlackRoutesTest, DigestArrivesInTheChannelAtNineLocalOnTheDstWeekOnce) {
  ws_.timezone = "Europe/Berlin";
  ASSERT_TRUE(store_->UpdateWorkspace(ws_).ok());
  auto sub = Slash("digest subscribe monday 09:00");
  ASSERT_TRUE(sub);
  ASSERT_NE(sub->body.find("Subscribed"), std::string::npos) << sub->body;
  AddLesson("Subject lines with numbers got 20% more opens");
  DigestOptions options;
  // Monday 2027-03-29 (summer time began Sunday): 09:00 CEST is 07:00 UTC (08:00 UTC would be the
  // winter-time answer).
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2027-03-29T06:59:00Z"), options), 0);
  Time nine = *ParseRfc3339("2027-03-29T07:00:00Z");
  ASSERT_EQ(FormatRfc3339(*WeeklyTimeInWeekOf(nine, 1, 540, "Europe/Berlin")),
            "2027-03-29T07:00:00Z");
  EXPECT_EQ(CreateDueDigests(*store_, nine, options), 1);
  EXPECT_EQ(CreateDueDigests(*store_, nine + std::chrono::minutes(5), options), 0);
  clock_.Set(nine);
  Drain();
  auto posts = fake_.Calls("chat.postMessage");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].json["channel"], "C0GENERAL1");
  EXPECT_NE(posts[0].headers["authorization"].find("Bearer xoxb-"), std::string::npos);
  EXPECT_NE(AllText(posts[0].json).find("weekly digest"), std::string::npos) << posts[0].body;
}

TEST_F(SlackRoutesTest, CampaignWithAChannelAsksItsMembers) {
  engine_->SetDirectory(Platform::kSlack, adapter_.get());  // as serve does
  fake_.SetDefault("conversations.members",
                   {200,
                    R"({"ok":true,"members":["U0BO00001","U0BOT0001","U0CY00001"],
                             "response_metadata":{"next_cursor":""}})",
                    {}});
  auto res = Slash("campaign new \"Launch week\" ends:2099-01-01 with:<#C0LAUNCH1|launch>");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("is set up"), std::string::npos) << res->body;
  auto calls = fake_.Calls("conversations.members");
  ASSERT_EQ(calls.size(), 1u);
  auto c = store_->FindCampaign(ws_.id, "Launch week");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->participants, (std::vector<std::string>{"U0ANA0001", "U0BO00001", "U0CY00001"}))
      << "the owner, then the channel's people, without the bot";
  fake_.Script("conversations.members", {{200, R"({"ok":false,"error":"not_in_channel"})", {}}});
  auto refused = Slash("campaign new \"Closed room\" ends:2099-01-01 with:<#C0SECRET1|secret>");
  EXPECT_NE(refused->body.find("invite @Lessonbook"), std::string::npos) << refused->body;
}

// A participant who has left the workspace cannot get the DM: that one message fails for good,
// the others are asked, and the summary still comes at the deadline.
TEST_F(SlackRoutesTest, AParticipantWhoLeftTheWorkspaceDoesNotStopThePostmortem) {
  ASSERT_NE(
      Slash("campaign new Departed ends:2099-01-01 with:<@U0GONE001|gone>")->body.find("is set up"),
      std::string::npos);
  fake_.Script("conversations.open", {{200, R"({"ok":true,"channel":{"id":"D0ANA0001"}})", {}},
                                      {200, R"({"ok":false,"error":"user_not_found"})", {}}});
  ASSERT_NE(Slash("campaign end Departed")->body.find("has ended"), std::string::npos);
  Drain();
  auto posts = fake_.Calls("chat.postMessage");
  ASSERT_EQ(posts.size(), 2u) << "the channel note and Ana's DM";
  EXPECT_EQ(posts[1].json["channel"], "D0ANA0001");
  auto failed = store_->ListOutbox(OutboxStatus::kFailed, 10);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_NE((*failed)[0].last_error.find("user_not_found"), std::string::npos);
  EXPECT_EQ((*failed)[0].target, "dm:U0GONE001");

  auto sets = LoadQuestionSets("");
  ASSERT_TRUE(sets.ok());
  // The first 10:00 in Berlin (the timezone users.info gave) after the reminder is due: Ana
  // gets a reminder DM.
  const Time opened = clock_.Now();
  clock_.Set(NextLocalHour(opened + std::chrono::hours(24), 10, "Europe/Berlin"));
  fake_.Script("conversations.open", {{200, R"({"ok":true,"channel":{"id":"D0ANA0001"}})", {}},
                                      {200, R"({"ok":false,"error":"user_not_found"})", {}}});
  EXPECT_GE(SendDueReminders(*store_, *sets, clock_.Now(), PostmortemOptions{}), 1);
  Drain();
  posts = fake_.Calls("chat.postMessage");
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[2].json["channel"], "D0ANA0001");
  EXPECT_NE(AllText(posts[2].json).find("A reminder"), std::string::npos) << posts[2].body;
  Time after_deadline = opened + std::chrono::hours(24 * 6);
  EXPECT_EQ(CloseDuePostmortems(*store_, *sets, after_deadline, PostmortemOptions{}), 1);
  clock_.Set(after_deadline);
  Drain();
  posts = fake_.Calls("chat.postMessage");
  ASSERT_FALSE(posts.empty());
  EXPECT_EQ(posts.back().json["channel"], "C0GENERAL1");
  EXPECT_NE(AllText(posts.back().json).find("0 of 2 people answered"), std::string::npos)
      << posts.back().body;
}

// ---- the Book of Learning ----

TEST_F(SlackRoutesTest, SlashBookAnswersEphemerallyWithASignedLinkForThisTeamAndUser) {
  auto res = Slash("book");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body);
  EXPECT_EQ(body["response_type"], "ephemeral");
  const std::string all = res->body;
  const std::string prefix = "https://lessonbook.example.com/book?t=";
  const std::size_t at = all.find(prefix);
  ASSERT_NE(at, std::string::npos) << all;
  std::size_t end = at + prefix.size();
  while (end < all.size() && (std::isalnum(static_cast<unsigned char>(all[end])) ||
                              all[end] == '-' || all[end] == '_' || all[end] == '.')) {
    ++end;
  }
  auto claims = VerifyBookLink(all.substr(at + prefix.size(), end - at - prefix.size()),
                               kBookLinkKey, clock_.Now());
  ASSERT_TRUE(claims.ok()) << claims.status().ToString() << " in " << all;
  EXPECT_EQ(claims->workspace_id, ws_.id);
  EXPECT_EQ(claims->workspace_external_id, kTeam);
  EXPECT_EQ(claims->user_id, "U0ANA0001");
  EXPECT_TRUE(fake_.Calls().empty());  // nothing posted to the channel
}

TEST_F(SlackRoutesTest, SlashExportAnswersEphemerallyAndRefusesAMemberTheWholeBook) {
  auto filtered = Slash("export md tag:email");
  ASSERT_TRUE(filtered);
  json body = json::parse(filtered->body);
  EXPECT_EQ(body["response_type"], "ephemeral");
  EXPECT_NE(filtered->body.find("https://lessonbook.example.com/book/export?t="), std::string::npos)
      << filtered->body;
  auto everything = Slash("export jsonl --share");
  ASSERT_TRUE(everything);
  json refused = json::parse(everything->body);
  EXPECT_EQ(refused["response_type"], "ephemeral");
  EXPECT_NE(everything->body.find("Only admins export the whole Book"), std::string::npos)
      << everything->body;
  EXPECT_TRUE(fake_.Calls().empty());
}

}  // namespace
}  // namespace lessonbook
