// Several replicas, one truth: two real `lessonbook serve` processes on one PostgreSQL database
// (the test run's server, tests/support/postgres_server.h), one fake Slack Web API, one signing
// secret. Signed slash commands (`/lessons add`, `/lessons search`, `digest subscribe`) and Events
// API DMs are spread over both replicas, as a load balancer would; weekly digests of eight
// channels in eight real timezones fall due at the same instant a few seconds after the start, and
// the replica that leads the scheduler is killed with SIGKILL while it creates them. A replacement
// replica then joins and dies too, by a fault point, just after Slack accepted a message from it
// and before the message was marked sent. A request that got no answer from a dying replica is sent
// again, byte for byte, to the other one (a load balancer's retry; Slack retries events the same
// way).
//
// What DESIGN.md's rules promise, and what is asserted:
//  - Generation is exactly once: one digest run and one digest outbox row per subscription,
//    "digest.created" logged at most eight times by all replicas together (seven when the killed
//    leader died between a commit and its log line), and a later leader creates none again.
//  - Sending is at least once: every outbox row is delivered to the fake Slack (matched by channel
//    and text), nothing is sent that is not in the outbox, and "the only duplicate a crash can
//    cause is the message on the wire at that moment": two kills, one delivery worker per process
//    sending one message at a time, so at most two duplicates in all — and at least one, the
//    message the replacement had on the wire, which the survivor sends again when its lease ends.
//  - An acknowledged write is durable and stored once: every lesson whose add (slash command or
//    DM event) got a 200 is in the store exactly once, including those retried on the other
//    replica after a kill (slash commands dedupe on timestamp and signature, events on their
//    event id in the shared inbox).
//  - Leadership is handed over when the leader dies (the advisory lock dies with its session).
//  - Search gives the same answer through every replica, and a lesson added through one is found
//    through the other.
// No timing is asserted; every wait polls with a generous deadline.
#include <date/tz.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/url.h"
#include "adapters/slack/block_kit.h"
#include "adapters/slack/signature.h"
#include "adapters/slack/targets.h"
#include "bot/message_codec.h"
#include "bot/weekly_time.h"
#include "storage/postgres/pg_connection.h"
#include "storage/store.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;
using SysClock = std::chrono::system_clock;

constexpr const char* kSigning = "replica-signing-secret";
constexpr const char* kTeam = "T0ACME001";  // FakeSlack's auth.test team
// One subscription per zone, all due at the same instant: whole-hour, half-hour and 45-minute
// offsets, both hemispheres' daylight-saving rules.
const char* const kZones[] = {"Europe/Berlin",    "America/New_York",   "Asia/Kolkata",
                              "Asia/Kathmandu",   "Australia/Adelaide", "America/St_Johns",
                              "Pacific/Auckland", "America/Los_Angeles"};
