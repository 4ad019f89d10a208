// Tenant isolation on Slack, end to end: two teams installed through OAuth in one real server
// (one database). Every read and write path a person of team B (an admin, even) can take that
// names team A's things — search and its filters, edit and delete of A's lesson ids, campaign
// show/list/edit/end, digest list/preview, the post-mortem command, form submits and buttons
// naming A's ids — shows nothing of A and changes nothing of A; people of another organisation
// (Slack Connect: a team_id that is not installed, a user_team that differs) are refused; members
// of A cannot use admin commands or touch others' lessons and campaigns; `export --workspace`
// writes only that workspace.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "storage/store.h"
#include "tests/fakes/fake_slack.h"
#include "tests/support/server_process.h"
#include "tests/support/slack_client.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kSigning = "isolation-signing-secret";
constexpr const char* kA = "T0ALPHA01";
constexpr const char* kB = "T0BRAVO01";
constexpr const char* kAdminA = "U0ADMINA1";
constexpr const char* kMemberA = "U0MEMBRA2";
constexpr const char* kAdminB = "U0ADMINB1";
constexpr const char* kMemberB = "U0MEMBRB2";
// A word in team A's things that team B types in its searches (answers may echo it back).
constexpr const char* kSecret = "alphasecret";
// Text only team A's lessons and campaign hold and team B never types: it must never show in
// an answer to team B.
const char* const kLeaks[] = {"Pricing page test", "doubled demos", "on webinars",
                              "triple the demos", "whether partners help"};

bool LeaksA(const std::string& body) {
  for (const char* leak : kLeaks) {
    if (body.find(leak) != std::string::npos) return true;
  }
  return false;
}

json InstallAnswer(const std::string& team, const std::string& installer) {
  return {{"ok", true},
          {"access_token", "xoxb-" + team},
          {"token_type", "bot"},
          {"scope", "commands,chat:write"},
          {"bot_user_id", "U0BOT" + team.substr(1, 4)},
          {"app_id", "A0001"},
          {"team", {{"id", team}, {"name", team + " Inc"}}},
          {"authed_user", {{"id", installer}}}};
}

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class SlackIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    slack_.Script("oauth.v2.access", {{200, InstallAnswer(kA, kAdminA).dump(), {}},
                                      {200, InstallAnswer(kB, kAdminB).dump(), {}}});
    server_ = std::make_unique<testing::ServerProcess>(Env(), dir_.File("server.log"));
    client_ = std::make_unique<testing::SlackClient>(server_->port(), kSigning);
    ASSERT_EQ(client_->Install("code-a"), 200);
    ASSERT_EQ(client_->Install("code-b"), 200);
    store_ = std::move(OpenStore(dir_.File("iso.db")).value());
    a_ = store_->FindWorkspace(Platform::kSlack, kA).value();
    b_ = store_->FindWorkspace(Platform::kSlack, kB).value();
    ASSERT_EQ(a_.admins, std::vector<std::string>{kAdminA});
    ASSERT_EQ(b_.admins, std::vector<std::string>{kAdminB});

    // Team A's things.
    Say(kA, kAdminA,
        std::string("add Pricing page test ") + kSecret + " doubled demos #offers outcome:worked");
    Say(kA, kMemberA, std::string("add Member note ") + kSecret + " on webinars #events");
    Say(kA, kAdminA,
        std::string("campaign new \"Alpha launch\" ends:2099-12-15 goal:\"triple the demos ") +
            kSecret + "\" learn:\"whether partners help\" metric:mqls=300",
        "C0ALPHA01");
    Say(kA, kAdminA, "digest subscribe", "C0ALPHA01");
    Say(kB, kAdminB, "add Bravo lesson about pricing #offers");
    alpha_lesson_ = LessonTitled(a_.id, "Pricing page test");
    member_lesson_ = LessonTitled(a_.id, "Member note");
    ASSERT_NE(alpha_lesson_.id, 0);
    ASSERT_NE(member_lesson_.id, 0);
    alpha_campaign_ = store_->FindCampaign(a_.id, "Alpha launch").value();
  }

  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->StopWith(SIGTERM), 0);
    }
  }

  std::map<std::string, std::string> Env() {
    return {{"LESSONBOOK_DB", dir_.File("iso.db")},
            {"LESSONBOOK_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
            {"SLACK_SIGNING_SECRET", kSigning},
            {"SLACK_CLIENT_ID", "1111.2222"},
            {"SLACK_CLIENT_SECRET", "isolation-client-secret"},
            {"SLACK_API_BASE", slack_.api_base()}};
  }

  // Runs a slash command and returns the answer's body (must be 200).
  std::string Say(const std::string& team, const std::string& user, const std::string& text,
                  const std::string& channel = "C0GENERAL1") {
    auto r = client_->Command(team, user, text, channel, slack_.response_url("iso"));
    EXPECT_EQ(r.status, 200) << text << ": " << r.body;
    return r.body;
  }

  Lesson LessonTitled(WorkspaceId ws, const std::string& prefix) {
    Lesson found;
    (void)store_->ForEachLesson(ws, [&](const Lesson& l) {
      if (l.title.rfind(prefix, 0) == 0) found = l;
      return Status::Ok();
    });
    return found;
  }

  // Team A's lessons, campaign, settings and admins are as SetUp left them.
  void ExpectTeamAUntouched() {
    auto lesson = store_->GetLesson(a_.id, alpha_lesson_.id);
    ASSERT_TRUE(lesson.ok()) << "A's lesson still exists";
    EXPECT_EQ(lesson->title, alpha_lesson_.title);
    EXPECT_EQ(lesson->body, alpha_lesson_.body);
    EXPECT_TRUE(store_->GetLesson(a_.id, member_lesson_.id).ok());
    auto campaign = store_->GetCampaign(a_.id, alpha_campaign_.id).value();
    EXPECT_EQ(campaign.status, alpha_campaign_.status);
    EXPECT_EQ(campaign.ends_at, alpha_campaign_.ends_at);
    EXPECT_EQ(campaign.goals, alpha_campaign_.goals);
    auto a = store_->GetWorkspace(a_.id).value();
    EXPECT_EQ(a.timezone, a_.timezone);
    EXPECT_EQ(a.admins, a_.admins);
    EXPECT_FALSE(store_->GetSetting(a_.id, "quiet_digest").value().has_value());
    EXPECT_EQ(store_->ListDigestSubscriptions(a_.id).value().size(), 1u);
    EXPECT_EQ(store_->CountLessons(a_.id).value(), 2);
  }

  testing::TempDir dir_;
  testing::FakeSlack slack_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<testing::SlackClient> client_;
  std::unique_ptr<Store> store_;
  Workspace a_, b_;
  Lesson alpha_lesson_, member_lesson_;
  Campaign alpha_campaign_;
};

