#include "adapters/web/web_adapter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr WorkspaceId kLocal = 7;
constexpr const char* kToken = "correct-horse-battery-staple";

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// No platform credentials, no public URL: open on loopback.
Config OpenConfig() { return Config{}; }

// A public URL closes the open mode; the token opens the chat again.
Config TokenConfig() {
  Config c;
  c.public_url = "https://lessons.example.com";
  c.web_token = kToken;
  return c;
}

HttpRequest Post(std::string path, std::string body, std::string host = "127.0.0.1:8080") {
  HttpRequest r;
  r.method = "POST";
  r.path = std::move(path);
  r.headers["host"] = std::move(host);
  r.headers["content-type"] = "application/json";
  r.body = std::move(body);
  r.request_id = "test";
  return r;
}

HttpRequest PostMessage(const json& body) { return Post("/web/messages", body.dump()); }

Status ParseStatus(WebAdapter& adapter, const HttpRequest& r) { return adapter.Parse(r).status(); }

// ---- parsing ----

TEST(WebAdapterParseTest, MessageBecomesACommandFromTheWebUser) {
  WebAdapter adapter(kLocal, OpenConfig());
  auto in = adapter.Parse(PostMessage(
      {{"text", "search subject lines"}, {"user", "alice"}, {"client_msg_id", "0b9f-11"}}));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->workspace_id, kLocal);
  EXPECT_EQ(in->platform, Platform::kWeb);
  EXPECT_EQ(in->user_id, "web:alice");
  EXPECT_EQ(in->user_name, "alice");
  EXPECT_EQ(in->channel_id, "web:general");
  EXPECT_EQ(in->reply_to, "web:general");
  EXPECT_EQ(in->request_key, "web:0b9f-11");
  ASSERT_TRUE(std::holds_alternative<CommandEvent>(in->event));
  EXPECT_EQ(std::get<CommandEvent>(in->event).text, "search subject lines");
}

TEST(WebAdapterParseTest, FormBecomesAFormSubmitWithJoinedMultiChoice) {
  WebAdapter adapter(kLocal, OpenConfig());
  auto in = adapter.Parse(Post("/web/forms", json{{"form_id", "postmortem"},
                                                  {"values",
                                                   {{"worked", "Subject lines\nwith numbers"},
                                                    {"tags", json::array({"email", "testing"})},
                                                    {"skip", nullptr}}},
                                                  {"state", "campaign=12"},
                                                  {"user", "bob"},
                                                  {"client_msg_id", "abc"}}
                                                 .dump()));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_TRUE(std::holds_alternative<FormSubmitEvent>(in->event));
  const auto& form = std::get<FormSubmitEvent>(in->event);
  EXPECT_EQ(form.form_id, "postmortem");
  EXPECT_EQ(form.state, "campaign=12");
  EXPECT_EQ(form.values.at("worked"), "Subject lines\nwith numbers");
  EXPECT_EQ(form.values.at("tags"), "email,testing");
  EXPECT_EQ(form.values.at("skip"), "");
  EXPECT_EQ(in->user_id, "web:bob");
  EXPECT_EQ(in->request_key, "web:abc");
}

TEST(WebAdapterParseTest, ActionBecomesAnActionEvent) {
  WebAdapter adapter(kLocal, OpenConfig());
  auto in = adapter.Parse(
      Post("/web/actions",
           json{{"action_id", "lesson.delete"}, {"value", "42"}, {"user", "carol"}}.dump()));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_TRUE(std::holds_alternative<ActionEvent>(in->event));
  EXPECT_EQ(std::get<ActionEvent>(in->event).action_id, "lesson.delete");
  EXPECT_EQ(std::get<ActionEvent>(in->event).value, "42");
  EXPECT_EQ(in->request_key, "");
}

