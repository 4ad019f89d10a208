// CopyStore (storage/copy_store.h) between a real SQLite file and the test run's real PostgreSQL,
// both ways: a database filled through the Store with every kind of row arrives whole (every
// table's rows equal, ids included) and behaves in the target — search finds the lessons, a
// post-mortem resumes where it was, a digest run is not made twice, the outbox keeps its pending
// and sent rows, the Book link secret and sealed token are the same, new ids come after the
// copied ones (a deleted lesson's too). A target with data is refused and left as it was; a copy
// that fails midway leaves the target empty; the source is never changed; SQLite → PostgreSQL →
// SQLite gives back the same rows.
//
// The suite is instantiated as "Postgres/…", so it runs in ctest's postgres_store_tests.
#include "storage/copy_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "storage/store.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace lessonbook::testing {
namespace {

using std::chrono::seconds;

// Every table as sorted lines "column=value|column=value…" (columns by name): two stores whose
// dumps are equal hold the same rows, whatever order their columns were created in.
using Dump = std::map<std::string, std::vector<std::string>>;

class RecordingSink final : public DataSink {
 public:
  explicit RecordingSink(Dump* dump) : dump_(dump) {}
  std::vector<std::string> TableOrder() const override { return {}; }
  Status BeginTable(const std::string& table, const std::vector<std::string>& columns) override {
    table_ = table;
    columns_ = columns;
    (*dump_)[table];
    return Status::Ok();
  }
  Status AddRows(const std::vector<std::vector<DataValue>>& rows) override {
    for (const auto& row : rows) {
      std::vector<std::string> cells;
      for (size_t i = 0; i < row.size(); ++i) cells.push_back(columns_[i] + "=" + Show(row[i]));
      std::sort(cells.begin(), cells.end());
      std::string line;
      for (const auto& c : cells) line += c + "|";
      (*dump_)[table_].push_back(line);
    }
    return Status::Ok();
  }
  Status EndTable(std::int64_t, std::int64_t) override {
    std::sort((*dump_)[table_].begin(), (*dump_)[table_].end());
    return Status::Ok();
  }