TEST_F(SlackIsolationTest, SearchesOfAnotherTeamNeverShowTeamALessons) {
  const std::string id = std::to_string(alpha_lesson_.id);
  for (const std::string& query :
       {std::string(kSecret), std::string("pricing"), std::string("search page test"),
        std::string("tag:offers"), std::string("outcome:worked"), std::string("since:2000-01-01"),
        std::string("by:<@") + kAdminA + ">", std::string("campaign:\"Alpha launch\""),
        std::string("pricing sort:evidence"), id, std::string("#") + id}) {
    for (const char* user : {kAdminB, kMemberB}) {
      const std::string body = Say(kB, user, query);
      EXPECT_FALSE(LeaksA(body)) << query << " by " << user << ": " << body;
    }
  }
  EXPECT_TRUE(Has(Say(kB, kMemberB, "pricing"), "Bravo lesson")) << "B's own lesson is found";
  EXPECT_TRUE(Has(Say(kA, kMemberA, kSecret), "Pricing page test")) << "A finds its own";
}

TEST_F(SlackIsolationTest, EditAndDeleteOfTeamALessonIdsByTeamBChangeNothing) {
  const std::string id = std::to_string(alpha_lesson_.id);
  for (const char* user : {kAdminB, kMemberB}) {
    EXPECT_FALSE(LeaksA(Say(kB, user, "edit " + id + " Hijacked by bravo #paid")));
    EXPECT_FALSE(LeaksA(Say(kB, user, "delete " + id)));
    EXPECT_FALSE(LeaksA(Say(kB, user, "delete " + std::to_string(member_lesson_.id))));
  }
  ExpectTeamAUntouched();
  EXPECT_EQ(LessonTitled(b_.id, "Hijacked").id, 0);
}