TEST(WebAdapterParseTest, MalformedBodiesAreRejectedWithAClearMessage) {
  WebAdapter adapter(kLocal, OpenConfig());
  struct Case {
    std::string body;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"{\"text\": \"help\", ", "not valid JSON"},
      {"", "not valid JSON"},
      {"[\"help\"]", "must be a JSON object"},
      {"\"help\"", "must be a JSON object"},
      {R"({"user": "alice"})", "text is required"},
      {R"({"text": 42, "user": "alice"})", "text must be a string"},
      {R"({"text": "help"})", "user is required"},
      {R"({"text": "help", "user": ["alice"]})", "user must be a string"},
      {R"({"text": "help", "user": ""})", "user must be 1 to 64 characters"},
      {R"({"text": "help", "user": "   "})", "user must be 1 to 64 characters"},
      {R"({"text": "help", "user": "al\nice"})", "user must be printable"},
      {R"({"text": "help", "user": "alice", "client_msg_id": "a b"})", "client_msg_id"},
      {R"({"text": "help", "user": "alice", "client_msg_id": 5})", "client_msg_id must be"},
      {R"({"text": "   ", "user": "alice"})", "text is empty"},
      {R"({"text": "a\u0000b", "user": "alice"})", "control characters"},
  };
  for (const Case& c : cases) {
    const Status s = ParseStatus(adapter, Post("/web/messages", c.body));
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.body;
    EXPECT_TRUE(Contains(s.message(), c.message_part)) << c.body << " -> " << s.message();
  }
}

TEST(WebAdapterParseTest, UserNamesUpTo64CharactersOfAnyScriptAreAccepted) {
  WebAdapter adapter(kLocal, OpenConfig());
  std::string name;
  for (int i = 0; i < 64; ++i) name += "é";  // 64 characters, 128 bytes
  auto in = adapter.Parse(PostMessage({{"text", "help"}, {"user", name}}));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->user_name, name);

  const Status s = ParseStatus(adapter, PostMessage({{"text", "help"}, {"user", name + "e"}}));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "it has 65")) << s.message();
}

TEST(WebAdapterParseTest, TextOver12000BytesIsRejected) {
  WebAdapter adapter(kLocal, OpenConfig());
  auto ok = adapter.Parse(PostMessage({{"text", std::string(12000, 'x')}, {"user", "alice"}}));
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
  const Status s =
      ParseStatus(adapter, PostMessage({{"text", std::string(12001, 'x')}, {"user", "alice"}}));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "text is too long")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "12000")) << s.message();
}

TEST(WebAdapterParseTest, InvalidUtf8NamesTheField) {
  WebAdapter adapter(kLocal, OpenConfig());
  Status s = ParseStatus(adapter, Post("/web/messages", "{\"user\":\"alice\",\"text\":\"a\xff\"}"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "text is not valid UTF-8");

  s = ParseStatus(adapter, Post("/web/messages", "{\"text\":\"hi\",\"user\":\"al\xc3\"}"));
  EXPECT_EQ(s.message(), "user is not valid UTF-8");

  // An encoded surrogate (CESU-8) is not UTF-8 either.
  s = ParseStatus(adapter, Post("/web/messages", "{\"user\":\"a\",\"text\":\"\xed\xa0\x80\"}"));
  EXPECT_EQ(s.message(), "text is not valid UTF-8");

  s = ParseStatus(adapter, Post("/web/forms",
                                "{\"form_id\":\"f\",\"user\":\"a\",\"values\":{"
                                "\"goal\":\"\xc0\xaf\"}}"));
  EXPECT_EQ(s.message(), "values.goal is not valid UTF-8");
}

TEST(WebAdapterParseTest, Utf8CheckFollowsTheStandard) {
  WebAdapter adapter(kLocal, OpenConfig());
  auto text = [&](const std::string& t) {
    return ParseStatus(adapter, Post("/web/messages", "{\"user\":\"a\",\"text\":\"" + t + "\"}"));
  };
  EXPECT_TRUE(text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88").ok());
  for (const char* bad : {"\xc0\x80",          // overlong
                          "\xe0\x80\xaf",      // overlong
                          "\xed\xb0\x80",      // surrogate
                          "\xf4\x90\x80\x80",  // above U+10FFFF
                          "\xe2\x82",          // truncated
                          "\x80"}) {           // lone continuation byte
    EXPECT_EQ(text(bad).message(), "text is not valid UTF-8") << bad;
  }
}

TEST(WebAdapterParseTest, WrongTypesInFormsAndActionsAreRejected) {
  WebAdapter adapter(kLocal, OpenConfig());
  Status s = ParseStatus(adapter, Post("/web/forms", R"({"form_id":"f","user":"a","values":[1]})"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "values must be an object")) << s.message();

  s = ParseStatus(adapter, Post("/web/forms", R"({"form_id":"f","user":"a","values":{"n":3}})"));
  EXPECT_TRUE(Contains(s.message(), "values.n must be a string")) << s.message();

  s = ParseStatus(adapter, Post("/web/forms", R"({"user":"a","values":{}})"));
  EXPECT_TRUE(Contains(s.message(), "form_id is required")) << s.message();

  s = ParseStatus(adapter, Post("/web/actions", R"({"action_id":7,"user":"a"})"));
  EXPECT_TRUE(Contains(s.message(), "action_id must be a string")) << s.message();
}

TEST(WebAdapterParseTest, BodyMustBeSentAsJson) {
  WebAdapter adapter(kLocal, OpenConfig());
  HttpRequest r = PostMessage({{"text", "help"}, {"user", "alice"}});
  r.headers["content-type"] = "text/plain";
  const Status s = ParseStatus(adapter, r);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "Content-Type: application/json")) << s.message();
}