 private:
  static std::string Show(const DataValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
    if (const auto* s = std::get_if<std::string>(&v)) return "'" + *s + "'";
    return "NULL";
  }
  Dump* dump_;
  std::string table_;
  std::vector<std::string> columns_;
};

Dump DumpOf(Store& store) {
  Dump dump;
  RecordingSink sink(&dump);
  Status s = store.ExportData(sink);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return dump;
}

std::int64_t Rows(const Dump& dump) {
  std::int64_t n = 0;
  for (const auto& [table, rows] : dump) n += static_cast<std::int64_t>(rows.size());
  return n;
}

// What Fill stored, to look for in the target.
struct Filled {
  Workspace slack;
  Workspace teams;
  std::vector<Lesson> lessons;  // of the Slack workspace, alive
  LessonId deleted_lesson = 0;
  Campaign campaign;
  Postmortem postmortem;
  DigestSubscription subscription;
  std::int64_t pending_outbox = 0;
  std::int64_t sent_outbox = 0;
  std::int64_t failed_outbox = 0;
  std::string book_key;
};

OutboxMessage Message(WorkspaceId ws, const std::string& target, const std::string& key,
                      long long at) {
  OutboxMessage m;
  m.workspace_id = ws;
  m.platform = Platform::kSlack;
  m.target = target;
  m.message = "{\"text\":\"hello " + target + "\"}";
  m.dedupe_key = key;
  m.next_attempt_at = T(at);
  m.created_at = T(at);
  return m;
}

// Fills a store through its interface with a row in every table of the domain.
Filled Fill(Store& store, int lessons = 24) {
  Filled f;
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = "T0001";
  w.name = "Acme Marketing";
  w.timezone = "Europe/Berlin";
  w.bot_token = "v1:k1:bm9uY2U=:Y2lwaGVydGV4dA==";  // a sealed value: copied byte for byte
  w.admins = {"U1", "U2"};
  w.created_at = T(1000);
  f.slack = *store.EnsureWorkspace(w);
  Workspace t;
  t.platform = Platform::kTeams;
  t.external_id = "tenant-42";
  t.name = "Contoso";
  t.created_at = T(1001);
  f.teams = *store.EnsureWorkspace(t);
  const WorkspaceId ws = f.slack.id;

  EXPECT_TRUE(store.SetSetting(ws, "quiet_digest", "line").ok());
  EXPECT_TRUE(store.SetSetting(ws, "sections", "seo email paid").ok());

  const std::vector<std::string> topics = {"webinar", "newsletter", "landing", "retargeting",
                                           "pricing", "onboarding", "podcast", "giveaway"};
  for (int i = 0; i < lessons; ++i) {
    Lesson l;
    l.workspace_id = ws;
    l.title =
        "Lesson " + std::to_string(i) + " about the " + topics[i % topics.size()] + " campaign";
    l.body = "We learned that the " + topics[(i + 3) % topics.size()] + " audience answers " +
             std::to_string(i * 7) + " times better on Tuesdays.";
    l.tags = {i % 2 == 0 ? "email" : "seo", "q4"};
    l.outcome = static_cast<Outcome>(i % 4);
    l.author = "U" + std::to_string(1 + i % 3);
    l.source = i % 5 == 0 ? LessonSource::kImport : LessonSource::kManual;
    l.campaign = i % 3 == 0 ? "Spring Launch" : "";
    l.created_at = T(2000 + i * 60);
    l.updated_at = T(2000 + i * 60);
    Result<Lesson> stored = store.AddLesson(l, i % 4 == 0 ? "key-" + std::to_string(i) : "");
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    f.lessons.push_back(*stored);
  }
  Lesson other = f.lessons[0];
  other.workspace_id = f.teams.id;
  other.title = "Teams lesson about the webinar";
  EXPECT_TRUE(store.AddLesson(other).ok());
  // The newest lesson is deleted: its id is never handed out again, in the target either.
  Lesson doomed = f.lessons[0];
  doomed.title = "Doomed lesson";
  doomed.created_at = T(9000);
  Result<Lesson> d = store.AddLesson(doomed);
  f.deleted_lesson = d->id;
  EXPECT_TRUE(store.DeleteLesson(ws, d->id).ok());

  // Living lessons: evidence and its counts.
  EXPECT_TRUE(store
                  .RecordEvidence(ws, f.lessons[0].id, f.lessons[1].id, EvidenceKind::kConfirms,
                                  "U1", T(3000))
                  .ok());
  Result<Lesson> contradicted = store.RecordEvidence(ws, f.lessons[0].id, f.lessons[2].id,
                                                     EvidenceKind::kContradicts, "U2", T(3001));
  EXPECT_TRUE(contradicted.ok()) << contradicted.status().ToString();
  f.lessons[0] = *store.GetLesson(ws, f.lessons[0].id);

  // A campaign whose post-mortem is under way: U1 answered the first question, U2 not yet.
  Campaign c;
  c.workspace_id = ws;
  c.platform = Platform::kSlack;
  c.name = "Spring Launch";
  c.owner = "U1";
  c.channel_id = "C1";
  c.channel_target = "C1";
  c.starts_at = T(1500);
  c.ends_at = T(4000);
  c.goals = "300 MQLs";
  c.learning_goals = "Which channel brings buyers";
  c.metrics = {{"mqls", "300", ""}, {"ctr", "2%", "2.4%"}};
  c.participants = {"U1", "U2"};
  c.status = CampaignStatus::kRunning;
  c.created_at = T(1500);
  c.updated_at = T(1500);
  f.campaign = *store.CreateCampaign(c);
  Postmortem pm;
  pm.workspace_id = ws;
  pm.campaign_id = f.campaign.id;
  pm.question_set = "default";
  pm.question_set_version = 2;
  pm.opened_at = T(4000);
  pm.deadline_at = T(4000 + 7 * 86400);
  std::vector<PromptSession> sessions(2);
  for (int i = 0; i < 2; ++i) {
    sessions[i].workspace_id = ws;
    sessions[i].user_id = "U" + std::to_string(i + 1);
    sessions[i].dm_target = "D" + std::to_string(i + 1);
    sessions[i].state = PromptState::kPending;
    sessions[i].next_reminder_at = T(5000);
    sessions[i].updated_at = T(4000);
  }
  EXPECT_TRUE(*store.OpenPostmortem(pm, sessions, {Message(ws, "C1", "pm-open", 4000)}));
  f.postmortem = *store.PostmortemOfCampaign(ws, f.campaign.id);
  const std::vector<PromptSession> opened = *store.ListSessions(f.postmortem.id);
  for (PromptSession s : opened) {
    if (s.user_id != "U1") continue;
    s.state = PromptState::kAsking;
    s.current_question = 1;
    s.updated_at = T(4100);
    Status saved = store.SaveSession(s, nullptr);
    EXPECT_TRUE(saved.ok()) << saved.ToString();
  }
  EXPECT_TRUE(store.SaveAnswer({f.postmortem.id, "U1", "worked", "The webinar", T(4100)}).ok());
  EXPECT_TRUE(store.SetPersonTimezone(ws, "U1", "America/New_York", T(4100)).ok());

  // Digests: a subscription whose week 2026-W10 ran.
  DigestSubscription sub;
  sub.workspace_id = ws;
  sub.platform = Platform::kSlack;
  sub.channel_id = "C9";
  sub.target = "C9";
  sub.weekday = 1;
  sub.minute_of_day = 9 * 60;
  sub.timezone = "Europe/Berlin";
  sub.created_by = "U1";
  sub.created_at = T(1200);
  f.subscription = *store.AddDigestSubscription(sub);
  DigestRun run{f.subscription.id, "2026-W10", T(6000), T(6000), false};
  EXPECT_TRUE(*store.CreateDigestRun(run, Message(ws, "C9", "digest-w10", 6000)));
  EXPECT_TRUE(store.RecordSearchMiss(ws, "tiktok", T(6100)).ok());

  // Inbox: one event handled, one acknowledged and waiting.
  InboxEvent handled{0,     Platform::kSlack, "Ev1", ws, "{\"type\":\"event_callback\"}",
                     false, T(6200)};
  InboxEvent waiting{0,     Platform::kSlack, "Ev2", ws, "{\"type\":\"event_callback\",\"n\":2}",
                     false, T(6201)};
  EXPECT_TRUE(*store.RecordInbox(handled));
  EXPECT_TRUE(*store.RecordInbox(waiting));
  EXPECT_TRUE(store.MarkInboxHandled(Platform::kSlack, "Ev1").ok());

  // Outbox: one sent, one failed for good, and the rest pending.
  f.sent_outbox = *store.EnqueueOutbox(Message(ws, "C2", "sent-1", 6300));
  f.failed_outbox = *store.EnqueueOutbox(Message(ws, "C3", "failed-1", 6301));
  f.pending_outbox = *store.EnqueueOutbox(Message(ws, "C4", "", 99999));
  const std::vector<OutboxMessage> claimed =
      *store.ClaimOutbox(10, seconds(30), "worker-1", T(6400));
  for (const OutboxMessage& m : claimed) {
    if (m.id == f.sent_outbox) {
      EXPECT_TRUE(store.MarkOutboxSent(m.id, T(6401)).ok());
    }
    if (m.id == f.failed_outbox) {
      EXPECT_TRUE(store.FailOutbox(m.id, "channel_not_found").ok());
    }
  }

  // Teams.
  TeamsConversation conv{f.teams.id,  "a:1", "personal", "https://smba.trafficmanager.net/emea/",
                         "tenant-42", "",    "28:app",   T(7000)};
  EXPECT_TRUE(store.SaveTeamsConversation(conv).ok());
  TeamsUser user{f.teams.id, "29:u1",        "aad-1",
                 "Ana",      "Europe/Paris", "https://smba.trafficmanager.net/emea/",
                 "a:1",      false,          T(7000)};
  EXPECT_TRUE(store.SaveTeamsUser(user).ok());
  EXPECT_TRUE(store.RememberTeamsServiceUrl("https://smba.trafficmanager.net/emea/", T(7000)).ok());

  // The server's own secret (the Book links' key) and a leadership lease (not copied).
  f.book_key = *store.KeepSecret("book_link_key", "the-original-book-key");
  EXPECT_TRUE(*store.TryLead("scheduler", "host-1:123", seconds(60), T(7100)));
  return f;
}

// The source's kind is the parameter; the target is the other store.
class CopyStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    Result<PostgresServer*> server = PostgresServer::Shared();
    ASSERT_TRUE(server.ok()) << "PostgreSQL did not start: " << server.status().ToString();
    server_ = *server;
  }
  void TearDown() override {
    for (const std::string& uri : databases_) server_->DropDatabase(uri);
  }

  std::string NewPostgres() {
    Result<std::string> uri = server_->CreateDatabase();
    EXPECT_TRUE(uri.ok()) << uri.status().ToString();
    databases_.push_back(*uri);
    return *uri;
  }
  std::string NewSqlite(const std::string& name) { return dir_.File(name); }
  std::string NewLocation(StoreKind kind, const std::string& name) {
    return kind == StoreKind::kPostgres ? NewPostgres() : NewSqlite(name);
  }
  StoreKind SourceKind() const { return GetParam(); }
  StoreKind TargetKind() const {
    return GetParam() == StoreKind::kSqlite ? StoreKind::kPostgres : StoreKind::kSqlite;
  }
  static std::unique_ptr<Store> Open(const std::string& location) {
    Result<std::unique_ptr<Store>> s = OpenStore(location);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  PostgresServer* server_ = nullptr;
  TempDir dir_;
  std::vector<std::string> databases_;
};

