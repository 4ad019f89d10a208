// End to end: the real `lessonbook serve` binary on an ephemeral loopback port, driven over HTTP
// through the web chat's API exactly as the page drives it.
#include <httplib.h>
#include <signal.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using nlohmann::json;

// Every string in a JSON document, joined: what a person would read of an answer.
void Collect(const json& j, std::string* out) {
  if (j.is_string()) {
    *out += j.get<std::string>();
    *out += "\n";
  } else if (j.is_array() || j.is_object()) {
    for (const auto& v : j) Collect(v, out);
  }
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("lessonbook.db");
    server_ = std::make_unique<testing::ServerProcess>(
        std::map<std::string, std::string>{{"LESSONBOOK_DB", db_}}, dir_.File("server.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
  }

  std::string ServerLog() {
    std::ifstream in(dir_.File("server.log"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Sends a chat line as `user`; returns the status and what the answer says.
  std::pair<int, std::string> Chat(const std::string& text, const std::string& user = "ana",
                                   const std::string& id = "") {
    json body = {{"text", text}, {"user", user}};
    if (!id.empty()) body["client_msg_id"] = id;
    auto res = client_->Post("/web/messages", body.dump(), "application/json");
    if (!res) return {0, "no answer: " + httplib::to_string(res.error())};
    std::string said;
    try {
      Collect(json::parse(res->body), &said);
    } catch (const std::exception&) {
      said = res->body;
    }
    return {res->status, said};
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServeTest, HealthReadinessMetricsAndThePage) {
  auto health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto ready = client_->Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Lessonbook"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  Chat("add Metrics count lessons #testing");
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("lessonbook_lessons_stored 1"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("lessonbook_http_requests_total"), std::string::npos);
}

TEST_F(ServeTest, AddFindEditAndDeleteOverHttp) {
  auto [s1, a1] = Chat("add Subject lines with numbers got 20% more opens #email outcome:worked");
  ASSERT_EQ(s1, 200) << a1;
  EXPECT_NE(a1.find("Saved lesson #1"), std::string::npos) << a1;
  Chat("add Webinar without a partner co-host drew half the sign-ups #events outcome:flopped "
       "campaign:\"Q1 webinar\"");
  Chat("add Partner webinars convert leads better #events outcome:worked", "bo");

  EXPECT_NE(Chat("subject lines").second.find("1 lesson for \"subject lines\""), std::string::npos);
  EXPECT_NE(Chat("webinar tag:events").second.find("2 lessons"), std::string::npos);
  std::string flops = Chat("webinar outcome:flopped").second;
  EXPECT_NE(flops.find("1 lesson"), std::string::npos) << flops;
  EXPECT_NE(flops.find("co-host"), std::string::npos) << flops;
  EXPECT_NE(Chat("webinar by:@bo").second.find("Partner webinars"), std::string::npos);
  EXPECT_NE(Chat("tag:email since:2020-01-01").second.find("1 lesson"), std::string::npos);
  EXPECT_NE(Chat("tag:email since:2099-01-01").second.find("No lessons match"), std::string::npos);

  std::string edited = Chat("edit 1 outcome:change #email #testing").second;
  EXPECT_NE(edited.find("Updated lesson #1"), std::string::npos) << edited;
  EXPECT_NE(Chat("subject outcome:change").second.find("1 lesson"), std::string::npos);
  EXPECT_NE(Chat("delete 3").second.find("only its author or an admin"), std::string::npos);
  EXPECT_NE(Chat("delete 1").second.find("Deleted lesson #1"), std::string::npos);
  EXPECT_NE(Chat("subject lines").second.find("No lessons match"), std::string::npos);
}

TEST_F(ServeTest, BadInputIsAnsweredAndNothingIsStoredTwice) {
  auto malformed = client_->Post("/web/messages", "{not json", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  auto wrong_type = client_->Post("/web/messages", R"({"text": 5, "user": "ana"})",
                                  "application/json");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 400);
  auto huge = client_->Post("/web/messages", std::string(2 << 20, 'x'), "application/json");
  if (huge) {  // the server may also close the connection before the body is sent
    EXPECT_EQ(huge->status, 413);
  }
  // Raw bytes that are not UTF-8 inside the JSON string (a JSON library would refuse to write it).
  auto bytes = client_->Post("/web/messages", "{\"text\": \"add \xff\xfe\xfd\", \"user\": \"ana\"}",
                             "application/json");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->status, 400);
  EXPECT_NE(bytes->body.find("UTF-8"), std::string::npos) << bytes->body;

  EXPECT_NE(Chat("frobnicate").second.find("No lessons match"), std::string::npos);
  EXPECT_NE(Chat("search").second.find("What should I look for?"), std::string::npos);
  for (const char* q : {"\"", "*", "NEAR", ")", ":", "a\"b", "NEAR(a b)", "(("}) {
    auto [status, said] = Chat(std::string("search ") + q);
    EXPECT_EQ(status, 200) << q;
    EXPECT_EQ(said.find("went wrong"), std::string::npos) << q << ": " << said;
  }
  std::string big(10 * 1024, 'x');
  EXPECT_NE(Chat("add Ten kilobytes\n" + big).second.find("Saved lesson"), std::string::npos);

  Chat("add Retried once #email", "ana", "same-client-id");
  Chat("add Retried once #email", "ana", "same-client-id");
  EXPECT_NE(Chat("retried").second.find("1 lesson"), std::string::npos);

  auto health = client_->Get("/healthz");
  ASSERT_TRUE(health) << "the server survived";
  EXPECT_EQ(health->status, 200);
}

TEST_F(ServeTest, ForeignHostNeedsAToken) {
  httplib::Headers headers = {{"Host", "lessons.example.com"}};
  auto res = client_->Post("/web/messages", headers, R"({"text":"help","user":"ana"})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(ServeTest, SharedAnswersReachTheFeedThroughTheOutbox) {
  Chat("add Shared lessons travel #social");
  auto [status, said] = Chat("shared lessons --share");
  EXPECT_EQ(status, 200);
  std::string feed;
  for (int i = 0; i < 50 && feed.find("Shared lessons travel") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto res = client_->Get("/web/feed?channel=web:general&after=0");
    ASSERT_TRUE(res);
    feed = res->body;
  }
  EXPECT_NE(feed.find("Shared lessons travel"), std::string::npos) << feed;
}

TEST_F(ServeTest, SigtermStopsGracefullyAndDataSurvivesRestart) {
  Chat("add Lessons survive restarts #testing");
  EXPECT_EQ(server_->StopWith(SIGTERM), 0) << ServerLog();
  EXPECT_NE(ServerLog().find("server.stopped"), std::string::npos);
  server_ = std::make_unique<testing::ServerProcess>(
      std::map<std::string, std::string>{{"LESSONBOOK_DB", db_}}, dir_.File("server.log"));
  client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  EXPECT_NE(Chat("survive restarts").second.find("1 lesson"), std::string::npos);
}

TEST_F(ServeTest, APostMortemInTheMiddleSurvivesAKill) {
  ASSERT_NE(Chat("campaign new Restartable ends:2099-01-01 with:@bo learn:\"does it survive?\"")
                .second.find("is set up"),
            std::string::npos);
  ASSERT_NE(Chat("campaign end Restartable").second.find("has ended"), std::string::npos);
  std::string first = Chat("It survives restarts", "bo").second;
  ASSERT_NE(first.find("Question 2 of"), std::string::npos) << first;

  EXPECT_EQ(server_->StopWith(SIGKILL), 128 + SIGKILL);
  server_ = std::make_unique<testing::ServerProcess>(
      std::map<std::string, std::string>{{"LESSONBOOK_DB", db_}}, dir_.File("server.log"));
  client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());

  std::string next = Chat("Keeping state in the store worked", "bo").second;
  EXPECT_NE(next.find("Saved. Question 3 of"), std::string::npos) << "same place after restart: " << next;
  std::string back = Chat("back", "bo").second;
  EXPECT_NE(back.find("Your answer so far: Keeping state in the store worked"), std::string::npos)
      << back;
  std::string form = Chat("postmortem Restartable", "bo").second;
  EXPECT_NE(form.find("It survives restarts"), std::string::npos) << "earlier answers kept: " << form;
}

}  // namespace
}  // namespace lessonbook