constexpr int kSubscriptions = sizeof(kZones) / sizeof(kZones[0]);
// The leader, killed from outside, and a replacement that kills itself at a fault point.
constexpr int kKills = 2;
// Words the lessons share, so searches find several of them.
const char* const kTopics[] = {"webinar follow-ups", "subject lines", "landing page hero",
                               "partner referrals", "pricing page test"};

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(SysClock::now().time_since_epoch())
      .count();
}

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Polls `done` every 20 ms until it holds or `seconds` pass; returns its last value.
bool WaitUntil(const std::function<bool()>& done, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int CountOccurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// One signed Slack request, built and signed once: a retry sends the same bytes.
struct SignedRequest {
  std::string marker;  // the unique text of the lesson it adds ("" when it adds none)
  std::string path;
  std::string body;
  std::string content_type;
  httplib::Headers headers;
};

SignedRequest Signed(std::string marker, std::string path, std::string body,
                     std::string content_type) {
  const std::string ts = std::to_string(NowSeconds());
  SignedRequest r{std::move(marker), std::move(path), std::move(body), std::move(content_type), {}};
  r.headers = {{"X-Slack-Request-Timestamp", ts},
               {"X-Slack-Signature", SignSlackRequest(kSigning, ts, r.body)}};
  return r;
}

SignedRequest SlashCommand(const std::string& user, const std::string& channel,
                           const std::string& text, const std::string& marker,
                           const std::string& response_url) {
  static std::atomic<int> trigger{0};
  return Signed(marker, "/slack/commands",
                FormEncode({{"team_id", kTeam},
                            {"channel_id", channel},
                            {"user_id", user},
                            {"user_name", user},
                            {"command", "/lessons"},
                            {"text", text},
                            {"response_url", response_url},
                            {"trigger_id", "7.7." + std::to_string(++trigger)}}),
                "application/x-www-form-urlencoded");
}

SignedRequest DmEvent(const std::string& event_id, const std::string& user,
                      const std::string& channel, const std::string& text,
                      const std::string& marker) {
  json body = {{"type", "event_callback"},
               {"team_id", kTeam},
               {"api_app_id", "A0REPLICA"},
               {"event_id", event_id},
               {"event_time", NowSeconds()},
               {"event",
                {{"type", "message"},
                 {"channel_type", "im"},
                 {"channel", channel},
                 {"user", user},
                 {"text", text},
                 {"ts", std::to_string(NowSeconds()) + ".000100"}}}};
  return Signed(marker, "/slack/events", body.dump(), "application/json");
}

struct Answer {
  int status = 0;  // 0: no answer (refused, or the process died under the request)
  std::string body;
};

Answer Post(int port, const SignedRequest& r) {
  if (port == 0) return {};
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(15, 0);
  auto res = http.Post(r.path, r.headers, r.body, r.content_type);
  if (!res) return {};
  return {res->status, res->body};
}

// The lesson ids ("#12 ") and the count line of a search answer, in order.
std::string SearchDigest(const std::string& body) {
  json answer = json::parse(body, nullptr, false);
  std::string text = answer.is_object() && answer.contains("text") && answer["text"].is_string()
                         ? answer["text"].get<std::string>()
                         : body;
  std::string ids;
  std::regex id(R"(\*#(\d+) )");
  for (std::sregex_iterator it(body.begin(), body.end(), id), end; it != end; ++it) {
    ids += " #" + (*it)[1].str() + ",";
  }
  return text + " |" + ids;
}

// "#12" from an add's answer ("Saved lesson #12.").
std::string SavedId(const std::string& body) {
  std::smatch m;
  return std::regex_search(body, m, std::regex(R"(Saved lesson (#\d+))")) ? m[1].str() : "#?";
}

class ReplicaTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto server = testing::PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << "PostgreSQL did not start: " << server.status().ToString();
    server_ = *server;
    auto uri = server_->CreateDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    uri_ = *uri;
    // Both replicas start together, as compose starts them: they migrate the empty database
    // under the migrations' advisory lock.
    std::thread other([this] { Start(1, "b"); });
    Start(0, "a");
    other.join();
    ASSERT_NE(ports_[0].load(), 0) << start_error_;
    ASSERT_NE(ports_[1].load(), 0) << start_error_;
    sql_ = std::make_unique<pg::PgConnection>(uri_);
    auto opened = OpenStore(uri_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }

  void TearDown() override {
    for (auto& r : replicas_) r.reset();  // SIGKILL whatever still runs
    store_.reset();
    sql_.reset();
    if (server_ != nullptr && !uri_.empty()) server_->DropDatabase(uri_);
  }

  std::map<std::string, std::string> Env() const {
    return {{"LESSONBOOK_DB", uri_},
            {"SLACK_SIGNING_SECRET", kSigning},
            {"SLACK_BOT_TOKEN", "xoxb-replica-token"},
            {"SLACK_API_BASE", slack_.api_base()},
            // A dead replica's claimed outbox rows are sent by the other after this lease.
            {"LESSONBOOK_OUTBOX_LEASE_SECONDS", "5"},
            // Hundreds of requests a minute from one workspace: the per-workspace limit is off.
            {"LESSONBOOK_WORKSPACE_RATE_PER_MINUTE", "0"}};
  }

  // Starts a replica in `slot` (0 or 1) with Env() plus `extra`, logging to replica-<name>.log.
  // May run on two threads at once for the two slots.
  void Start(int slot, const std::string& name,
             const std::map<std::string, std::string>& extra = {}) {
    logs_[slot] = dir_.File("replica-" + name + ".log");
    {
      std::lock_guard lock(start_mu_);
      all_logs_.push_back(logs_[slot]);
    }
    try {
      std::map<std::string, std::string> env = Env();
      for (const auto& [k, v] : extra) env[k] = v;
      replicas_[slot] = std::make_unique<testing::ServerProcess>(env, logs_[slot]);
      ports_[slot] = replicas_[slot]->port();
    } catch (const std::exception& e) {
      std::lock_guard lock(start_mu_);
      start_error_ += e.what();
    }
  }

  // Kills the replica in `slot` with SIGKILL; its port answers nothing from now on.
  void Kill(int slot) {
    ports_[slot] = 0;
    EXPECT_EQ(replicas_[slot]->StopWith(SIGKILL), 128 + SIGKILL);
  }

  // Sends r to the replica in `slot`, or, when that one does not answer, to the other: a load
  // balancer's retry of the same bytes. Gives up after 30 s.
  Answer Send(const SignedRequest& r, int slot) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (int attempt = 0; std::chrono::steady_clock::now() < deadline; ++attempt) {
      Answer a = Post(ports_[(slot + attempt) % 2].load(), r);
      if (a.status != 0) {
        if (attempt > 0) ++retried_;
        return a;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }

  // The pid in the scheduler lease's holder ("host:pid"), or -1 when nobody leads.
  pid_t LeaderPid() {
    pg::PgResult r = sql_->Exec("SELECT holder FROM leases WHERE name = 'scheduler'");
    if (r.rows() == 0) return -1;
    std::string holder = r.Text(0, 0);
    auto colon = holder.rfind(':');
    return colon == std::string::npos ? -1 : std::atoi(holder.c_str() + colon + 1);
  }

  int SlotOf(pid_t pid) const {
    for (int slot = 0; slot < 2; ++slot) {
      if (replicas_[slot] && ports_[slot] != 0 && replicas_[slot]->pid() == pid) return slot;
    }
    return -1;
  }

  std::int64_t Count(const std::string& sql) { return sql_->Exec(sql).Int(0, 0); }

  // How many times "digest.created" appears in every replica's log.
  int DigestsCreatedInLogs() const {
    int n = 0;
    for (const auto& log : all_logs_) n += DigestsCreatedInLog(log);
    return n;
  }
  static int DigestsCreatedInLog(const std::string& log) {
    return CountOccurrences(ReadFile(log), "event=digest.created");
  }

  WorkspaceId Workspace() {
    auto ws = store_->FindWorkspace(Platform::kSlack, kTeam);
    EXPECT_TRUE(ws.ok()) << ws.status().ToString();
    return ws.ok() ? ws->id : 0;
  }

  // How many lessons of the workspace hold `marker` in their title.
  std::map<std::string, int> LessonsByMarker() {
    std::map<std::string, int> seen;
    std::regex marker(R"(rl-[a-z]+-\d+)");
    (void)store_->ForEachLesson(Workspace(), [&](const Lesson& l) {
      std::smatch m;
      if (std::regex_search(l.title, m, marker)) ++seen[m.str()];
      return Status::Ok();
    });
    return seen;
  }

  // The same search through both live replicas: the same answer.
  std::string SearchBoth(const std::string& words) {
    std::string first, second;
    for (int slot = 0; slot < 2; ++slot) {
      // Its own request for each replica: a signed request sent twice would be a replay.
      Answer a = Post(ports_[slot].load(), SlashCommand("U0READER1", "C0GENERAL1", words, "",
                                                        slack_.response_url("search")));
      EXPECT_EQ(a.status, 200) << "search through replica " << slot << ": " << a.body;
      (slot == 0 ? first : second) = SearchDigest(a.body);
    }
    EXPECT_EQ(first, second) << "search \"" << words << "\" answers the same through both";
    return first;
  }

  testing::TempDir dir_;
  testing::FakeSlack slack_;
  testing::PostgresServer* server_ = nullptr;
  std::string uri_;
  std::unique_ptr<testing::ServerProcess> replicas_[2];
  std::atomic<int> ports_[2] = {0, 0};
  std::string logs_[2];
  std::mutex start_mu_;
  std::vector<std::string> all_logs_;  // guarded by start_mu_ while replicas start
  std::string start_error_;            // guarded by start_mu_ while replicas start
  std::unique_ptr<pg::PgConnection> sql_;
  std::unique_ptr<Store> store_;
  std::atomic<int> retried_{0};
};

TEST_P(ReplicaTest, LeaderKilledWhileDigestsFallDueLosesNothingAndCreatesEverythingOnce) {
  const auto test_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitUntil([&] { return SlotOf(LeaderPid()) >= 0; }, 30))
      << "one of the replicas takes the scheduler lease";

  // The next whole minute at least 6 s away: every subscription's weekly time, each in its zone.
  const auto due =
      std::chrono::ceil<std::chrono::minutes>(SysClock::now() + std::chrono::seconds(6));
  std::vector<std::string> channels;
  const auto due_s = std::chrono::time_point_cast<std::chrono::seconds>(due);
  for (int i = 0; i < kSubscriptions; ++i) {
    // A local time that occurs twice (the hour a clock goes back) is read as its first
    // occurrence: then this zone's subscription would be due an hour ago. Such a rare minute
    // uses a zone without daylight saving instead.
    std::string zone = kZones[i];
    const auto* tz = date::locate_zone(zone);
    if (tz->to_sys(tz->to_local(due_s), date::choose::earliest) != due_s) zone = "Asia/Tokyo";
    const date::zoned_time<std::chrono::seconds> local(zone, due_s);
    const auto local_time = local.get_local_time();
    const auto day = date::floor<date::days>(local_time);
    const int weekday = static_cast<int>(date::weekday(day).iso_encoding());
    const int minute = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(local_time - day).count());
    channels.push_back("C0DIGEST" + std::to_string(i));
    const std::string text = std::string("digest subscribe ") + WeekdayName(weekday) + " " +
                             FormatClock(minute) + " " + zone;
    Answer a = Send(SlashCommand("U0SUBSCR" + std::to_string(i), channels.back(), text, "",
                                 slack_.response_url("sub")),
                    i % 2);
    ASSERT_EQ(a.status, 200) << text << ": " << a.body;
    ASSERT_TRUE(Has(a.body, "Subscribed")) << text << ": " << a.body;
  }

  // Lessons through both replicas; each is found through the other.
  std::mutex mu;
  std::set<std::string> acked_slash, acked_dm;
  for (int i = 0; i < 10; ++i) {
    const std::string marker = "rl-early-" + std::to_string(i);
    const std::string text =
        "add Replica lesson " + marker + " about " + kTopics[i % 5] + " #events outcome:worked";
    Answer a = Send(SlashCommand("U0WRITER" + std::to_string(i % 3), "C0GENERAL1", text, marker,
                                 slack_.response_url("early")),
                    i % 2);
    ASSERT_EQ(a.status, 200) << a.body;
    ASSERT_TRUE(Has(a.body, "Saved lesson #")) << a.body;
    acked_slash.insert(marker);
  }
  for (const char* words : {"webinar", "subject lines", "pricing", "rl-early-3"}) {
    EXPECT_TRUE(Has(SearchBoth(words), "#")) << words << " finds lessons";
  }

  // Traffic while the digests fall due and the leader dies: slash adds and DM adds alternate
  // between the replicas; what the dying one does not answer goes to the other.
  std::atomic<bool> stop_traffic{false};
  std::atomic<int> unanswered{0};
  std::thread traffic([&] {
    for (int n = 0; !stop_traffic; ++n) {
      const std::string id = std::to_string(n);
      SignedRequest r;
      if (n % 2 == 0) {
        const std::string marker = "rl-slash-" + id;
        r = SlashCommand("U0WRITER" + std::to_string(n % 3), "C0GENERAL1",
                         "add Replica slash lesson " + marker + " on " + kTopics[n % 5] +
                             " #email outcome:change",
                         marker, slack_.response_url("slash" + id));
      } else {
        // Every DM from its own person in their own DM channel, so per-channel pacing does not
        // slow the replies down.
        const std::string marker = "rl-dm-" + id;
        r = DmEvent("EvReplica" + id, "U0DM" + id, "D0DM" + id,
                    "add Replica DM lesson " + marker + " on " + kTopics[n % 5] + " #social",
                    marker);
      }
      Answer a = Send(r, n % 2);
      if (a.status == 200) {
        std::lock_guard lock(mu);
        (n % 2 == 0 ? acked_slash : acked_dm).insert(r.marker);
      } else {
        ++unanswered;
        ADD_FAILURE() << r.path << " " << r.marker << " answered " << a.status << ": " << a.body;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
    }
  });

  // The leader is killed the moment the first digest run of the due time is in the store: it is
  // creating them, the rest are still to be made.
  while (SysClock::now() < due) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  bool generating = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
       !generating && std::chrono::steady_clock::now() < deadline;) {
    generating = Count("SELECT count(*) FROM digest_runs") > 0;
    if (!generating) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const int killed = SlotOf(LeaderPid());
  ASSERT_TRUE(generating) << "the leader creates the due digests";
  ASSERT_GE(killed, 0) << "a live replica leads";
  Kill(killed);
  const int survivor = 1 - killed;
  const std::int64_t runs_at_kill = Count("SELECT count(*) FROM digest_runs");
  std::cout << "[ replica ] killed the leader (replica " << killed << ") with " << runs_at_kill
            << " of " << kSubscriptions << " digest runs created" << std::endl;

  // Leadership moves to the survivor, which creates the rest. (The hand-over's duration is
  // printed, not asserted: the advisory lock makes it a scheduler tick, the lease's ttl 30 s.)
  const auto killed_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(WaitUntil([&] { return SlotOf(LeaderPid()) == survivor; }, 60))
      << "the survivor takes the scheduler over";
  const auto led_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(
      WaitUntil([&] { return Count("SELECT count(*) FROM digest_runs") == kSubscriptions; }, 60))
      << "every due digest is created";
  const auto all_runs_at = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::cout << "[ replica ] the survivor led " << ms(led_at - killed_at)
            << " ms after the kill and had created the other digest runs "
            << ms(all_runs_at - killed_at) << " ms after it" << std::endl;
  std::this_thread::sleep_for(std::chrono::seconds(2));  // more traffic on the survivor alone

  // A replacement joins while the traffic goes on (as the container would be restarted), and
  // dies in its turn: a fault point makes it SIGKILL itself the third time Slack has accepted a
  // message from it, before that message is marked sent. That message was on the wire at the
  // kill: the survivor sends it again when its lease ends.
  Start(killed, "c",
        {{"LESSONBOOK_FAULT_POINT", "outbox.delivered"}, {"LESSONBOOK_FAULT_AFTER", "3"}});
  ASSERT_NE(ports_[killed].load(), 0) << start_error_;
  const int replacement_exit = replicas_[killed]->WaitForExit(90);
  ports_[killed] = 0;
  EXPECT_EQ(replacement_exit, 128 + SIGKILL) << "the replacement reached its fault point";
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop_traffic = true;
  traffic.join();

  // Another replacement joins, for good.
  Start(killed, "d");
  ASSERT_NE(ports_[killed].load(), 0) << start_error_;

  // Every acknowledged event is handled (its reply queued), then everything queued is sent.
  const bool drained = WaitUntil(
      [&] {
        if (Count("SELECT count(*) FROM inbox WHERE NOT handled") > 0) return false;
        auto stats = store_->GetOutboxStats(SystemClock().Now());
        return stats.ok() && stats->pending == 0;
      },
      120);
  EXPECT_TRUE(drained) << "the inbox is handled and the outbox empties";

  // Generation exactly once.
  EXPECT_EQ(Count("SELECT count(*) FROM digest_runs"), kSubscriptions);
  EXPECT_EQ(Count("SELECT count(DISTINCT subscription_id) FROM digest_runs"), kSubscriptions);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'digest:%'"), kSubscriptions);
  // The killed leader may have died between a commit and its log line: one line fewer then.
  EXPECT_LE(DigestsCreatedInLogs(), kSubscriptions) << "no replica believes it made one twice";
  EXPECT_GE(DigestsCreatedInLogs(), kSubscriptions - 1);

  // Every outbox row was delivered: matched with the fake's calls by channel and text.
  auto rows = store_->ListOutbox(std::nullopt, 10000);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::map<std::pair<std::string, std::string>, int> expected;  // (channel or url path, text)
  int failed = 0;
  for (const auto& row : *rows) {
    if (row.status == OutboxStatus::kFailed) {
      ++failed;
      ADD_FAILURE() << "outbox row " << row.id << " failed: " << row.last_error;
    }
    auto message = DecodeMessage(row.message);
    auto target = DecodeSlackTarget(row.target);
    ASSERT_TRUE(message.ok() && target.ok()) << row.message << " to " << row.target;
    const std::string text = MessagePayload(*message)["text"].get<std::string>();
    std::string where;
    switch (target->kind) {
      case SlackTarget::Kind::kChannel:
        where = target->channel;
        break;
      case SlackTarget::Kind::kDm:
        where = "D0BOTDM01";  // FakeSlack's conversations.open
        break;
      case SlackTarget::Kind::kResponseUrl:
        where = target->url.substr(target->url.find("/response/"));
        break;
      case SlackTarget::Kind::kHome:
        ADD_FAILURE() << "no App Home is published in this test: " << row.target;
        break;
    }
    ++expected[{where, text}];
  }
  std::map<std::pair<std::string, std::string>, int> received;
  for (const auto& call : slack_.Calls()) {
    if (call.method != "chat.postMessage" && call.method != "chat.postEphemeral" &&
        call.method != "response_url") {
      continue;
    }
    const std::string where =
        call.method == "response_url" ? call.path : call.json.value("channel", std::string());
    ++received[{where, call.json.value("text", std::string())}];
  }
  int delivered = 0, duplicates = 0, missing = 0, unexpected = 0;
  for (const auto& [key, n] : expected) {
    const int got = received.count(key) ? received[key] : 0;
    delivered += std::min(got, n);
    if (got < n) {
      missing += n - got;
      ADD_FAILURE() << "not delivered to " << key.first << ": " << key.second;
    }
    duplicates += std::max(0, got - n);
  }
  for (const auto& [key, n] : received) {
    if (!expected.count(key)) {
      unexpected += n;
      ADD_FAILURE() << "sent but not in the outbox, to " << key.first << ": " << key.second;
    }
  }
  int digests_delivered = 0;
  for (const auto& channel : channels) {
    for (const auto& [key, n] : received) {
      if (key.first == channel) digests_delivered += n;
    }
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(unexpected, 0);
  EXPECT_EQ(failed, 0);
  EXPECT_GE(digests_delivered, kSubscriptions) << "every digest reached its channel";
  EXPECT_LE(digests_delivered, kSubscriptions + kKills);
  // The bound: each killed process had at most one message on the wire (one delivery worker,
  // one message at a time). The replacement certainly had one, and it was sent again.
  EXPECT_LE(duplicates, kKills) << "at most the message on the wire at each kill is sent twice";
  EXPECT_GE(duplicates, 1) << "the message on the wire when the replacement died is sent again";

  // Every acknowledged add is stored exactly once; every DM add got its reply.
  std::map<std::string, int> lessons = LessonsByMarker();
  for (const auto* acked : {&acked_slash, &acked_dm}) {
    for (const auto& marker : *acked) {
      EXPECT_EQ(lessons[marker], 1) << marker << " is stored exactly once";
    }
  }
  for (const auto& [marker, n] : lessons) {
    EXPECT_EQ(n, 1) << marker << " is stored once";
  }
  for (const auto& marker : acked_dm) {
    bool replied = false;
    for (const auto& [key, n] : received) {
      if (key.first == "D0DM" + marker.substr(6) && Has(key.second, "Saved lesson #"))
        replied = true;
    }
    if (!replied) {
      std::string sent;
      for (const auto& [key, n] : received) {
        if (Has(key.second, marker)) sent += "\n  " + key.first + ": " + key.second;
      }
      ADD_FAILURE() << "the DM that added " << marker << " got no answer; sent about it:" << sent;
    }
  }
  EXPECT_EQ(unanswered.load(), 0);

  // Search through the survivor and the replacement; adds through each found through the other.
  for (const char* words : {"webinar", "subject lines", "partner referrals", "pricing page test",
                            "rl-slash-4", "rl-dm-5", "rl-early-7"}) {
    EXPECT_TRUE(Has(SearchBoth(words), "#")) << words << " finds lessons";
  }
  Answer via_new = Send(SlashCommand("U0WRITER9", "C0GENERAL1",
                                     "add Replica lesson rl-late-1 quokkas love carousel ads #paid",
                                     "rl-late-1", slack_.response_url("late")),
                        killed);
  ASSERT_TRUE(Has(via_new.body, "Saved lesson #")) << via_new.body;
  Answer via_old =
      Send(SlashCommand("U0WRITER9", "C0GENERAL1",
                        "add Replica lesson rl-late-2 wombats prefer plain text #email",
                        "rl-late-2", slack_.response_url("late")),
           survivor);
  ASSERT_TRUE(Has(via_old.body, "Saved lesson #")) << via_old.body;
  EXPECT_TRUE(Has(SearchBoth("quokkas"), SavedId(via_new.body) + ","))
      << "added through the replacement, found through both: " << via_new.body;
  EXPECT_TRUE(Has(SearchBoth("wombats"), SavedId(via_old.body) + ","))
      << "added through the survivor, found through both: " << via_old.body;

  // The survivor stops; the replacement leads and runs the digest job again: nothing new.
  EXPECT_EQ(replicas_[survivor]->StopWith(SIGTERM), 0);
  ports_[survivor] = 0;
  EXPECT_TRUE(WaitUntil([&] { return SlotOf(LeaderPid()) == killed; }, 60))
      << "the replacement takes the scheduler over";
  std::this_thread::sleep_for(std::chrono::seconds(2));  // room for a wrong second digest
  EXPECT_EQ(Count("SELECT count(*) FROM digest_runs"), kSubscriptions);
  EXPECT_EQ(DigestsCreatedInLog(logs_[killed]), 0) << "the new leader creates no digest again";

  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - test_start)
                           .count();
  std::cout << "[ replica ] " << acked_slash.size() << " slash adds and " << acked_dm.size()
            << " DM adds acknowledged (" << retried_.load()
            << " of them sent again to the other replica after no answer), " << delivered
            << " outbox messages delivered (" << digests_delivered << " digests to "
            << kSubscriptions << " channels), " << duplicates << " duplicate(s), "
            << Count("SELECT count(*) FROM digest_runs") << " digest runs, " << seconds << " s"
            << std::endl;
  RecordProperty("delivered", delivered);
  RecordProperty("duplicates", duplicates);
  RecordProperty("runs_at_kill", static_cast<int>(runs_at_kill));
}

// "Postgres/…": the replicas share the test run's PostgreSQL server, in ctest's
// postgres_store_tests entry.
INSTANTIATE_TEST_SUITE_P(Postgres, ReplicaTest, ::testing::Values("TwoServeProcesses"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace lessonbook