// ---- access ----

TEST(WebAdapterAccessTest, OpenOnLoopbackHostWithoutCredentials) {
  WebAdapter adapter(kLocal, OpenConfig());
  for (const char* host : {"127.0.0.1:8080", "localhost:8080", "localhost", "[::1]:8080"}) {
    HttpRequest r = PostMessage({{"text", "help"}, {"user", "alice"}});
    r.headers["host"] = host;
    EXPECT_TRUE(adapter.CheckAccess(r).ok()) << host;
    EXPECT_TRUE(adapter.Parse(r).ok()) << host;
  }
}

TEST(WebAdapterAccessTest, OpenModeIsClosedForANonLoopbackHost) {
  WebAdapter adapter(kLocal, OpenConfig());
  HttpRequest r = PostMessage({{"text", "help"}, {"user", "alice"}});
  r.headers["host"] = "lessons.example.com";
  const Status s = adapter.CheckAccess(r);
  EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(s.message(), "LESSONBOOK_WEB_TOKEN")) << s.message();
  EXPECT_EQ(ParseStatus(adapter, r).code(), Status::Code::kUnauthenticated);
}

TEST(WebAdapterAccessTest, OpenModeRefusesCrossSiteRequests) {
  WebAdapter adapter(kLocal, OpenConfig());
  HttpRequest r = PostMessage({{"text", "delete 1"}, {"user", "mallory"}});
  r.headers["origin"] = "https://evil.example";
  EXPECT_EQ(adapter.CheckAccess(r).code(), Status::Code::kPermissionDenied);
  r.headers["origin"] = "http://127.0.0.1:8080";
  EXPECT_TRUE(adapter.CheckAccess(r).ok());
}

TEST(WebAdapterAccessTest, BearerTokenRightWrongAndMissing) {
  WebAdapter adapter(kLocal, TokenConfig());
  HttpRequest r = PostMessage({{"text", "help"}, {"user", "alice"}});
  r.headers["host"] = "lessons.example.com";

  Status s = adapter.CheckAccess(r);
  EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(s.message(), "Authorization: Bearer")) << s.message();

  r.headers["authorization"] = "Bearer wrong-token";
  s = adapter.CheckAccess(r);
  EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(s.message(), "wrong")) << s.message();
  EXPECT_FALSE(Contains(s.message(), kToken));

  r.headers["authorization"] = std::string("Bearer ") + kToken + "x";
  EXPECT_EQ(adapter.CheckAccess(r).code(), Status::Code::kUnauthenticated);

  r.headers["authorization"] = std::string("Basic ") + kToken;
  EXPECT_EQ(adapter.CheckAccess(r).code(), Status::Code::kUnauthenticated);

  r.headers["authorization"] = std::string("Bearer ") + kToken;
  EXPECT_TRUE(adapter.CheckAccess(r).ok());
  EXPECT_TRUE(adapter.Parse(r).ok());

  r.headers["authorization"] = std::string("bearer ") + kToken;
  EXPECT_TRUE(adapter.CheckAccess(r).ok()) << "the scheme is case-insensitive";
}