TEST_P(CopyStoreTest, EveryRowArrivesWithItsIdsAndTheSourceIsUnchanged) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  auto target = Open(NewLocation(TargetKind(), "target.db"));
  ASSERT_TRUE(source && target);
  Fill(*source);
  const Dump before = DumpOf(*source);

  Result<CopyReport> report = CopyStore(*source, *target);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->verify_failure, "");
  EXPECT_EQ(report->target_integrity, "ok");
  EXPECT_GT(report->search_sampled, 20);
  EXPECT_EQ(report->search_found, report->search_sampled);

  const Dump after = DumpOf(*target);
  EXPECT_EQ(DumpOf(*source), before) << "the source is only read";
  EXPECT_EQ(after, before) << "the target holds exactly the source's rows";
  // Every table of the domain is there, with rows; process state is not copied.
  for (const char* table :
       {"workspaces", "workspace_admins", "workspace_settings", "lessons", "lesson_evidence",
        "campaigns", "postmortems", "prompt_sessions", "answers", "people", "digest_subscriptions",
        "digest_runs", "search_misses", "inbox", "outbox", "teams_conversations", "teams_users",
        "teams_service_urls", "server_secrets"}) {
    ASSERT_TRUE(after.count(table)) << table;
    EXPECT_FALSE(after.at(table).empty()) << table;
  }
  EXPECT_FALSE(after.count("leases"));
  EXPECT_FALSE(after.count("schema_migrations"));
  EXPECT_FALSE(after.count("lesson_generations"));
  std::int64_t reported = 0;
  for (const CopyReport::Table& t : report->tables) {
    EXPECT_EQ(t.source_rows, t.target_rows) << t.name;
    reported += t.target_rows;
  }
  EXPECT_EQ(reported, Rows(before));
}

