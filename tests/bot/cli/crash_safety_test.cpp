// Crash safety of acknowledged writes: the real `lessonbook serve` on a real SQLite file is killed
// with SIGKILL at random moments (seeded; the seed is printed and LESSONBOOK_CRASH_SEED replays
// it) while client threads submit, over loopback, web chat lessons, signed Slack `/lessons add`
// and `/lessons campaign new` commands, signed Events API DMs (with event ids) and post-mortem
// form answers. A client whose request got no answer sends exactly the same request again once
// the server is back, as Slack and the web page do. At the end every request that got a 2xx is
// in the store exactly once (events: handled from the inbox), nothing is there twice, the search
// index agrees with the lessons, and the database passes its integrity checks.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "adapters/http/url.h"
#include "adapters/slack/signature.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "storage/store.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kSigningSecret = "crash-signing-secret";
constexpr const char* kWebToken = "crash-web-token";
constexpr const char* kTeam = "T0ACME001";  // FakeSlack's auth.test team
constexpr int kKills = 10;
constexpr int kClients = 4;
constexpr int kAnswersPerClient = 100;  // post-mortem participants p<client*100 + k>
constexpr int kParticipants = kClients * kAnswersPerClient;

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

enum class Kind { kWebLesson, kSlashLesson, kSlashCampaign, kEventLesson, kAnswer };

// One request, built once: a retry sends the same bytes (Slack's timestamp and signature too).
struct Request {
  Kind kind;
  std::string marker;  // the unique text that shows in the store
  std::string path;
  httplib::Headers headers;
  std::string body;
  std::string content_type;
};

Request SlackSigned(Kind kind, std::string marker, std::string path, std::string body,
                    std::string content_type) {
  const std::string ts = std::to_string(NowSeconds());
  Request r{kind, std::move(marker), std::move(path), {}, std::move(body), std::move(content_type)};
  r.headers = {{"X-Slack-Request-Timestamp", ts},
               {"X-Slack-Signature", SignSlackRequest(kSigningSecret, ts, r.body)}};
  return r;
}

Request MakeRequest(int client, int n, std::int64_t pm_id, const std::string& response_url) {
  const std::string id = std::to_string(client) + "x" + std::to_string(n);
  // Each participant answers once; when a client has used its participants, it adds lessons.
  const int kind = n % 5 == 4 && n / 5 >= kAnswersPerClient ? 0 : n % 5;
  switch (kind) {
    case 0: {
      std::string marker = "Crash web lesson " + id;
      json body = {{"text", "add " + marker + " #testing outcome:worked"},
                   {"user", "writer" + std::to_string(client)},
                   {"client_msg_id", "crash-" + id}};
      return {Kind::kWebLesson, marker,
              "/web/messages",  {{"Authorization", std::string("Bearer ") + kWebToken}},
              body.dump(),      "application/json"};
    }
    case 1: {
      std::string marker = "Crash slash lesson " + id;
      return SlackSigned(Kind::kSlashLesson, marker, "/slack/commands",
                         FormEncode({{"team_id", kTeam},
                                     {"channel_id", "C0CRASH01"},
                                     {"user_id", "U0CRASH" + std::to_string(client)},
                                     {"user_name", "crash"},
                                     {"command", "/lessons"},
                                     {"text", "add " + marker + " #email"},
                                     {"response_url", response_url},
                                     {"trigger_id", "1.2." + id}}),
                         "application/x-www-form-urlencoded");
    }
    case 2: {
      std::string marker = "Crash campaign " + id;
      return SlackSigned(Kind::kSlashCampaign, marker, "/slack/commands",
                         FormEncode({{"team_id", kTeam},
                                     {"channel_id", "C0CRASH01"},
                                     {"user_id", "U0CRASH" + std::to_string(client)},
                                     {"user_name", "crash"},
                                     {"command", "/lessons"},
                                     {"text", "campaign new \"" + marker + "\" ends:2099-12-15"},
                                     {"response_url", response_url},
                                     {"trigger_id", "1.3." + id}}),
                         "application/x-www-form-urlencoded");
    }
    case 3: {
      std::string marker = "Crash event lesson " + id;
      json body = {{"type", "event_callback"},
                   {"team_id", kTeam},
                   {"api_app_id", "A0CRASH"},
                   {"event_id", "Ev" + id},
                   {"event_time", NowSeconds()},
                   {"event",
                    {{"type", "message"},
                     {"channel_type", "im"},
                     {"channel", "D0CRASH" + std::to_string(client)},
                     {"user", "U0CRASH" + std::to_string(client)},
                     {"text", "add " + marker + " #social"},
                     {"ts", std::to_string(NowSeconds()) + ".000" + id}}}};
      return SlackSigned(Kind::kEventLesson, marker, "/slack/events", body.dump(),
                         "application/json");
    }
    default: {
      const int participant = client * kAnswersPerClient + n / 5;
      std::string marker = "Crash answer " + id;
      json body = {{"form_id", kPostmortemFormId},
                   {"state", std::to_string(pm_id)},
                   {"values", {{"learned", marker}}},
                   {"user", "p" + std::to_string(participant)},
                   {"client_msg_id", "crash-answer-" + id}};
      return {Kind::kAnswer, marker,
              "/web/forms",  {{"Authorization", std::string("Bearer ") + kWebToken}},
              body.dump(),   "application/json"};
    }
  }
}

class CrashSafetyTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Env() {
    return {{"LESSONBOOK_DB", dir_.File("crash.db")},
            {"LESSONBOOK_WEB_TOKEN", kWebToken},
            {"SLACK_SIGNING_SECRET", kSigningSecret},
            {"SLACK_BOT_TOKEN", "xoxb-crash-token"},
            {"SLACK_API_BASE", slack_.api_base()},
            // The clients send hundreds of requests a second to one workspace: the per-workspace
            // limit would answer them "slow down" (a 200 that stores nothing) — off here.
            {"LESSONBOOK_WORKSPACE_RATE_PER_MINUTE", "0"}};
  }

  // The local web workspace with a campaign whose post-mortem is open for p0 … p399.
  std::int64_t PreparePostmortem() {
    auto store = std::move(OpenStore(dir_.File("crash.db")).value());
    Workspace w;
    w.platform = Platform::kWeb;
    w.external_id = "local";
    w.name = "Local web chat";
    Workspace ws = store->EnsureWorkspace(w).value();
    const Time now = SystemClock().Now();
    Campaign c;
    c.workspace_id = ws.id;
    c.platform = Platform::kWeb;
    c.name = "Crash review";
    c.owner = "web:p0";
    c.starts_at = now - std::chrono::hours(48);
    c.ends_at = now - std::chrono::hours(1);
    c.learning_goals = "does the store survive kills?";
    for (int i = 0; i < kParticipants; ++i) c.participants.push_back("web:p" + std::to_string(i));
    c.created_at = c.updated_at = now - std::chrono::hours(48);
    Campaign saved = store->CreateCampaign(c).value();
    auto sets = LoadQuestionSets("").value();
    EXPECT_TRUE(OpenPostmortem(*store, sets, saved, now, PostmortemOptions()).value());
    return store->PostmortemOfCampaign(ws.id, saved.id).value().id;
  }

  testing::TempDir dir_;
  testing::FakeSlack slack_;
};