TEST(WebAdapterAccessTest, TokenIsNeededEvenOnLoopbackWhenNotOpen) {
  WebAdapter adapter(kLocal, TokenConfig());
  HttpRequest r = PostMessage({{"text", "help"}, {"user", "alice"}});
  EXPECT_EQ(adapter.CheckAccess(r).code(), Status::Code::kUnauthenticated);
}

TEST(WebAdapterAccessTest, DisabledWhenNotOpenAndNoTokenConfigured) {
  Config c;
  c.slack_signing_secret = "s";
  c.slack_bot_token = "xoxb-1";
  WebAdapter adapter(kLocal, c);
  HttpRequest r = PostMessage({{"text", "help"}, {"user", "alice"}});
  r.headers["authorization"] = "Bearer anything";
  const Status s = adapter.CheckAccess(r);
  EXPECT_EQ(s.code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(Contains(s.message(), "set LESSONBOOK_WEB_TOKEN")) << s.message();
}

// ---- rendering ----

Message RichMessage() {
  Message m;
  m.text = "Found 1 lesson for \"subject lines\"";
  m.visibility = Visibility::kPrivate;
  Section s;
  s.text = {Plain("#12 "), Strong("Subject lines with numbers"),
            Span{" got 20% more ", false, false}, Span{"opens", false, true},
            Span{" <script>alert(1)</script>", false, false}};
  s.fields = {{"Outcome", "worked"}, {"Campaign", "Spring launch"}};
  s.context = "worked · #email · alice · 2026-03-02";
  s.buttons = {{"Edit", "lesson.edit", "12", ButtonStyle::kPrimary},
               {"Delete", "lesson.delete", "12", ButtonStyle::kDanger},
               {"More", "search.more", "page=2", ButtonStyle::kDefault}};
  m.sections.push_back(s);
  Form f;
  f.form_id = "lesson.edit";
  f.title = "Edit lesson #12";
  f.submit_label = "Save";
  f.state = "id=12";
  Input title{"title", "Title", InputKind::kText, {}, "Subject lines", "A short title", true, 200};
  Input body{"body", "What happened", InputKind::kMultilineText, {}, "", "", false, 0};
  Input outcome{"outcome",
                "Outcome",
                InputKind::kChoice,
                {{"worked", "Worked"}, {"flopped", "Flopped"}},
                "worked",
                "",
                true,
                0};
  Input tags{"tags",
             "Sections",
             InputKind::kMultiChoice,
             {{"email", "Email"}, {"seo", "SEO"}},
             "email",
             "",
             false,
             0};
  f.inputs = {title, body, outcome, tags};
  m.form = f;
  return m;
}

TEST(WebAdapterRenderTest, MessageViewIsAFaithfulJsonFormOfTheMessage) {
  WebAdapter adapter(kLocal, OpenConfig());
  Inbound in;
  in.channel_id = "web:general";
  in.reply_to = "web:general";
  const HttpResponse r = adapter.Render(in, Reply{RichMessage()});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.content_type, "application/json"));
  EXPECT_EQ(r.headers.at("Cache-Control"), "no-store");

  const json expected = R"({
    "messages": [{
      "text": "Found 1 lesson for \"subject lines\"",
      "is_error": false,
      "visibility": "private",
      "sections": [{
        "text": [
          {"text": "#12 ", "strong": false, "highlight": false},
          {"text": "Subject lines with numbers", "strong": true, "highlight": false},
          {"text": " got 20% more ", "strong": false, "highlight": false},
          {"text": "opens", "strong": false, "highlight": true},
          {"text": " <script>alert(1)</script>", "strong": false, "highlight": false}
        ],
        "fields": [{"label": "Outcome", "value": "worked"},
                   {"label": "Campaign", "value": "Spring launch"}],
        "context": "worked · #email · alice · 2026-03-02",
        "buttons": [
          {"label": "Edit", "action_id": "lesson.edit", "value": "12", "style": "primary"},
          {"label": "Delete", "action_id": "lesson.delete", "value": "12", "style": "danger"},
          {"label": "More", "action_id": "search.more", "value": "page=2", "style": "default"}
        ]
      }],
      "form": {
        "form_id": "lesson.edit", "title": "Edit lesson #12", "submit_label": "Save",
        "state": "id=12",
        "inputs": [
          {"id": "title", "label": "Title", "kind": "text", "choices": [],
           "initial": "Subject lines", "placeholder": "A short title", "required": true,
           "max_length": 200},
          {"id": "body", "label": "What happened", "kind": "multiline", "choices": [],
           "initial": "", "placeholder": "", "required": false, "max_length": 0},
          {"id": "outcome", "label": "Outcome", "kind": "choice",
           "choices": [{"value": "worked", "label": "Worked"},
                       {"value": "flopped", "label": "Flopped"}],
           "initial": "worked", "placeholder": "", "required": true, "max_length": 0},
          {"id": "tags", "label": "Sections", "kind": "multi_choice",
           "choices": [{"value": "email", "label": "Email"}, {"value": "seo", "label": "SEO"}],
           "initial": "email", "placeholder": "", "required": false, "max_length": 0}
        ]
      }
    }]
  })"_json;
  EXPECT_EQ(json::parse(r.body), expected) << r.body;
}