TEST_P(CopyStoreTest, TheCopyBehavesLikeTheSource) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  auto target = Open(NewLocation(TargetKind(), "target.db"));
  ASSERT_TRUE(source && target);
  const Filled f = Fill(*source);
  Result<CopyReport> report = CopyStore(*source, *target);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const CampaignStatus campaign_status = source->GetCampaign(f.slack.id, f.campaign.id)->status;
  const size_t due_in_source = source->SessionsDueForReminder(T(5001), 10)->size();
  source.reset();
  Store& s = *target;
  const WorkspaceId ws = f.slack.id;

  // Workspaces keep their ids, sealed token (the id is its associated data) and admins.
  Result<Workspace> slack = s.FindWorkspace(Platform::kSlack, "T0001");
  ASSERT_TRUE(slack.ok());
  EXPECT_EQ(slack->id, f.slack.id);
  EXPECT_EQ(slack->bot_token, f.slack.bot_token);
  EXPECT_EQ(slack->admins, f.slack.admins);
  EXPECT_EQ(slack->timezone, "Europe/Berlin");
  EXPECT_EQ(*s.GetSetting(ws, "quiet_digest"), std::optional<std::string>("line"));

  // Search finds the lessons by their words; ids, evidence counts and keys are the same.
  LessonQuery q;
  q.workspace_id = ws;
  q.words = {"podcast"};
  q.limit = 50;
  Result<SearchPage> page = s.SearchLessons(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  std::set<LessonId> found;
  for (const SearchHit& h : page->hits) found.insert(h.lesson.id);
  std::set<LessonId> expected;
  for (const Lesson& l : f.lessons) {
    if ((l.title + l.body).find("podcast") != std::string::npos) expected.insert(l.id);
  }
  EXPECT_EQ(found, expected);
  Result<Lesson> first = s.GetLesson(ws, f.lessons[0].id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->title, f.lessons[0].title);
  EXPECT_EQ(first->confirmations, 1);
  EXPECT_EQ(first->contradictions, 1);
  EXPECT_EQ(*s.CountLessons(ws), static_cast<std::int64_t>(f.lessons.size()));
  // A retried keyed request still finds its lesson instead of storing a second one.
  Lesson retry = f.lessons[4];
  retry.id = 0;
  Result<Lesson> again = s.AddLesson(retry, "key-4");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, f.lessons[4].id);
  // New ids come after every id handed out before, the deleted lesson's included.
  Lesson fresh = f.lessons[1];
  fresh.title = "A new lesson after the move";
  Result<Lesson> added = s.AddLesson(fresh);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_GT(added->id, f.deleted_lesson);
  EXPECT_TRUE(s.GetLesson(ws, f.deleted_lesson).status().code() == Status::Code::kNotFound);

  // The campaign and its post-mortem resume where they were.
  Result<Campaign> campaign = s.FindCampaign(ws, "spring launch");
  ASSERT_TRUE(campaign.ok());
  EXPECT_EQ(campaign->id, f.campaign.id);
  EXPECT_EQ(campaign->goals, "300 MQLs");
  EXPECT_EQ(campaign->learning_goals, "Which channel brings buyers");
  ASSERT_EQ(campaign->metrics.size(), 2u);
  EXPECT_EQ(campaign->metrics[1].actual, "2.4%");
  EXPECT_EQ(campaign->participants, (std::vector<std::string>{"U1", "U2"}));
  EXPECT_EQ(campaign->status, campaign_status);
  Result<std::vector<PromptSession>> mine = s.OpenSessionsOf(ws, "U1");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].postmortem_id, f.postmortem.id);
  EXPECT_EQ((*mine)[0].state, PromptState::kAsking);
  EXPECT_EQ((*mine)[0].current_question, 1);
  Result<std::vector<Answer>> answers = s.ListAnswers(f.postmortem.id, "U1");
  ASSERT_TRUE(answers.ok());
  ASSERT_EQ(answers->size(), 1u);
  EXPECT_EQ((*answers)[0].value, "The webinar");
  EXPECT_EQ(*s.GetPersonTimezone(ws, "U1"), std::optional<std::string>("America/New_York"));
  Postmortem reopen = f.postmortem;
  reopen.id = 0;
  EXPECT_FALSE(*s.OpenPostmortem(reopen, {}, {})) << "a post-mortem is opened once";
  Result<std::vector<PromptSession>> due = s.SessionsDueForReminder(T(5001), 10);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->size(), due_in_source);
  EXPECT_GT(due_in_source, 0u);
  // A new campaign gets a new id.
  Campaign next = f.campaign;
  next.name = "Autumn Launch";
  Result<Campaign> created = s.CreateCampaign(next);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, f.campaign.id);

  // The week's digest that ran is not made again; the next week's is.
  DigestRun same{f.subscription.id, "2026-W10", T(6000), T(8000), false};
  EXPECT_FALSE(*s.CreateDigestRun(same, Message(ws, "C9", "digest-w10-again", 8000)));
  DigestRun next_week{f.subscription.id, "2026-W11", T(8000), T(8000), false};
  EXPECT_TRUE(*s.CreateDigestRun(next_week, Message(ws, "C9", "digest-w11", 8000)));
  ASSERT_EQ(s.ListDigestSubscriptions(ws)->size(), 1u);

  // The inbox dedupes the same events and still holds the unhandled one.
  InboxEvent retry_event{0, Platform::kSlack, "Ev1", ws, "{}", false, T(8000)};
  EXPECT_FALSE(*s.RecordInbox(retry_event));
  Result<std::vector<InboxEvent>> unhandled = s.UnhandledInbox(10);
  ASSERT_TRUE(unhandled.ok());
  ASSERT_EQ(unhandled->size(), 1u);
  EXPECT_EQ((*unhandled)[0].event_id, "Ev2");

  // The outbox: sent stays sent, failed stays failed, pending is delivered once it is due.
  std::map<std::int64_t, OutboxStatus> status;
  const std::vector<OutboxMessage> listed = *s.ListOutbox(std::nullopt, 100);
  for (const OutboxMessage& m : listed) status[m.id] = m.status;
  EXPECT_EQ(status[f.sent_outbox], OutboxStatus::kSent);
  EXPECT_EQ(status[f.failed_outbox], OutboxStatus::kFailed);
  EXPECT_EQ(status[f.pending_outbox], OutboxStatus::kPending);
  EXPECT_EQ(*s.EnqueueOutbox(Message(ws, "C2", "sent-1", 9000)), f.sent_outbox)
      << "a dedupe key stored before still dedupes";
  Result<std::vector<OutboxMessage>> claimed = s.ClaimOutbox(10, seconds(30), "w2", T(100000));
  ASSERT_TRUE(claimed.ok());
  std::set<std::int64_t> claimed_ids;
  for (const OutboxMessage& m : *claimed) claimed_ids.insert(m.id);
  EXPECT_TRUE(claimed_ids.count(f.pending_outbox));
  EXPECT_FALSE(claimed_ids.count(f.sent_outbox));
  EXPECT_FALSE(claimed_ids.count(f.failed_outbox));
  const std::int64_t newer = *s.EnqueueOutbox(Message(ws, "C5", "", 100000));
  EXPECT_GT(newer, f.pending_outbox);

  // Teams, and the server's Book link secret.
  EXPECT_EQ(s.GetTeamsUser(f.teams.id, "29:u1")->local_timezone, "Europe/Paris");
  EXPECT_EQ(s.GetTeamsConversation(f.teams.id, "a:1")->bot_id, "28:app");
  EXPECT_EQ(*s.ListTeamsServiceUrls(),
            std::vector<std::string>{"https://smba.trafficmanager.net/emea/"});
  EXPECT_EQ(*s.KeepSecret("book_link_key", "another-key"), f.book_key);
  // Leadership is not copied: the next server takes the lease at once.
  EXPECT_TRUE(*s.TryLead("scheduler", "host-2:456", seconds(60), T(7101)));
}