TEST_F(SlackIsolationTest, CampaignsAndDigestsOfTeamAAreInvisibleAndUntouchableFromTeamB) {
  for (const char* user : {kAdminB, kMemberB}) {
    for (const std::string& text :
         {std::string("campaign show \"Alpha launch\""), std::string("campaign list"),
          std::string("campaign end \"Alpha launch\""),
          std::string("campaign edit \"Alpha launch\" ends:2099-12-20 goal:\"bravo goal\""),
          std::string("postmortem \"Alpha launch\""), std::string("digest list"),
          std::string("digest preview"), std::string("digest unsubscribe")}) {
      const std::string body = Say(kB, user, text, "C0ALPHA01");
      EXPECT_FALSE(LeaksA(body)) << text << ": " << body;
    }
  }
  ExpectTeamAUntouched();
  EXPECT_FALSE(store_->FindCampaign(b_.id, "Alpha launch").ok());
}

TEST_F(SlackIsolationTest, FormsAndButtonsNamingTeamAIdsDoNothingForTeamB) {
  // A's post-mortem opens; its id is what a forged form would name.
  Say(kA, kAdminA, "campaign end \"Alpha launch\"");
  auto pm = store_->PostmortemOfCampaign(a_.id, alpha_campaign_.id);
  ASSERT_TRUE(pm.ok());
  alpha_campaign_ = store_->GetCampaign(a_.id, alpha_campaign_.id).value();
  const std::size_t modals = slack_.Calls("views.open").size();

  json submit = {
      {"type", "view_submission"},
      {"team", {{"id", kB}}},
      {"user", {{"id", kAdminB}, {"username", "bravo"}, {"team_id", kB}}},
      {"view",
       {{"id", "V0FORGED1"},
        {"hash", "h1"},
        {"callback_id", "postmortem"},
        {"private_metadata", json{{"s", std::to_string(pm->id)}}.dump()},
        {"state",
         {{"values",
           {{"learned",
             {{"learned", {{"type", "plain_text_input"}, {"value", "bravo wrote this"}}}}}}}}}}}};
  EXPECT_EQ(client_->Interaction(submit).status, 200);
  json button = {
      {"type", "block_actions"},
      {"team", {{"id", kB}}},
      {"user", {{"id", kAdminB}, {"team_id", kB}}},
      {"trigger_id", "7.7.7"},
      {"response_url", slack_.response_url("button")},
      {"actions",
       {{{"action_id", "postmortem_form"}, {"value", "Alpha launch"}, {"action_ts", "1.1"}}}}};
  EXPECT_EQ(client_->Interaction(button).status, 200);
  json more = button;
  more["trigger_id"] = "7.7.8";
  more["actions"][0] = {
      {"action_id", "search_more"}, {"value", std::string("0\n") + kSecret}, {"action_ts", "1.2"}};
  EXPECT_EQ(client_->Interaction(more).status, 200);
  // An add form submitted by B with A's lesson id in the metadata adds to B only.
  json add = submit;
  add["view"]["id"] = "V0FORGED2";
  add["view"]["callback_id"] = "add_lesson";
  add["view"]["private_metadata"] = json{{"s", std::to_string(alpha_lesson_.id)}}.dump();
  add["view"]["state"]["values"] = {
      {"text", {{"text", {{"type", "plain_text_input"}, {"value", "Bravo form lesson"}}}}}};
  EXPECT_EQ(client_->Interaction(add).status, 200);

  std::this_thread::sleep_for(std::chrono::seconds(1));  // the inbox handles the buttons
  EXPECT_TRUE(store_->ListAnswers(pm->id, kAdminB).value().empty());
  EXPECT_EQ(slack_.Calls("views.open").size(), modals) << "no form of A's post-mortem opened";
  for (auto call : slack_.Calls()) {
    if (call.method == "oauth.v2.access") continue;
    const bool to_b = Has(call.headers["authorization"], std::string("xoxb-") + kB) ||
                      Has(call.path, "/response/button");
    if (to_b) {
      EXPECT_FALSE(LeaksA(call.body)) << call.method << ": " << call.body;
    }
  }
  EXPECT_EQ(store_->CountLessons(a_.id).value(), 2);
  EXPECT_NE(LessonTitled(b_.id, "Bravo form lesson").id, 0) << "the form added to B";
  auto lesson = store_->GetLesson(a_.id, alpha_lesson_.id).value();
  EXPECT_EQ(lesson.title, alpha_lesson_.title);
}