TEST(WebAdapterRenderTest, EmptyReplyRendersNoMessagesAndErrorsAreMarked) {
  WebAdapter adapter(kLocal, OpenConfig());
  Inbound in;
  EXPECT_EQ(json::parse(adapter.Render(in, Reply{}).body), json({{"messages", json::array()}}));

  Message error;
  error.text = "tag must be letters, digits or '-', e.g. #email";
  error.is_error = true;
  const json view = json::parse(adapter.Render(in, Reply{error}).body)["messages"][0];
  EXPECT_EQ(view["is_error"], true);
  EXPECT_EQ(view["sections"], json::array());
  EXPECT_FALSE(view.contains("form"));
}

TEST(WebAdapterRenderTest, InvalidUtf8InAMessageIsReplacedNotThrown) {
  Message m;
  m.text =
      "bad \xff"
      " byte";
  const json view = json::parse(RenderMessageView(m));
  EXPECT_EQ(view["text"],
            "bad \xef\xbf\xbd"
            " byte");
}

TEST(WebAdapterRenderTest, ChannelRepliesAreSharedToTheFeedOnce) {
  WebAdapter adapter(kLocal, OpenConfig());
  Inbound in;
  in.user_name = "alice";
  in.channel_id = "web:general";
  in.reply_to = "web:general";
  Message shared;
  shared.text = "Digest preview";
  shared.visibility = Visibility::kChannel;
  const json body = json::parse(adapter.Render(in, Reply{shared}).body);
  ASSERT_TRUE(body.contains("shared_seq"));

  std::int64_t last = 0;
  auto entries = adapter.ReadFeed("web:general", 0, 100, &last);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].seq, body["shared_seq"].get<std::int64_t>());
  EXPECT_EQ(entries[0].user, "alice");

  Message private_answer;
  private_answer.text = "Found 3 lessons";
  EXPECT_FALSE(json::parse(adapter.Render(in, Reply{private_answer}).body).contains("shared_seq"));
  EXPECT_EQ(adapter.ReadFeed("web:general", 0, 100, &last).size(), 1u)
      << "private answers stay private";
}

// ---- delivery and the feed ----

Outbound ToChannel(std::string target, std::string text) {
  Outbound out;
  out.workspace_id = kLocal;
  out.target = std::move(target);
  out.message.text = std::move(text);
  return out;
}