TEST_F(CrashSafetyTest, EveryAcknowledgedRequestSurvivesRandomKillsExactlyOnce) {
  unsigned seed = static_cast<unsigned>(std::random_device{}());
  if (const char* s = std::getenv("LESSONBOOK_CRASH_SEED"); s != nullptr && *s != '\0') {
    seed = static_cast<unsigned>(std::strtoul(s, nullptr, 10));
  }
  std::cout << "[ crash ] seed " << seed << " (replay with LESSONBOOK_CRASH_SEED=" << seed << ")"
            << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 rng(seed);

  const std::int64_t pm_id = PreparePostmortem();
  std::atomic<int> port{0};
  std::atomic<bool> stop_sending{false};
  std::mutex mu;
  std::vector<Request> acked;      // got a 2xx
  std::vector<Request> attempted;  // sent at least once
  std::atomic<int> retries{0};
  std::atomic<int> non_2xx{0};

  auto client = [&](int c, unsigned client_seed) {
    std::mt19937 pause(client_seed);
    for (int n = 0; !stop_sending; ++n) {
      Request r = MakeRequest(c, n, pm_id, slack_.response_url("crash" + std::to_string(c)));
      {
        std::lock_guard lock(mu);
        attempted.push_back(r);
      }
      for (int attempt = 0;; ++attempt) {
        int p = port.load();
        if (p == 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        httplib::Client http("127.0.0.1", p);
        http.set_connection_timeout(1, 0);
        http.set_read_timeout(15, 0);
        auto res = http.Post(r.path, r.headers, r.body, r.content_type);
        if (!res) {  // the server died under us: the same request again
          ++retries;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        if (res->status >= 200 && res->status < 300) {
          std::lock_guard lock(mu);
          acked.push_back(r);
        } else {
          ++non_2xx;
          ADD_FAILURE() << r.path << " answered " << res->status << ": " << res->body;
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2 + pause() % 10));
    }
  };

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) clients.emplace_back(client, c, static_cast<unsigned>(rng()));
  for (int kill = 0; kill < kKills; ++kill) {
    testing::ServerProcess server(Env(), dir_.File("server.log"));
    port = server.port();
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 600));
    port = 0;
    EXPECT_EQ(server.StopWith(SIGKILL), 128 + SIGKILL);
  }
  {
    testing::ServerProcess server(Env(), dir_.File("server.log"));
    port = server.port();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop_sending = true;
    for (auto& t : clients) t.join();
    // Events acknowledged before the last kill are handled from the inbox now.
    auto store = std::move(OpenStore(dir_.File("crash.db")).value());
    for (int i = 0; i < 300; ++i) {
      auto pending = store->UnhandledInbox(10);
      ASSERT_TRUE(pending.ok());
      if (pending->empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(store->UnhandledInbox(10).value().empty()) << "the inbox drains after restart";
    EXPECT_EQ(server.StopWith(SIGTERM), 0);
  }

  auto store = std::move(OpenStore(dir_.File("crash.db")).value());
  std::map<std::string, int> lessons_with;  // marker -> lessons whose title holds it
  ASSERT_TRUE(store
                  ->ForEachLesson(std::nullopt,
                                  [&](const Lesson& l) {
                                    auto at = l.title.find("Crash ");
                                    if (at != std::string::npos) ++lessons_with[l.title];
                                    return Status::Ok();
                                  })
                  .ok());
  auto count_marker = [&](const std::string& marker) {
    int n = 0;
    for (const auto& [title, count] : lessons_with) {
      // "Crash web lesson 0x1" must not count "Crash web lesson 0x10".
      if (title == marker || title.rfind(marker + " ", 0) == 0 ||
          title.rfind(marker + ".", 0) == 0) {
        n += count;
      }
    }
    return n;
  };
  auto slack_ws = store->FindWorkspace(Platform::kSlack, kTeam).value();
  std::map<Kind, int> acked_by_kind;
  for (const Request& r : acked) {
    ++acked_by_kind[r.kind];
    switch (r.kind) {
      case Kind::kWebLesson:
      case Kind::kSlashLesson:
      case Kind::kEventLesson:
        EXPECT_EQ(count_marker(r.marker), 1) << r.marker;
        break;
      case Kind::kSlashCampaign:
        EXPECT_TRUE(store->FindCampaign(slack_ws.id, r.marker).ok()) << r.marker;
        break;
      case Kind::kAnswer: {
        json body = json::parse(r.body);
        auto answers = store->ListAnswers(pm_id, "web:" + body["user"].get<std::string>()).value();
        bool found = false;
        for (const Answer& a : answers) found |= a.question_id == "learned" && a.value == r.marker;
        EXPECT_TRUE(found) << r.marker;
        EXPECT_EQ(count_marker(r.marker), 1) << r.marker << " became one lesson";
        break;
      }
    }
  }
  // Nothing at all is there twice, acknowledged or not.
  for (const auto& [title, count] : lessons_with) EXPECT_EQ(count, 1) << title;
  for (const Request& r : attempted) {
    if (r.kind != Kind::kSlashCampaign) {
      EXPECT_LE(count_marker(r.marker), 1) << r.marker;
    }
  }
  // The search index agrees with the table.
  std::int64_t slack_lessons = store->CountLessons(slack_ws.id).value();
  LessonQuery q;
  q.workspace_id = slack_ws.id;
  q.words = {"crash"};
  q.limit = 1;
  auto page = store->SearchLessons(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(static_cast<std::int64_t>(page->total), slack_lessons);
  EXPECT_EQ(store->CheckIntegrity().value(), "ok");

  std::cout << "[ crash ] " << kKills << " SIGKILLs, " << attempted.size() << " requests, "
            << acked.size() << " acknowledged (web lessons " << acked_by_kind[Kind::kWebLesson]
            << ", slash lessons " << acked_by_kind[Kind::kSlashLesson] << ", slash campaigns "
            << acked_by_kind[Kind::kSlashCampaign] << ", events "
            << acked_by_kind[Kind::kEventLesson] << ", post-mortem answers "
            << acked_by_kind[Kind::kAnswer] << "), " << retries.load() << " resent after a kill, "
            << lessons_with.size() << " lessons, 0 lost, 0 duplicated" << std::endl;
  EXPECT_GT(retries.load(), 0) << "some requests were cut by a kill";
  EXPECT_EQ(non_2xx.load(), 0);
}

}  // namespace
}  // namespace lessonbook