TEST_P(CopyStoreTest, ATargetWithDataIsRefusedAndLeftAsItWas) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  auto target = Open(NewLocation(TargetKind(), "target.db"));
  ASSERT_TRUE(source && target);
  Fill(*source, 4);
  Workspace w;
  w.platform = Platform::kWeb;
  w.external_id = "local";
  w.created_at = T(1);
  ASSERT_TRUE(target->EnsureWorkspace(w).ok());
  const Dump before = DumpOf(*target);

  Result<CopyReport> report = CopyStore(*source, *target);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kAlreadyExists);
  EXPECT_NE(report.status().message().find("not empty: workspaces (1 row)"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(DumpOf(*target), before);
}

// Sends the source's rows on until the table `fail_at` begins, then fails: a copy cut off after
// most tables were written.
class FailingSink final : public DataSink {
 public:
  FailingSink(DataSink& target, std::string fail_at) : target_(target), fail_at_(fail_at) {}
  std::vector<std::string> TableOrder() const override { return target_.TableOrder(); }
  Status BeginTable(const std::string& table, const std::vector<std::string>& columns) override {
    if (table == fail_at_) return Status::Unavailable("the source went away");
    ++tables_;
    return target_.BeginTable(table, columns);
  }
  Status AddRows(const std::vector<std::vector<DataValue>>& rows) override {
    return target_.AddRows(rows);
  }
  Status EndTable(std::int64_t rows, std::int64_t last_id) override {
    return target_.EndTable(rows, last_id);
  }
  int tables_ = 0;

 private:
  DataSink& target_;
  std::string fail_at_;
};

TEST_P(CopyStoreTest, ACopyThatFailsMidwayLeavesTheTargetEmpty) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  auto target = Open(NewLocation(TargetKind(), "target.db"));
  ASSERT_TRUE(source && target);
  Fill(*source, 6);
  int tables_before_failure = 0;
  Result<ImportedData> imported = target->ImportData([&](DataSink& sink) {
    FailingSink failing(sink, sink.TableOrder().back());  // the last table
    Status s = source->ExportData(failing);
    tables_before_failure = failing.tables_;
    return s;
  });
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().message(), "the source went away");
  EXPECT_GT(tables_before_failure, 10) << "workspaces, lessons … were written before the failure";
  EXPECT_EQ(Rows(DumpOf(*target)), 0);
  // And the target takes a complete copy afterwards.
  Result<CopyReport> report = CopyStore(*source, *target);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(DumpOf(*target), DumpOf(*source));
}

