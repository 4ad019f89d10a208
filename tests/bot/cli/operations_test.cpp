// `lessonbook backup`, `purge` and `rotate-key` with the real binary on a real SQLite file:
// a backup taken while the server writes restores with everything acknowledged before it; a
// purge leaves nothing of the workspace in any table (enumerated from sqlite_master, so a table
// added later is checked too) and the other workspace untouched; a key rotation re-encrypts
// every stored token, the server starts with the new key and refuses the old one clearly.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "bot/message_codec.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "bot/secret_box.h"
#include "storage/store.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kKeyA = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kKeyB = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

bool PostLesson(int port, const std::string& text, const std::string& id) {
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(10, 0);
  json body = {{"text", "add " + text}, {"user", "ana"}, {"client_msg_id", id}};
  auto res = http.Post("/web/messages", body.dump(), "application/json");
  return res && res->status == 200;
}

std::string SearchText(int port, const std::string& words) {
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(10, 0);
  json body = {{"text", words}, {"user", "ana"}};
  auto res = http.Post("/web/messages", body.dump(), "application/json");
  return res ? res->body : "";
}

TEST(BackupCommandTest, BackupWhileServingRestoresEverythingAcknowledgedBeforeIt) {
  testing::TempDir dir;
  const std::string db = dir.File("live.db");
  const std::string copy = dir.File("copy.db");
  testing::ServerProcess server({{"LESSONBOOK_DB", db}}, dir.File("server.log"));
  const int port = server.port();
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(PostLesson(port, "Before backup " + std::to_string(i), "b" + std::to_string(i)));

  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      if (PostLesson(port, "During backup " + std::to_string(i), "d" + std::to_string(i))) ++during;
    }
  });
  while (during < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto backup = testing::RunLessonbook({"backup", copy}, {{"LESSONBOOK_DB", db}});
  const int written_before_end = during;
  while (during < written_before_end + 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  writer.join();
  EXPECT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  EXPECT_NE(backup.out.find("integrity ok"), std::string::npos) << backup.out;

  auto again = testing::RunLessonbook({"backup", copy}, {{"LESSONBOOK_DB", db}});
  EXPECT_EQ(again.exit_code, 2) << "a backup never overwrites";
  EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.err;
  EXPECT_EQ(server.StopWith(SIGTERM), 0);

  {
    SQLite::Database restored(copy, SQLite::OPEN_READONLY);
    EXPECT_EQ(restored.execAndGet("PRAGMA integrity_check").getString(), "ok");
    const int lessons = restored.execAndGet("SELECT count(*) FROM lessons").getInt();
    EXPECT_GE(lessons, 20 + 5) << "everything acknowledged before the backup started";
    EXPECT_LE(lessons, 20 + during.load());
  }
  // Serve from the copy: the lessons are there and searchable.
  testing::ServerProcess from_copy({{"LESSONBOOK_DB", copy}}, dir.File("restored.log"));
  for (int i = 0; i < 20; ++i) {
    EXPECT_NE(SearchText(from_copy.port(), "\"Before backup " + std::to_string(i) + "\"")
                  .find("Before backup"),
              std::string::npos);
  }
  EXPECT_TRUE(PostLesson(from_copy.port(), "After restore", "after-restore"));
  EXPECT_EQ(from_copy.StopWith(SIGTERM), 0);
}

// --- purge ---

constexpr const char* kMark = "PURGEMARK";

// Fills every kind of row for a workspace, each carrying `mark` in its text.
void Populate(Store& store, Platform platform, const std::string& external_id,
              const std::string& mark) {
  const Time now = SystemClock().Now();
  Workspace w;
  w.platform = platform;
  w.external_id = external_id;
  w.name = mark + " Corp";
  Workspace ws = store.EnsureWorkspace(w).value();
  ws.admins = {"U" + mark};
  ws.bot_token =
      SecretBox::FromBase64Key(kKeyA).value().Seal("xoxb-" + mark, std::to_string(ws.id)).value();
  ws = store.UpdateWorkspace(ws).value();
  for (int i = 0; i < 3; ++i) {
    Lesson l;
    l.workspace_id = ws.id;
    l.title = mark + " lesson " + std::to_string(i);
    l.body = "body of " + mark;
    l.tags = {"email"};
    l.author = "U" + mark;
    l.created_at = l.updated_at = now;
    ASSERT_TRUE(store.AddLesson(l, "key-" + mark + std::to_string(i)).ok());
  }
  Campaign c;
  c.workspace_id = ws.id;
  c.platform = platform;
  c.name = mark + " launch";
  c.owner = "U" + mark;
  c.participants = {"U" + mark, "V" + mark};
  c.starts_at = now - std::chrono::hours(10);
  c.ends_at = now - std::chrono::hours(1);
  c.created_at = c.updated_at = now - std::chrono::hours(10);
  Campaign saved = store.CreateCampaign(c).value();
  auto sets = LoadQuestionSets("").value();
  ASSERT_TRUE(OpenPostmortem(store, sets, saved, now, PostmortemOptions()).ok());
  auto pm = store.PostmortemOfCampaign(ws.id, saved.id).value();
  ASSERT_TRUE(store.SaveAnswer({pm.id, "U" + mark, "learned", mark + " answer", now}).ok());
  DigestSubscription sub;
  sub.workspace_id = ws.id;
  sub.platform = platform;
  sub.channel_id = "C" + mark;
  sub.target = "C" + mark;
  sub.timezone = "UTC";
  auto s = store.AddDigestSubscription(sub).value();
  OutboxMessage m;
  m.workspace_id = ws.id;
  m.platform = platform;
  m.target = "C" + mark;
  Message text;
  text.text = mark + " digest";
  m.message = EncodeMessage(text);
  m.next_attempt_at = m.created_at = now;
  ASSERT_TRUE(store.CreateDigestRun({s.id, "2026-W48", now, now, false}, m).value());
  InboxEvent e;
  e.platform = platform;
  e.event_id = "Ev" + mark;
  e.workspace_id = ws.id;
  e.payload = "{\"team_id\":\"" + mark + "\"}";
  e.received_at = now;
  ASSERT_TRUE(store.RecordInbox(e).value());
  ASSERT_TRUE(store.SetSetting(ws.id, "quiet_digest", mark).ok());
  ASSERT_TRUE(store.SetPersonTimezone(ws.id, "U" + mark, "Europe/Berlin", now).ok());
  ASSERT_TRUE(store.RecordSearchMiss(ws.id, mark + " missing", now).ok());
  TeamsConversation conv;
  conv.workspace_id = ws.id;
  conv.conversation_id = "19:" + mark;
  conv.service_url = "https://smba.example/";
  conv.tenant_id = external_id;
  conv.updated_at = now;
  ASSERT_TRUE(store.SaveTeamsConversation(conv).ok());
  TeamsUser u;
  u.workspace_id = ws.id;
  u.user_id = "29:" + mark;
  u.name = mark + " person";
  u.updated_at = now;
  ASSERT_TRUE(store.SaveTeamsUser(u).ok());
}

// Every row of every table (FTS shadow tables aside) as text.
std::vector<std::string> AllRows(SQLite::Database& db, const std::string& table) {
  std::vector<std::string> rows;
  SQLite::Statement q(db, "SELECT * FROM \"" + table + "\"");
  while (q.executeStep()) {
    std::string row;
    for (int i = 0; i < q.getColumnCount(); ++i) row += q.getColumn(i).getString() + "|";
    rows.push_back(row);
  }
  return rows;
}

TEST(PurgeCommandTest, PurgeLeavesNothingOfTheWorkspaceInAnyTableAndKeepsTheOther) {
  testing::TempDir dir;
  const std::string db = dir.File("purge.db");
  {
    auto store = std::move(OpenStore(db).value());
    Populate(*store, Platform::kSlack, "T0PURGE", kMark);
    Populate(*store, Platform::kTeams, "tenant-keep", "KEEPMARK");
  }
  const std::map<std::string, std::string> env = {{"LESSONBOOK_DB", db}};

  auto refused = testing::RunLessonbook({"purge", "--workspace", "T0PURGE"}, env);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("no terminal to ask; add --yes"), std::string::npos) << refused.err;
  auto unknown = testing::RunLessonbook({"purge", "--workspace", "T0NOPE", "--yes"}, env);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("slack:T0PURGE"), std::string::npos) << "lists the workspaces";
  {
    SQLite::Database check(db, SQLite::OPEN_READONLY);
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM lessons").getInt(), 6) << "nothing deleted";
  }

  auto purged = testing::RunLessonbook({"purge", "--workspace", "T0PURGE", "--yes"}, env);
  ASSERT_EQ(purged.exit_code, 0) << purged.out << purged.err;
  EXPECT_NE(purged.out.find("purged the slack workspace T0PURGE"), std::string::npos) << purged.out;

  SQLite::Database check(db, SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("PRAGMA integrity_check").getString(), "ok");
  std::vector<std::string> tables;
  {
    SQLite::Statement q(check, "SELECT name FROM sqlite_master WHERE type = 'table'");
    while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
  }
  int tables_with_kept_rows = 0;
  for (const std::string& table : tables) {
    if (table.rfind("lessons_fts", 0) == 0) continue;  // binary index: checked by MATCH below
    bool kept = false;
    for (const std::string& row : AllRows(check, table)) {
      EXPECT_EQ(row.find(kMark), std::string::npos) << table << ": " << row;
      EXPECT_EQ(row.find("T0PURGE"), std::string::npos) << table << ": " << row;
      kept |=
          row.find("KEEPMARK") != std::string::npos || row.find("tenant-keep") != std::string::npos;
    }
    if (kept) ++tables_with_kept_rows;
  }
  // workspaces, admins, lessons, campaigns, post-mortems, sessions, answers, subscriptions,
  // outbox, inbox, settings, people, misses, Teams conversations and users keep the other's rows.
  EXPECT_GE(tables_with_kept_rows, 14);
  EXPECT_EQ(check
                .execAndGet("SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH '" +
                            std::string(kMark) + "'")
                .getInt(),
            0);
  EXPECT_EQ(check
                .execAndGet("SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH "
                            "'KEEPMARK'")
                .getInt(),
            3);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM digest_runs").getInt(), 1);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM answers").getInt(), 1);

  // Not even the bytes of the file keep the purged text (secure_delete, merged index, WAL folded).
  std::ifstream file(db, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  EXPECT_EQ(bytes.str().find(kMark), std::string::npos) << "the purged text is still in the file";
  EXPECT_NE(bytes.str().find("KEEPMARK"), std::string::npos);
}

