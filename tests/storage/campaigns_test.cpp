// Campaigns and post-mortems in the store: unique names, the ended-campaign queue, a post-mortem
// opened and closed exactly once with its sessions and messages, answers, keyed lessons and
// people's timezones.
#include <gtest/gtest.h>

#include "tests/storage/store_fixture.h"

namespace lessonbook::testing {
namespace {

class StoreCampaignsTest : public StoreTest {
 protected:
  Campaign MakeCampaign(WorkspaceId ws, const std::string& name, long long ends) {
    Campaign c;
    c.workspace_id = ws;
    c.platform = Platform::kSlack;
    c.name = name;
    c.owner = "U1";
    c.channel_id = "C1";
    c.channel_target = "C1";
    c.starts_at = T(100);
    c.ends_at = T(ends);
    c.goals = "More sign-ups";
    c.learning_goals = "Does video beat text?";
    c.metrics = {{"mqls", "300", ""}, {"ctr", "2%", "2.4%"}};
    c.participants = {"U1", "U2"};
    c.status = CampaignStatus::kRunning;
    c.created_at = T(50);
    c.updated_at = T(50);
    return c;
  }

  // An open post-mortem of the campaign: question set "default", opened at 500, due at 5000.
  static Postmortem MakePostmortem(WorkspaceId ws, std::int64_t campaign_id, int set_version) {
    Postmortem pm;
    pm.workspace_id = ws;
    pm.campaign_id = campaign_id;
    pm.question_set = "default";
    pm.question_set_version = set_version;
    pm.opened_at = T(500);
    pm.deadline_at = T(5000);
    return pm;
  }

  // A session for user with DM target dm, written at 500.
  static PromptSession MakeSession(const std::string& user, const std::string& dm) {
    PromptSession s;
    s.user_id = user;
    s.dm_target = dm;
    s.updated_at = T(500);
    return s;
  }

  static OutboxMessage Note(WorkspaceId ws, const std::string& target, const std::string& key) {
    OutboxMessage m;
    m.workspace_id = ws;
    m.platform = Platform::kSlack;
    m.target = target;
    m.message = "{\"text\":\"post-mortem\"}";
    m.dedupe_key = key;
    m.next_attempt_at = T(500);
    m.created_at = T(500);
    return m;
  }
};

TEST_P(StoreCampaignsTest, NamesAreUniquePerWorkspaceInAnyCase) {
  const WorkspaceId ws = AddWorkspace("T1");
  const WorkspaceId other = AddWorkspace("T2");
  Result<Campaign> spring = store_->CreateCampaign(MakeCampaign(ws, "Spring Launch", 400));
  ASSERT_TRUE(spring.ok()) << spring.status().ToString();
  EXPECT_EQ(spring->metrics.size(), 2u);
  EXPECT_EQ(spring->metrics[1].actual, "2.4%");
  EXPECT_EQ(spring->participants, (std::vector<std::string>{"U1", "U2"}));
  Result<Campaign> clash = store_->CreateCampaign(MakeCampaign(ws, "spring launch", 400));
  EXPECT_EQ(clash.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(clash.status().message(), "there is a campaign called \"spring launch\" already");
  EXPECT_TRUE(store_->CreateCampaign(MakeCampaign(other, "Spring Launch", 400)).ok());

  Result<Campaign> found = store_->FindCampaign(ws, "SPRING launch");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, spring->id);
  EXPECT_EQ(store_->FindCampaign(ws, "Autumn").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->GetCampaign(other, spring->id).status().code(), Status::Code::kNotFound);

  Result<Campaign> autumn = store_->CreateCampaign(MakeCampaign(ws, "Autumn", 900));
  ASSERT_TRUE(autumn.ok());
  Campaign renamed = *autumn;
  renamed.name = "SPRING LAUNCH";
  EXPECT_EQ(store_->UpdateCampaign(renamed).status().code(), Status::Code::kAlreadyExists);
  renamed.name = "Autumn Sale";
  renamed.goals = "Clear stock";
  Result<Campaign> updated = store_->UpdateCampaign(renamed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->goals, "Clear stock");
  renamed.id = 999999;
  renamed.name = "Nowhere";
  EXPECT_EQ(store_->UpdateCampaign(renamed).status().code(), Status::Code::kNotFound);

  Result<std::vector<Campaign>> listed = store_->ListCampaigns(ws, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "Autumn Sale");  // newest end first
}

TEST_P(StoreCampaignsTest, APostmortemOpensAndClosesExactlyOnce) {
  const WorkspaceId ws = AddWorkspace("T1");
  Result<Campaign> c = store_->CreateCampaign(MakeCampaign(ws, "Spring", 400));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(store_->CreateCampaign(MakeCampaign(ws, "Later", 5000)).ok());
  Result<std::vector<Campaign>> due = store_->CampaignsDue(T(450), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].name, "Spring");