// Passes the source's rows on, but gives the outbox rows a status no store accepts: the target
// refuses a row after many tables were written.
class CorruptingSink final : public DataSink {
 public:
  explicit CorruptingSink(DataSink& target) : target_(target) {}
  std::vector<std::string> TableOrder() const override { return target_.TableOrder(); }
  Status BeginTable(const std::string& table, const std::vector<std::string>& columns) override {
    table_ = table;
    columns_ = columns;
    return target_.BeginTable(table, columns);
  }
  Status AddRows(const std::vector<std::vector<DataValue>>& rows) override {
    if (table_ != "outbox") return target_.AddRows(rows);
    std::vector<std::vector<DataValue>> changed = rows;
    const size_t status = static_cast<size_t>(
        std::find(columns_.begin(), columns_.end(), "status") - columns_.begin());
    for (auto& row : changed) row.at(status) = std::string("exploded");
    return target_.AddRows(changed);
  }
  Status EndTable(std::int64_t rows, std::int64_t last_id) override {
    return target_.EndTable(rows, last_id);
  }

 private:
  DataSink& target_;
  std::string table_;
  std::vector<std::string> columns_;
};

TEST_P(CopyStoreTest, ARowTheTargetRefusesRollsTheWholeCopyBack) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  auto target = Open(NewLocation(TargetKind(), "target.db"));
  ASSERT_TRUE(source && target);
  Fill(*source, 6);
  Result<ImportedData> imported = target->ImportData([&](DataSink& sink) {
    CorruptingSink corrupting(sink);
    return source->ExportData(corrupting);
  });
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.status().message().find("outbox"), std::string::npos)
      << "the error names the table: " << imported.status().message();
  EXPECT_EQ(Rows(DumpOf(*target)), 0) << imported.status().ToString();
}

