#include "adapters/web/web_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "adapters/web/assets.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// An engine stand-in: answers "you said: <text>", shared to the channel when asked to.
Reply Echo(const Inbound& in) {
  Message m;
  if (const auto* cmd = std::get_if<CommandEvent>(&in.event)) {
    m.text = "you said: " + cmd->text;
    if (cmd->text == "share") m.visibility = Visibility::kChannel;
  } else if (const auto* action = std::get_if<ActionEvent>(&in.event)) {
    m.text = "pressed " + action->action_id + "=" + action->value;
  } else if (const auto* form = std::get_if<FormSubmitEvent>(&in.event)) {
    m.text = "saved " + form->form_id + " tags=" + form->values.at("tags");
  }
  return Reply{m};
}

class WebChatServer {
 public:
  explicit WebChatServer(const Config& config) : adapter_(1, config), server_(Options()) {
    MountWebChat(server_, adapter_, InboundHandler(Echo));
    EXPECT_TRUE(server_.Bind().ok());
    thread_ = std::thread([this] { server_.Run(); });
    for (int i = 0; i < 5000 && !server_.running(); ++i) std::this_thread::sleep_for(1ms);
  }
  ~WebChatServer() {
    server_.Stop();
    thread_.join();
  }

  httplib::Client Client() { return httplib::Client("127.0.0.1", server_.port()); }
  WebAdapter& adapter() { return adapter_; }

 private:
  static HttpServerOptions Options() {
    HttpServerOptions o;
    o.port = 0;
    o.threads = 4;
    return o;
  }
  WebAdapter adapter_;
  HttpServer server_;
  std::thread thread_;
};

TEST(WebRoutesTest, PageAndAssetsAreServedWithAStrictCsp) {
  WebChatServer chat{Config{}};
  auto c = chat.Client();
  struct Case {
    const char* path;
    const char* type;
    const char* marker;
  };
  for (const Case& k : {Case{"/", "text/html", "Book of Learning"},
                        Case{"/web/static/chat.js", "text/javascript", "textContent"},
                        Case{"/web/static/chat.css", "text/css", ".msg"}}) {
    auto res = c.Get(k.path);
    ASSERT_TRUE(res) << k.path;
    EXPECT_EQ(res->status, 200) << k.path;
    EXPECT_TRUE(Contains(res->get_header_value("Content-Type"), k.type)) << k.path;
    EXPECT_TRUE(Contains(res->body, k.marker)) << k.path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), kWebContentSecurityPolicy);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  }
}

TEST(WebRoutesTest, PageHasNoInlineScriptOrStyleSoTheCspHolds) {
  const auto html = FindWebAsset("index.html");
  ASSERT_TRUE(html);
  const std::string page(*html);
  EXPECT_FALSE(std::regex_search(page, std::regex("<script(?![^>]*\\bsrc=)[^>]*>")))
      << "inline <script> would be blocked by script-src 'self'";
  EXPECT_FALSE(Contains(page, "<style")) << "inline <style> would be blocked";
  EXPECT_FALSE(Contains(page, "style=")) << "style attributes would be blocked";
  EXPECT_FALSE(std::regex_search(page, std::regex("\\son[a-z]+=")))
      << "inline event handlers would be blocked";
  EXPECT_FALSE(Contains(page, "http://")) << "no third-party requests";
  EXPECT_FALSE(Contains(page, "https://")) << "no third-party requests";
}

TEST(WebRoutesTest, ScriptRendersServerDataWithTextContentOnly) {
  const auto js = FindWebAsset("chat.js");
  ASSERT_TRUE(js);
  const std::string script(*js);
  for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                           "eval(", "new Function"}) {
    EXPECT_FALSE(Contains(script, sink)) << sink << " would let a lesson inject markup";
  }
  EXPECT_FALSE(Contains(script, "https://")) << "no third-party requests";
}

TEST(WebRoutesTest, MessagesGoThroughTheEngineAndComeBackAsJson) {
  WebChatServer chat{Config{}};
  auto c = chat.Client();
  auto res = c.Post("/web/messages", R"({"text":"search subject lines","user":"alice"})",
                    "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(Contains(res->get_header_value("Content-Type"), "application/json"));
  const json body = json::parse(res->body);
  EXPECT_EQ(body["messages"][0]["text"], "you said: search subject lines");

  res = c.Post("/web/actions", R"({"action_id":"search.more","value":"2","user":"alice"})",
               "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(json::parse(res->body)["messages"][0]["text"], "pressed search.more=2");

  res = c.Post("/web/forms",
               R"({"form_id":"lesson.new","values":{"tags":["email","seo"]},"user":"alice"})",
               "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(json::parse(res->body)["messages"][0]["text"], "saved lesson.new tags=email,seo");
}

TEST(WebRoutesTest, RejectedRequestsGetTheirStatusAndText) {
  WebChatServer chat{Config{}};
  auto c = chat.Client();
  auto res = c.Post("/web/messages", R"({"text":"help"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(Contains(res->body, "user is required")) << res->body;

  res = c.Post("/web/messages", httplib::Headers{{"Origin", "https://evil.example"}},
               R"({"text":"help","user":"x"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
}

TEST(WebRoutesTest, TokenProtectedChatAnswers401UntilTheBearerTokenIsSent) {
  Config config;
  config.public_url = "https://lessons.example.com";
  config.web_token = "t0ken";
  WebChatServer chat{config};
  auto c = chat.Client();
  const std::string body = R"({"text":"help","user":"alice"})";

  auto res = c.Post("/web/messages", body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(c.Get("/web/feed")->status, 401);
  EXPECT_EQ(c.Get("/")->status, 200) << "the page itself loads, then asks for the token";

  c.set_bearer_token_auth("t0ken");
  res = c.Post("/web/messages", body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(c.Get("/web/feed")->status, 200);
}

TEST(WebRoutesTest, FeedShowsDeliveredAndSharedMessagesInOrder) {
  WebChatServer chat{Config{}};
  auto c = chat.Client();
  Outbound out;
  out.target = "web:general";
  out.message.text = "Weekly digest: 3 new lessons";
  ASSERT_EQ(chat.adapter().Deliver(out).kind, Delivery::Kind::kSent);
  auto res = c.Post("/web/messages", R"({"text":"share","user":"bob"})", "application/json");
  ASSERT_TRUE(res);
  const auto shared_seq = json::parse(res->body)["shared_seq"].get<std::int64_t>();

  res = c.Get("/web/feed?channel=web%3Ageneral&after=0");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json feed = json::parse(res->body);
  ASSERT_EQ(feed["messages"].size(), 2u);
  EXPECT_EQ(feed["messages"][0]["message"]["text"], "Weekly digest: 3 new lessons");
  EXPECT_EQ(feed["messages"][1]["message"]["text"], "you said: share");
  EXPECT_EQ(feed["messages"][1]["user"], "bob");
  EXPECT_EQ(feed["messages"][1]["seq"].get<std::int64_t>(), shared_seq);
  EXPECT_EQ(feed["last"].get<std::int64_t>(), shared_seq);
}

}  // namespace
}  // namespace lessonbook