HttpRequest FeedRequest(std::string after) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/web/feed";
  r.headers["host"] = "localhost:8080";
  r.query["channel"] = "web:general";
  r.query["after"] = std::move(after);
  return r;
}

TEST(WebAdapterFeedTest, DeliveredMessagesComeBackWithIncreasingSeq) {
  WebAdapter adapter(kLocal, OpenConfig());
  EXPECT_EQ(adapter.Deliver(ToChannel("web:general", "first")).kind, Delivery::Kind::kSent);
  EXPECT_EQ(adapter.Deliver(ToChannel("web:general", "second")).kind, Delivery::Kind::kSent);

  HttpResponse r = adapter.Feed(FeedRequest("0"));
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["message"]["text"], "first");
  EXPECT_EQ(body["messages"][1]["message"]["text"], "second");
  const auto seq1 = body["messages"][0]["seq"].get<std::int64_t>();
  const auto seq2 = body["messages"][1]["seq"].get<std::int64_t>();
  EXPECT_LT(seq1, seq2);
  EXPECT_EQ(body["last"].get<std::int64_t>(), seq2);
  EXPECT_FALSE(body["messages"][0].contains("user"));

  // Polling from "last" returns only what is new.
  body = json::parse(adapter.Feed(FeedRequest(std::to_string(seq2))).body);
  EXPECT_EQ(body["messages"].size(), 0u);
  EXPECT_EQ(body["last"].get<std::int64_t>(), seq2);
  adapter.Deliver(ToChannel("web:general", "third"));
  body = json::parse(adapter.Feed(FeedRequest(std::to_string(seq2))).body);
  ASSERT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["messages"][0]["message"]["text"], "third");
  EXPECT_GT(body["messages"][0]["seq"].get<std::int64_t>(), seq2);
}

TEST(WebAdapterFeedTest, FeedKeepsTheNewestMessagesAndPagesThroughThem) {
  WebAdapterOptions o;
  o.feed_size = 5;
  o.feed_page = 2;
  WebAdapter adapter(kLocal, OpenConfig(), o);
  for (int i = 1; i <= 8; ++i) adapter.Deliver(ToChannel("web:general", "m" + std::to_string(i)));
  std::int64_t last = 0;
  auto page = adapter.ReadFeed("web:general", 0, 2, &last);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].message.text, "m4");  // m1..m3 were dropped
  EXPECT_EQ(page[1].message.text, "m5");
  EXPECT_EQ(last, page[1].seq);
  page = adapter.ReadFeed("web:general", last, 10, &last);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[2].message.text, "m8");
}

TEST(WebAdapterFeedTest, ACursorFromBeforeARestartStartsOver) {
  WebAdapter adapter(kLocal, OpenConfig());
  adapter.Deliver(ToChannel("web:general", "after restart"));
  const json body = json::parse(adapter.Feed(FeedRequest("9999")).body);
  ASSERT_EQ(body["messages"].size(), 1u);
}

TEST(WebAdapterFeedTest, FeedChecksAccessAndParameters) {
  WebAdapter closed(kLocal, TokenConfig());
  EXPECT_EQ(closed.Feed(FeedRequest("0")).status, 401);

  WebAdapter adapter(kLocal, OpenConfig());
  EXPECT_EQ(adapter.Feed(FeedRequest("-1")).status, 400);
  EXPECT_EQ(adapter.Feed(FeedRequest("abc")).status, 400);
  HttpRequest r = FeedRequest("0");
  r.query["channel"] = "slack:C123";
  EXPECT_EQ(adapter.Feed(r).status, 400);
}

TEST(WebAdapterFeedTest, DeliverRefusesTargetsThatAreNotWebChannels) {
  WebAdapter adapter(kLocal, OpenConfig());
  const Delivery d = adapter.Deliver(ToChannel("C0123", "x"));
  EXPECT_EQ(d.kind, Delivery::Kind::kFailed);
  EXPECT_TRUE(Contains(d.reason, "not a web channel")) << d.reason;
}

}  // namespace
}  // namespace lessonbook