  const Postmortem pm = MakePostmortem(ws, c->id, 2);
  std::vector<PromptSession> sessions = {MakeSession("U1", "D1"), MakeSession("U2", "D2")};
  sessions[0].next_reminder_at = T(600);
  sessions[1].next_reminder_at = T(700);
  const std::vector<OutboxMessage> messages = {Note(ws, "C1", "pm-open:1"),
                                               Note(ws, "D1", "pm-dm:1:U1")};
  EXPECT_TRUE(*store_->OpenPostmortem(pm, sessions, messages));
  EXPECT_FALSE(*store_->OpenPostmortem(pm, sessions, messages));  // exactly once
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 10)->size(), 2u);
  EXPECT_EQ(store_->GetCampaign(ws, c->id)->status, CampaignStatus::kReviewing);
  EXPECT_TRUE(store_->CampaignsDue(T(450), 10)->empty());

  Result<Postmortem> opened = store_->PostmortemOfCampaign(ws, c->id);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE(opened->open());
  EXPECT_EQ(opened->question_set_version, 2);
  EXPECT_EQ(store_->GetPostmortem(ws, opened->id)->campaign_id, c->id);
  EXPECT_EQ(store_->OpenPostmortems()->size(), 1u);

  Result<std::vector<PromptSession>> listed = store_->ListSessions(opened->id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(store_->OpenSessionsOf(ws, "U2")->size(), 1u);
  Result<std::vector<PromptSession>> reminders = store_->SessionsDueForReminder(T(650), 10);
  ASSERT_TRUE(reminders.ok());
  ASSERT_EQ(reminders->size(), 1u);
  EXPECT_EQ((*reminders)[0].user_id, "U1");

  PromptSession s = (*listed)[0];
  s.state = PromptState::kAsking;
  s.current_question = 3;
  s.next_reminder_at = Time{};
  OutboxMessage question = Note(ws, "D1", "pm-q:1:U1:3");
  ASSERT_TRUE(store_->SaveSession(s, &question).ok());
  EXPECT_EQ(store_->ListSessions(opened->id)->at(0).current_question, 3);
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 10)->size(), 3u);
  s.id = 999999;
  EXPECT_EQ(store_->SaveSession(s, nullptr).code(), Status::Code::kNotFound);

  ASSERT_TRUE(store_->SaveAnswer({opened->id, "U1", "worked", "Video", T(510)}).ok());
  ASSERT_TRUE(store_->SaveAnswer({opened->id, "U1", "worked", "Short video", T(520)}).ok());
  ASSERT_TRUE(store_->SaveAnswer({opened->id, "U2", "flopped", "Banners", T(530)}).ok());
  ASSERT_TRUE(store_->SaveAnswer({opened->id, "U1", "change", "Less text", T(540)}).ok());
  Result<std::vector<Answer>> all = store_->ListAnswers(opened->id, "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].question_id, "change");  // by user, then question
  EXPECT_EQ((*all)[1].value, "Short video");
  EXPECT_EQ(store_->ListAnswers(opened->id, "U2")->size(), 1u);

  EXPECT_TRUE(*store_->ClosePostmortem(ws, opened->id, T(6000), Note(ws, "C1", "pm-sum:1")));
  EXPECT_FALSE(*store_->ClosePostmortem(ws, opened->id, T(6001), Note(ws, "C1", "pm-sum:1b")));
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 10)->size(), 4u);
  EXPECT_EQ(store_->GetCampaign(ws, c->id)->status, CampaignStatus::kClosed);
  EXPECT_FALSE(store_->GetPostmortem(ws, opened->id)->open());
  EXPECT_TRUE(store_->OpenPostmortems()->empty());
  EXPECT_TRUE(store_->OpenSessionsOf(ws, "U2")->empty());
}

