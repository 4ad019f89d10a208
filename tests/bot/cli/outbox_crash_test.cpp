// Crash safety of delivery: the real server is killed with SIGKILL at three points of sending an
// outbox message (claimed, delivered to the platform, marked sent) and in the middle of a bulk
// send; after a restart every message is delivered, and the only possible duplicate is the one
// that was on the wire. The platform is the loopback fake Bot Connector, which records every
// message it receives.
#include <signal.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <thread>

#include "adapters/teams/conversation_ref.h"
#include "bot/message_codec.h"
#include "storage/store.h"
#include "tests/fakes/fake_bot_connector.h"
#include "tests/fakes/fake_openid.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

constexpr const char* kTenant = "tenant-crash";

class OutboxCrashTest : public ::testing::Test {
 protected:
  // Queues n messages "msg-0" … to n different conversations (no pacing between them).
  void Queue(int n) {
    auto store = std::move(OpenStore(dir_.File("crash.db")).value());
    Workspace w;
    w.platform = Platform::kTeams;
    w.external_id = kTenant;
    Workspace ws = store->EnsureWorkspace(w).value();
    Time now = SystemClock().Now();
    ASSERT_TRUE(store->RememberTeamsServiceUrl(connector_.service_url(), now).ok());
    for (int i = 0; i < n; ++i) {
      teams::ConversationRef ref;
      ref.service_url = connector_.service_url();
      ref.conversation_id = "19:conv-" + std::to_string(i) + "@thread.tacv2";
      ref.conversation_type = "channel";
      ref.tenant_id = kTenant;
      ref.bot_id = "28:crash-app";
      OutboxMessage m;
      m.workspace_id = ws.id;
      m.platform = Platform::kTeams;
      m.target = teams::EncodeConversationRef(ref);
      Message text;
      text.text = "msg-" + std::to_string(i);
      text.visibility = Visibility::kChannel;
      m.message = EncodeMessage(text);
      m.next_attempt_at = now;
      m.created_at = now;
      ASSERT_TRUE(store->EnqueueOutbox(m).ok());
    }
  }

  std::map<std::string, std::string> Env(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {
        {"LESSONBOOK_DB", dir_.File("crash.db")},
        {"LESSONBOOK_OUTBOX_LEASE_SECONDS", "2"},
        {"TEAMS_APP_ID", "crash-app"},
        {"TEAMS_APP_PASSWORD", "crash-secret"},
        {"TEAMS_TENANT_ID", kTenant},
        {"TEAMS_OPENID_METADATA_URL", openid_.metadata_url()},
        {"TEAMS_TOKEN_URL", connector_.token_url(kTenant)},
        {"TEAMS_SERVICE_URL_ALLOWLIST", "127.0.0.1"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }

  // How many times the platform received each message text.
  std::map<std::string, int> Received() {
    std::map<std::string, int> seen;
    for (const auto& call : connector_.calls()) {
      if (call.json.is_object() && call.json.contains("text") && call.json["text"].is_string()) {
        ++seen[call.json["text"].get<std::string>()];
      }
    }
    return seen;
  }

  // Restarts without faults and waits until all n messages arrived; returns the duplicates.
  int RestartAndCountDuplicates(int n) {
    testing::ServerProcess again(Env(), dir_.File("server.log"));
    std::map<std::string, int> seen;
    for (int i = 0; i < 600 && static_cast<int>(seen.size()) < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      seen = Received();
    }
    EXPECT_EQ(static_cast<int>(seen.size()), n) << "every message is delivered after the restart";
    for (int i = 0; i < n; ++i) EXPECT_TRUE(seen.count("msg-" + std::to_string(i))) << i;
    int duplicates = 0;
    for (const auto& [text, count] : seen) duplicates += count - 1;
    again.StopWith(SIGTERM);
    return duplicates;
  }

  void CrashAt(const char* point, int after, int n) {
    Queue(n);
    testing::ServerProcess server(
        Env({{"LESSONBOOK_FAULT_POINT", point}, {"LESSONBOOK_FAULT_AFTER", std::to_string(after)}}),
        dir_.File("server.log"));
    ASSERT_EQ(server.WaitForExit(30), 128 + SIGKILL) << "the fault point was reached";
  }

  testing::TempDir dir_;
  testing::FakeOpenId openid_;
  testing::FakeBotConnector connector_;
};

TEST_F(OutboxCrashTest, KilledAfterClaimingSendsEverythingWithoutDuplicates) {
  CrashAt("outbox.claimed", 1, 20);
  EXPECT_TRUE(Received().empty()) << "nothing was sent before the kill";
  EXPECT_EQ(RestartAndCountDuplicates(20), 0);
}

TEST_F(OutboxCrashTest, KilledAfterThePlatformHasItSendsThatOneAtMostTwice) {
  CrashAt("outbox.delivered", 5, 20);
  EXPECT_EQ(Received().size(), 5u);
  EXPECT_LE(RestartAndCountDuplicates(20), 1);
}

TEST_F(OutboxCrashTest, KilledAfterMarkingSentSendsNothingTwice) {
  CrashAt("outbox.marked", 5, 20);
  EXPECT_EQ(Received().size(), 5u);
  EXPECT_EQ(RestartAndCountDuplicates(20), 0);
}

TEST_F(OutboxCrashTest, KilledInTheMiddleOfAThousandLosesNothing) {
  const int kN = 1000;
  Queue(kN);
  {
    testing::ServerProcess server(Env(), dir_.File("server.log"));
    for (int i = 0; i < 600 && connector_.calls().size() < kN / 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(server.StopWith(SIGKILL), 128 + SIGKILL);
  }
  size_t before = Received().size();
  EXPECT_GE(before, static_cast<size_t>(kN / 2));
  EXPECT_LT(before, static_cast<size_t>(kN)) << "killed half way";
  // One delivery worker: at most the one message in flight is sent twice.
  EXPECT_LE(RestartAndCountDuplicates(kN), 1);
}

TEST_F(OutboxCrashTest, RateLimitThenServerErrorThenSuccessIsDeliveredOnce) {
  connector_.Script({429, R"({"error":{"code":"TooManyRequests"}})", "1"});
  connector_.Script({500, R"({"error":{"code":"ServiceError"}})", ""});
  Queue(1);
  testing::ServerProcess server(Env(), dir_.File("server.log"));
  std::map<std::string, int> seen;
  for (int i = 0; i < 300 && seen["msg-0"] < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = Received();
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // room for a wrong extra send
  EXPECT_EQ(Received()["msg-0"], 3) << "429, then 500, then delivered, then never again";
  server.StopWith(SIGTERM);
  auto sent = testing::RunLessonbook({"outbox", "list", "--status", "sent"}, Env());
  EXPECT_NE(sent.out.find("1 message"), std::string::npos) << sent.out << sent.err;
}

TEST_F(OutboxCrashTest, PermanentErrorIsNotRetriedAndIsListed) {
  connector_.Script({403, R"({"error":{"code":"MessageWritesBlocked","message":"blocked"}})", ""});
  Queue(1);
  testing::ServerProcess server(Env(), dir_.File("server.log"));
  for (int i = 0; i < 100 && Received().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_EQ(Received()["msg-0"], 1) << "a permanent error is not retried";
  server.StopWith(SIGTERM);
  auto list = testing::RunLessonbook({"outbox", "list", "--status", "failed"}, Env());
  EXPECT_NE(list.out.find("MessageWritesBlocked"), std::string::npos) << list.out << list.err;
}

}  // namespace
}  // namespace lessonbook
