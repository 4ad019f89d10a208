// A team moved with CopyStore in the middle of its work carries on through the engine on the other
// store: a post-mortem a participant half answered in DM on the source resumes at the next
// question on the target, the DMs already sent are not sent again, the lessons the answers made
// are found by search, and the lessons added before the move keep their numbers. Both ways
// (SQLite → PostgreSQL and back); "Postgres/…", so it runs in ctest's postgres_store_tests.
#include <gtest/gtest.h>

#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/outbox.h"
#include "bot/postmortem.h"
#include "storage/copy_store.h"
#include "storage/store.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/message_text.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace lessonbook::testing {
namespace {

class RecordingPlatform final : public Deliverer {
 public:
  std::vector<Outbound> sent;
  Delivery Deliver(const Outbound& out) override {
    sent.push_back(out);
    return Delivery::Sent();
  }
  // Messages to target whose text holds `part` ("" for all of them).
  size_t To(const std::string& target, const std::string& part = "") const {
    size_t n = 0;
    for (const auto& o : sent) {
      n += o.target == target && o.message.text.find(part) != std::string::npos ? 1 : 0;
    }
    return n;
  }
};

// The engine, the post-mortem jobs and the outbox worker on one store.
struct Team {
  Team(Store& store, FakeClock& clock) : store(store), clock(clock), engine(store, clock) {
    worker.Register(Platform::kWeb, &platform);
  }
  Message Say(WorkspaceId ws, const std::string& user, const std::string& text) {
    Inbound in;
    in.workspace_id = ws;
    in.platform = Platform::kWeb;
    in.user_id = "web:" + user;
    in.channel_id = "web:general";
    in.reply_to = "web:general";
    in.event = CommandEvent{text};
    return engine.Handle(in).message.value_or(Message{});
  }
  void RunUntil(const char* until) {
    const Time end = *ParseRfc3339(until);
    PostmortemOptions o;
    while (clock.Now() < end) {
      clock.Advance(std::chrono::hours(1));
      OpenDuePostmortems(store, sets, clock.Now(), o);
      SendDueReminders(store, sets, clock.Now(), o);
      CloseDuePostmortems(store, sets, clock.Now(), o);
      while (worker.DrainOnce() > 0) {
      }
    }
  }

  Store& store;
  FakeClock& clock;
  Engine engine;
  QuestionSets sets = LoadQuestionSets("").value();
  RecordingPlatform platform;
  OutboxWorker worker{store, clock};
};

class CopyStoreEngineTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    Result<PostgresServer*> server = PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << "PostgreSQL did not start: " << server.status().ToString();
    server_ = *server;
    Result<std::string> uri = server_->CreateDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    pg_ = *uri;
  }
  void TearDown() override {
    if (!pg_.empty()) server_->DropDatabase(pg_);
  }
  std::string Location(StoreKind kind, const std::string& file) const {
    return kind == StoreKind::kPostgres ? pg_ : dir_.File(file);
  }

  PostgresServer* server_ = nullptr;
  std::string pg_;
  TempDir dir_;
};

TEST_P(CopyStoreEngineTest, AHalfAnsweredPostmortemResumesOnTheNewStore) {
  const StoreKind from = GetParam();
  const StoreKind to = from == StoreKind::kSqlite ? StoreKind::kPostgres : StoreKind::kSqlite;
  FakeClock clock{*ParseRfc3339("2026-11-23T09:00:00Z")};  // Monday 10:00 Berlin
  std::unique_ptr<Store> source = std::move(OpenStore(Location(from, "source.db")).value());
  Workspace w;
  w.platform = Platform::kWeb;
  w.external_id = "local";
  w.timezone = "Europe/Berlin";
  const WorkspaceId ws = source->EnsureWorkspace(w).value().id;
  LessonId before_move = 0;
  {
    Team team(*source, clock);
    Message added = team.Say(ws, "ana", "add Partner co-hosts doubled webinar attendance #events");
    ASSERT_FALSE(added.is_error) << added.text;
    before_move = source->CountLessons(ws).value();
    ASSERT_FALSE(
        team.Say(ws, "ana", "campaign new \"Q1 webinar\" ends:2026-11-25 with:@bo").is_error);
    team.RunUntil("2026-11-25T16:00:00Z");  // it ended: the DMs went out
    ASSERT_EQ(team.platform.To("dm:web:bo", "Question 1 of"), 1u);
    ASSERT_NE(team.Say(ws, "bo", "300").text.find("Question 2"), std::string::npos);
  }

  std::unique_ptr<Store> target = std::move(OpenStore(Location(to, "target.db")).value());
  Result<CopyReport> report = CopyStore(*source, *target);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->verify_failure, "");
  source.reset();

  Team team(*target, clock);
  // Bo goes on where he was: question 2 is skipped, question 3 comes.
  Message next = team.Say(ws, "bo", "skip");
  EXPECT_NE(next.text.find("Skipped. Question 3"), std::string::npos) << next.text;
  Message answered = team.Say(ws, "bo", "Webinars on Tuesdays work");
  EXPECT_NE(answered.text.find("Question 4"), std::string::npos) << answered.text;
  team.Say(ws, "bo", "Too many speakers");
  team.Say(ws, "bo", "Fewer speakers");
  team.Say(ws, "bo", "events");
  Message done = team.Say(ws, "bo", "5");
  EXPECT_NE(done.text.find("Thank you"), std::string::npos) << done.text;
  // The hours after the move send nothing twice: no new post-mortem, no repeated question.
  team.RunUntil("2026-11-25T19:00:00Z");
  EXPECT_EQ(team.platform.To("dm:web:bo", "Question 1 of"), 0u)
      << "the first question went out before the move";
  EXPECT_EQ(team.platform.To("dm:web:ana", "Question 1 of"), 0u);
  // Search finds the lesson from before the move and the ones bo's answers made after it.
  EXPECT_NE(MessageText(team.Say(ws, "ana", "search co-hosts")).find("Partner co-hosts doubled"),
            std::string::npos);
  EXPECT_NE(MessageText(team.Say(ws, "ana", "search tuesdays")).find("Webinars on Tuesdays"),
            std::string::npos);
  Lesson first = target->GetLesson(ws, 1).value();
  EXPECT_EQ(first.title.rfind("Partner co-hosts doubled", 0), 0u) << first.title;
  EXPECT_GE(target->CountLessons(ws).value(), before_move + 1);
}

std::string Direction(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kSqlite ? "sqlite_to_postgres" : "postgres_to_sqlite";
}

INSTANTIATE_TEST_SUITE_P(Postgres, CopyStoreEngineTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), Direction);

}  // namespace
}  // namespace lessonbook::testing