TEST_P(StoreCampaignsTest, APersonsOpenSessionsAreListedOldestFirstWhateverTheirState) {
  // The index lists a person's sessions by state: the older one is snoozed, the newer asking.
  const WorkspaceId ws = AddWorkspace("T1");
  std::vector<std::int64_t> postmortems;
  for (const char* name : {"Spring", "Summer"}) {
    Result<Campaign> c = store_->CreateCampaign(MakeCampaign(ws, name, 400));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE(*store_->OpenPostmortem(MakePostmortem(ws, c->id, 1), {MakeSession("U1", "D1")}, {}));
    Result<Postmortem> opened = store_->PostmortemOfCampaign(ws, c->id);
    ASSERT_TRUE(opened.ok());
    postmortems.push_back(opened->id);
  }
  const PromptState states[] = {PromptState::kSnoozed, PromptState::kAsking};
  for (size_t i = 0; i < 2; ++i) {
    PromptSession s = store_->ListSessions(postmortems[i])->at(0);
    s.state = states[i];
    ASSERT_TRUE(store_->SaveSession(s, nullptr).ok());
  }
  Result<std::vector<PromptSession>> mine = store_->OpenSessionsOf(ws, "U1");
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_LT((*mine)[0].id, (*mine)[1].id);
  EXPECT_EQ((*mine)[0].postmortem_id, postmortems[0]);
  EXPECT_EQ((*mine)[0].state, PromptState::kSnoozed);
  EXPECT_EQ((*mine)[1].state, PromptState::kAsking);
}

TEST_P(StoreCampaignsTest, KeyedLessonsAreReplacedNotDuplicated) {
  const WorkspaceId ws = AddWorkspace("T1");
  Add(MakeLesson(ws, "Manual lesson"));
  std::vector<std::pair<Lesson, std::string>> first = {
      {MakeLesson(ws, "Video worked"), "pm:1:U1:worked"},
      {MakeLesson(ws, "Banners flopped"), "pm:1:U1:flopped"}};
  Result<std::vector<Lesson>> stored = store_->ReplaceKeyedLessons(ws, "pm:1:U1:", first);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->size(), 2u);
  std::vector<std::pair<Lesson, std::string>> edited = {
      {MakeLesson(ws, "Short video worked"), "pm:1:U1:worked"}};
  ASSERT_TRUE(store_->ReplaceKeyedLessons(ws, "pm:1:U1:", edited).ok());
  EXPECT_EQ(*store_->CountLessons(ws), 2);
  EXPECT_EQ(store_->ReplaceKeyedLessons(ws, "", edited).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_P(StoreCampaignsTest, PeopleTimezonesAndSettings) {
  const WorkspaceId ws = AddWorkspace("T1");
  EXPECT_FALSE(store_->GetPersonTimezone(ws, "U1")->has_value());
  ASSERT_TRUE(store_->SetPersonTimezone(ws, "U1", "Europe/Berlin", T(1)).ok());
  ASSERT_TRUE(store_->SetPersonTimezone(ws, "U1", "Asia/Tokyo", T(2)).ok());
  EXPECT_EQ(store_->GetPersonTimezone(ws, "U1")->value_or(""), "Asia/Tokyo");
  ASSERT_TRUE(store_->SetPersonTimezone(ws, "U2", "", T(2)).ok());
  EXPECT_FALSE(store_->GetPersonTimezone(ws, "U2")->has_value());

  EXPECT_FALSE(store_->GetSetting(ws, "quiet_digest")->has_value());
  ASSERT_TRUE(store_->SetSetting(ws, "quiet_digest", "skip").ok());
  ASSERT_TRUE(store_->SetSetting(ws, "quiet_digest", "line").ok());
  EXPECT_EQ(store_->GetSetting(ws, "quiet_digest")->value_or(""), "line");
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreCampaignsTest);

}  // namespace
}  // namespace lessonbook::testing