TEST_F(SlackIsolationTest, PeopleOfOtherOrganisationsAreRefused) {
  // A team that never installed Lessonbook (a Slack Connect guest's own team).
  const std::string body = Say("T0CONNECT", "U0GUEST01", std::string("search ") + kSecret);
  EXPECT_TRUE(Has(body, "not installed")) << body;
  EXPECT_FALSE(LeaksA(body));
  Say("T0CONNECT", "U0GUEST01", "add Guest lesson");
  // An event in A's channel from a person whose user_team is another organisation.
  EXPECT_EQ(client_
                ->Event(kA, "EvGuest1",
                        {{"type", "app_mention"},
                         {"channel", "C0ALPHA01"},
                         {"user", "U0GUEST01"},
                         {"user_team", "T0CONNECT"},
                         {"text", std::string("<@U0BOTALPH> search ") + kSecret},
                         {"ts", "1700000000.000200"}})
                .status,
            200);
  EXPECT_EQ(client_
                ->Event(kA, "EvGuest2",
                        {{"type", "app_mention"},
                         {"channel", "C0ALPHA01"},
                         {"user", "U0GUEST01"},
                         {"user_team", "T0CONNECT"},
                         {"text", "<@U0BOTALPH> add Guest lesson by mention"},
                         {"ts", "1700000000.000300"}})
                .status,
            200);
  json submit = {
      {"type", "view_submission"},
      {"team", {{"id", kA}}},
      {"user", {{"id", "U0GUEST01"}, {"team_id", "T0CONNECT"}}},
      {"view",
       {{"id", "V0GUEST01"},
        {"hash", "h"},
        {"callback_id", "add_lesson"},
        {"state",
         {{"values",
           {{"text",
             {{"text", {{"type", "plain_text_input"}, {"value", "Guest lesson by form"}}}}}}}}}}}};
  auto refused = client_->Interaction(submit);
  EXPECT_TRUE(Has(refused.body, "another organisation")) << refused.body;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  for (const auto& call : slack_.Calls("chat.postMessage")) {
    EXPECT_FALSE(LeaksA(call.body)) << call.body;
  }
  EXPECT_EQ(LessonTitled(a_.id, "Guest lesson").id, 0);
  EXPECT_EQ(store_->CountLessons(a_.id).value(), 2);
  const std::vector<Workspace> all = store_->ListWorkspaces().value();
  for (const auto& w : all) {
    EXPECT_NE(w.external_id, "T0CONNECT") << "no workspace is made for a stranger";
  }
}

TEST_F(SlackIsolationTest, MembersCannotUseAdminCommandsOrTouchOthersThings) {
  for (const std::string& text :
       {std::string("settings timezone Europe/Berlin"), std::string("settings quiet-digest off"),
        std::string("settings questions default"),
        std::string("settings admins add <@") + kMemberA + ">",
        std::string("settings admins remove <@") + kAdminA + ">",
        "delete " + std::to_string(alpha_lesson_.id),
        "edit " + std::to_string(alpha_lesson_.id) + " Rewritten by a member",
        std::string("campaign end \"Alpha launch\""),
        std::string("campaign edit \"Alpha launch\" ends:2099-12-20")}) {
    Say(kA, kMemberA, text);
  }
  ExpectTeamAUntouched();
  // Their own lesson they may change.
  Say(kA, kMemberA, "edit " + std::to_string(member_lesson_.id) + " Member note rewritten");
  EXPECT_EQ(store_->GetLesson(a_.id, member_lesson_.id).value().title, "Member note rewritten");
}

TEST_F(SlackIsolationTest, ExportWithAWorkspaceFilterWritesOnlyThatWorkspace) {
  auto env = Env();
  auto a = testing::RunLessonbook({"export", "--format", "jsonl", "--workspace", kA}, env);
  auto b = testing::RunLessonbook({"export", "--format", "jsonl", "--workspace", kB}, env);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_TRUE(Has(a.out, "Pricing page test"));
  EXPECT_FALSE(Has(a.out, "Bravo lesson"));
  EXPECT_TRUE(Has(b.out, "Bravo lesson"));
  EXPECT_FALSE(Has(b.out, kSecret));
  EXPECT_FALSE(LeaksA(b.out));
  auto md = testing::RunLessonbook({"export", "--format", "md", "--workspace", kB}, env);
  EXPECT_FALSE(Has(md.out, kSecret));
}

}  // namespace
}  // namespace lessonbook