TEST(PurgeCommandTest, APurgeOfAWorkspaceWithNothingButItsRowSucceeds) {
  testing::TempDir dir;
  const std::string db = dir.File("purge.db");
  {
    auto store = std::move(OpenStore(db).value());
    Workspace w;
    w.platform = Platform::kTeams;
    w.external_id = "tenant-empty";
    ASSERT_TRUE(store->EnsureWorkspace(w).ok());
  }
  auto purged = testing::RunLessonbook({"purge", "--workspace", "teams:tenant-empty", "--yes"},
                                       {{"LESSONBOOK_DB", db}});
  EXPECT_EQ(purged.exit_code, 0) << purged.err;
  auto store = std::move(OpenStore(db).value());
  EXPECT_FALSE(store->FindWorkspace(Platform::kTeams, "tenant-empty").ok());
}

// --- rotate-key ---

TEST(RotateKeyCommandTest, RotationReencryptsEveryTokenAndTheOldKeyAloneNoLongerStarts) {
  testing::TempDir dir;
  testing::FakeSlack slack;
  const std::string db = dir.File("keys.db");
  const SecretBox a = SecretBox::FromBase64Key(kKeyA).value();
  const SecretBox b = SecretBox::FromBase64Key(kKeyB).value();
  std::vector<WorkspaceId> ids;
  {
    auto store = std::move(OpenStore(db).value());
    for (const char* team : {"T0ROT0001", "T0ROT0002"}) {
      Workspace w;
      w.platform = Platform::kSlack;
      w.external_id = team;
      Workspace ws = store->EnsureWorkspace(w).value();
      ws.bot_token = a.Seal(std::string("xoxb-") + team, std::to_string(ws.id)).value();
      ASSERT_TRUE(store->UpdateWorkspace(ws).ok());
      ids.push_back(ws.id);
    }
  }
  std::map<std::string, std::string> env = {{"LESSONBOOK_DB", db},
                                            {"SLACK_SIGNING_SECRET", "rotate-signing"},
                                            {"SLACK_CLIENT_ID", "111.222"},
                                            {"SLACK_CLIENT_SECRET", "rotate-client-secret"},
                                            {"SLACK_API_BASE", slack.api_base()},
                                            {"LESSONBOOK_DATA_KEY", kKeyA}};

  auto missing = testing::RunLessonbook({"rotate-key"}, env);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("LESSONBOOK_DATA_KEY_NEW"), std::string::npos) << missing.err;

  auto wrong_current = env;
  wrong_current["LESSONBOOK_DATA_KEY"] = kKeyB;
  wrong_current["LESSONBOOK_DATA_KEY_NEW"] = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
  auto refused = testing::RunLessonbook({"rotate-key"}, wrong_current);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("nothing was changed"), std::string::npos) << refused.err;

  std::ofstream(dir.File("new.key")) << kKeyB << "\n";
  auto rotated = testing::RunLessonbook({"rotate-key", "--new-key-file", dir.File("new.key")}, env);
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  EXPECT_NE(rotated.out.find("re-encrypted 2 secrets under key id " + b.key_id()),
            std::string::npos)
      << rotated.out;
  {
    auto store = std::move(OpenStore(db).value());
    for (WorkspaceId id : ids) {
      Workspace ws = store->GetWorkspace(id).value();
      EXPECT_EQ(ws.bot_token.rfind("v1:" + b.key_id() + ":", 0), 0u) << ws.bot_token;
      EXPECT_EQ(b.Open(ws.bot_token, std::to_string(id)).value(), "xoxb-" + ws.external_id);
      EXPECT_FALSE(a.Open(ws.bot_token, std::to_string(id)).ok());
    }
  }

  auto old_key = testing::RunLessonbook({"serve"}, [&] {
    auto e = env;
    e["LESSONBOOK_LISTEN"] = "127.0.0.1:0";
    return e;
  }());
  EXPECT_EQ(old_key.exit_code, 2) << old_key.err;
  EXPECT_NE(old_key.err.find("encrypted under another LESSONBOOK_DATA_KEY (key id " + b.key_id()),
            std::string::npos)
      << old_key.err;

  auto new_env = env;
  new_env["LESSONBOOK_DATA_KEY"] = kKeyB;
  testing::ServerProcess server(new_env, dir.File("server.log"));
  httplib::Client http("127.0.0.1", server.port());
  auto ready = http.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(server.StopWith(SIGTERM), 0);

  // Rotating again with the old key still configured finds the values under the new key: no
  // harm done, nothing lost.
  auto twice = env;
  twice["LESSONBOOK_DATA_KEY_NEW"] = kKeyB;
  auto again = testing::RunLessonbook({"rotate-key"}, twice);
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST(RotateKeyCommandTest, PlainTokensStoredBeforeAKeyExistedAreEncryptedByTheFirstRotation) {
  testing::TempDir dir;
  const std::string db = dir.File("plain.db");
  WorkspaceId id = 0;
  {
    auto store = std::move(OpenStore(db).value());
    Workspace w;
    w.platform = Platform::kSlack;
    w.external_id = "T0PLAIN01";
    Workspace ws = store->EnsureWorkspace(w).value();
    ws.bot_token = "xoxb-plain-token";
    id = store->UpdateWorkspace(ws).value().id;
  }
  auto rotated = testing::RunLessonbook(
      {"rotate-key"}, {{"LESSONBOOK_DB", db}, {"LESSONBOOK_DATA_KEY_NEW", kKeyA}});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  auto store = std::move(OpenStore(db).value());
  Workspace ws = store->GetWorkspace(id).value();
  EXPECT_TRUE(IsSealedSecret(ws.bot_token));
  EXPECT_EQ(SecretBox::FromBase64Key(kKeyA).value().Open(ws.bot_token, std::to_string(id)).value(),
            "xoxb-plain-token");
}

}  // namespace
}  // namespace lessonbook