TEST_P(CopyStoreTest, ARoundTripGivesBackTheSameRows) {
  auto first = Open(NewLocation(SourceKind(), "first.db"));
  auto middle = Open(NewLocation(TargetKind(), "middle.db"));
  auto last = Open(NewLocation(SourceKind(), "last.db"));
  ASSERT_TRUE(first && middle && last);
  Fill(*first);
  ASSERT_TRUE(CopyStore(*first, *middle).ok());
  Result<CopyReport> back = CopyStore(*middle, *last);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->verify_failure, "");
  EXPECT_EQ(DumpOf(*last), DumpOf(*first));
  // The id counters came back too: the deleted lesson's id is not handed out again.
  Lesson l;
  l.workspace_id = 1;
  l.title = "After the round trip";
  l.author = "U1";
  l.created_at = T(9999);
  l.updated_at = T(9999);
  Result<Lesson> added = last->AddLesson(l);
  ASSERT_TRUE(added.ok());
  Result<Lesson> in_first = first->AddLesson(l);
  ASSERT_TRUE(in_first.ok());
  EXPECT_EQ(added->id, in_first->id);
}

TEST_P(CopyStoreTest, DifferentSchemaVersionsAreRefused) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  ASSERT_TRUE(source);
  Fill(*source, 4);
  const std::string target_at = NewLocation(TargetKind(), "target.db");
  if (TargetKind() == StoreKind::kSqlite) {
    // A SQLite target one migration behind.
    ASSERT_TRUE(Open(target_at));
    SQLite::Database db(target_at, SQLite::OPEN_READWRITE);
    db.exec(
        "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM "
        "schema_migrations)");
  }  // a PostgreSQL target never migrated: version 0
  Result<std::unique_ptr<Store>> behind = OpenStoreAsIs(target_at);
  ASSERT_TRUE(behind.ok()) << behind.status().ToString();
  Result<CopyReport> report = CopyStore(*source, **behind);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(report.status().message().find("schema version"), std::string::npos)
      << report.status().message();
}

TEST_P(CopyStoreTest, AnEmptySourceGivesAnEmptyTarget) {
  auto source = Open(NewLocation(SourceKind(), "source.db"));
  auto target = Open(NewLocation(TargetKind(), "target.db"));
  ASSERT_TRUE(source && target);
  Result<CopyReport> report = CopyStore(*source, *target);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->total_rows(), 0);
  EXPECT_EQ(report->search_sampled, 0);
  EXPECT_EQ(report->verify_failure, "");
}

std::string Direction(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kSqlite ? "sqlite_to_postgres" : "postgres_to_sqlite";
}

// "Postgres/…": every test uses the run's PostgreSQL server, so it runs with the PostgreSQL tests.
INSTANTIATE_TEST_SUITE_P(Postgres, CopyStoreTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), Direction);

}  // namespace
}  // namespace lessonbook::testing
