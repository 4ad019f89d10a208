// The post-mortem flow end to end through the engine, with a driven clock: a campaign with three
// participants ends; one answers by form, one in DM turns (with a skip and an edit), one never
// answers and gets two reminders, none at night; the summary is posted once at the deadline.
#include "bot/postmortem.h"

#include <gtest/gtest.h>

#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/outbox.h"
#include "storage/store.h"
#include "tests/support/message_text.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

std::string Flatten(const Message& m) { return testing::MessageText(m); }

// The platform: records every delivered message by target.
class FakePlatform final : public Deliverer {
 public:
  std::vector<Outbound> sent;
  Delivery Deliver(const Outbound& out) override {
    sent.push_back(out);
    return Delivery::Sent();
  }
  std::vector<const Outbound*> To(const std::string& target) const {
    std::vector<const Outbound*> out;
    for (const auto& o : sent) {
      if (o.target == target) out.push_back(&o);
    }
    return out;
  }
};

class PostmortemTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.platform = Platform::kWeb;
    w.external_id = "local";
    w.timezone = "Europe/Berlin";
    w.admins = {"web:boss"};
    ws_ = store_->EnsureWorkspace(w).value();
    engine_ = std::make_unique<Engine>(*store_, clock_);
    sets_ = std::make_unique<QuestionSets>(LoadQuestionSets("").value());
    worker_ = std::make_unique<OutboxWorker>(*store_, clock_);
    worker_->Register(Platform::kWeb, &platform_);
  }

  Inbound In(const std::string& user) {
    Inbound in;
    in.workspace_id = ws_.id;
    in.platform = Platform::kWeb;
    in.user_id = "web:" + user;
    in.channel_id = "web:general";
    in.reply_to = "web:general";
    return in;
  }

  Message Say(const std::string& user, const std::string& text) {
    Inbound in = In(user);
    in.event = CommandEvent{text};
    return engine_->Handle(in).message.value_or(Message{});
  }

  // Runs the scheduler's post-mortem jobs and delivers the outbox at the clock's time.
  void Tick() {
    PostmortemOptions o;
    OpenDuePostmortems(*store_, *sets_, clock_.Now(), o);
    SendDueReminders(*store_, *sets_, clock_.Now(), o);
    CloseDuePostmortems(*store_, *sets_, clock_.Now(), o);
    while (worker_->DrainOnce() > 0) {
    }
  }

  // Advances the clock an hour at a time to `until`, ticking each hour.
  void RunUntil(const char* until) {
    Time end = *ParseRfc3339(until);
    while (clock_.Now() < end) {
      clock_.Advance(std::chrono::hours(1));
      Tick();
    }
  }

  // Monday 2026-11-23 10:00 Berlin.
  FakeClock clock_{*ParseRfc3339("2026-11-23T09:00:00Z")};
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<QuestionSets> sets_;
  FakePlatform platform_;
  std::unique_ptr<OutboxWorker> worker_;
};

TEST_P(PostmortemTest, ThreeParticipantsFormDmAndSilenceThenOneSummary) {
  Say("ana", "add Partner co-hosts doubled webinar attendance #events outcome:worked");
  Message created = Say("ana",
                        "campaign new \"Q1 webinar\" ends:2026-11-25 with:@bo,@cy "
                        "goal:\"300 MQLs\" learn:\"does a partner co-host raise attendance?\" "
                        "metric:mqls=300");
  ASSERT_FALSE(created.is_error) << created.text;
  std::string card = Flatten(created);
  EXPECT_NE(card.find("@ana, @bo, @cy"), std::string::npos) << card;
  EXPECT_NE(card.find("what the Book of Learning says"), std::string::npos) << "resurfaced: " << card;
  EXPECT_NE(card.find("Partner co-hosts doubled"), std::string::npos) << card;

  // The campaign ends Wednesday 17:00 Berlin (16:00 UTC).
  RunUntil("2026-11-25T15:00:00Z");
  EXPECT_TRUE(platform_.To("dm:web:bo").empty()) << "nothing before the end";
  RunUntil("2026-11-25T16:00:00Z");
  ASSERT_EQ(platform_.To("web:general").size(), 1u) << "the channel hears it ended";
  ASSERT_EQ(platform_.To("dm:web:ana").size(), 1u);
  ASSERT_EQ(platform_.To("dm:web:bo").size(), 1u);
  ASSERT_EQ(platform_.To("dm:web:cy").size(), 1u);
  EXPECT_NE(platform_.To("dm:web:bo")[0]->message.text.find("Question 1 of"), std::string::npos);

  // Ana answers in the form (once, then again: nothing doubles).
  Inbound press = In("ana");
  press.event = ActionEvent{kPostmortemFormAction, ""};
  Message form = Say("ana", "postmortem Q1 webinar");
  ASSERT_TRUE(form.form.has_value()) << form.text;
  std::map<std::string, std::string> values = {
      {"metric:mqls", "280"},
      {"learned", "A partner co-host raised attendance by 40%"},
      {"worked", "Co-host promoted to their list\nReminder email 1 hour before"},
      {"flopped", "LinkedIn ads brought no sign-ups"},
      {"differently", "Start promotion two weeks earlier"},
      {"sections", "events,email"},
      {"rating", "4"}};
  for (int i = 0; i < 2; ++i) {
    Inbound submit = In("ana");
    submit.event = FormSubmitEvent{kPostmortemFormId, values, form.form->state};
    Message thanks = engine_->Handle(submit).message.value();
    ASSERT_FALSE(thanks.is_error) << thanks.text;
    EXPECT_NE(thanks.text.find("5 lessons are in the Book"), std::string::npos) << thanks.text;
  }
  Message found = Say("ana", "search linkedin campaign:\"Q1 webinar\"");
  EXPECT_NE(Flatten(found).find("1 lesson"), std::string::npos) << Flatten(found);
  EXPECT_NE(Flatten(found).find("flopped · #events #email · Q1 webinar · @ana"), std::string::npos)
      << Flatten(found);

  // Bo answers in the DM, one question at a time: a skip, then goes back to edit an answer.
  EXPECT_NE(Say("bo", "300").text.find("Question 2"), std::string::npos);
  EXPECT_NE(Say("bo", "skip").text.find("Skipped. Question 3"), std::string::npos);
  EXPECT_NE(Say("bo", "Webinars on Tuesdays work").text.find("Question 4"), std::string::npos);
  Message back = Say("bo", "back");
  EXPECT_NE(Flatten(back).find("Your answer so far: Webinars on Tuesdays work"), std::string::npos)
      << Flatten(back);
  Say("bo", "Webinars on Tuesdays at 11:00 work best");
  Say("bo", "Too many speakers");
  Say("bo", "Fewer speakers");
  Say("bo", "events");
  Message rating_error = Say("bo", "great");
  EXPECT_TRUE(rating_error.is_error);
  Message done = Say("bo", "5");
  EXPECT_NE(done.text.find("Thank you"), std::string::npos) << done.text;
  EXPECT_NE(Flatten(Say("bo", "search tuesdays")).find("11:00 work best"), std::string::npos);
  EXPECT_EQ(Flatten(Say("bo", "search tuesdays")).find("1 lesson"),
            Flatten(Say("bo", "search tuesdays")).find("1 lesson"));

  // Cy never answers: two reminders, in the daytime in Berlin, then the deadline.
  RunUntil("2026-11-30T17:00:00Z");  // past the 5-day deadline (Monday 16:00 UTC)
  auto to_cy = platform_.To("dm:web:cy");
  ASSERT_EQ(to_cy.size(), 3u) << "the question and two reminders";
  for (size_t i = 1; i < to_cy.size(); ++i) {
    EXPECT_NE(to_cy[i]->message.text.find("A reminder"), std::string::npos);
  }
  auto summaries = platform_.To("web:general");
  ASSERT_EQ(summaries.size(), 2u) << "the opening note and exactly one summary";
  std::string summary = Flatten(summaries[1]->message);
  EXPECT_NE(summary.find("2 of 3 people answered"), std::string::npos) << summary;
  EXPECT_NE(summary.find("mqls: 280 (target 300)"), std::string::npos) << "the owner's figure: " << summary;
  EXPECT_NE(summary.find("answered by 1 person"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Top lessons — flopped"), std::string::npos) << summary;
  RunUntil("2026-12-01T17:00:00Z");
  EXPECT_EQ(platform_.To("web:general").size(), 2u) << "closed once";

  // Answers for a closed post-mortem are refused; nothing changes.
  Inbound late = In("cy");
  late.event = FormSubmitEvent{kPostmortemFormId, values, form.form->state};
  Message refused = engine_->Handle(late).message.value();
  EXPECT_TRUE(refused.is_error);
  EXPECT_NE(refused.text.find("closed"), std::string::npos);
  EXPECT_NE(Flatten(Say("cy", "campaign show Q1 webinar")).find("closed"), std::string::npos);
}

TEST_P(PostmortemTest, RemindersNeverGoOutAtNight) {
  // Ends Monday 23:00 Berlin; 24 hours later is night again: the reminder waits for 08:00.
  Say("ana", "campaign new Night owls ends:2026-11-23T23:00 with:@bo");
  RunUntil("2026-11-24T22:00:00Z");
  EXPECT_EQ(platform_.To("dm:web:bo").size(), 1u);
  RunUntil("2026-11-25T06:00:00Z");
  EXPECT_EQ(platform_.To("dm:web:bo").size(), 1u) << "not between 20:00 and 08:00 Berlin";
  RunUntil("2026-11-25T08:00:00Z");
  ASSERT_EQ(platform_.To("dm:web:bo").size(), 2u);
  Time sent_at = clock_.Now();
  EXPECT_GE(LocalHour(sent_at, "Europe/Berlin"), 8);
}

TEST_P(PostmortemTest, LaterSnoozesUntilTomorrowAndStopEndsTheQuestions) {
  Say("ana", "campaign new Snooze ends:2026-11-24 with:@bo");
  RunUntil("2026-11-24T16:00:00Z");
  EXPECT_NE(Say("bo", "later").text.find("tomorrow"), std::string::npos);
  RunUntil("2026-11-25T15:00:00Z");
  EXPECT_EQ(platform_.To("dm:web:bo").size(), 1u);
  RunUntil("2026-11-25T17:00:00Z");
  EXPECT_EQ(platform_.To("dm:web:bo").size(), 2u) << "asked again the next day";
  Say("bo", "12");
  EXPECT_NE(Say("bo", "stop").text.find("no more questions"), std::string::npos);
  EXPECT_NE(Say("bo", "stop").text.find("No lessons match"), std::string::npos)
      << "after stop, text is a search again";
}

TEST_P(PostmortemTest, CampaignBadInputIsExplained) {
  struct Case {
    const char* user;
    const char* text;
    const char* expect;
  } cases[] = {
      {"ana", "campaign new \"Past\" ends:2020-01-01", "is in the past"},
      {"ana", "campaign new \"No end\"", "Add ends:YYYY-MM-DD"},
      {"ana", "campaign new \"Bad date\" ends:15/12/2026", "is not a date"},
      {"ana", "campaign new \"Nobody\" ends:2026-12-15 with:", "with: needs people"},
      {"ana", "campaign new \"Bad\" ends:2026-12-15 budget:5", "is not a campaign option"},
      {"ana", "campaign show Nope", "there is no campaign called"},
      {"ana", "campaign frobnicate", "is not a campaign command"},
      {"ana", "campaign end", "say which campaign"},
  };
  for (const auto& c : cases) {
    Message m = Say(c.user, c.text);
    EXPECT_TRUE(m.is_error) << c.text;
    EXPECT_NE(m.text.find(c.expect), std::string::npos) << c.text << " -> " << m.text;
  }
  EXPECT_FALSE(Say("ana", "campaign new \"Launch\" ends:2026-12-15 with:@bo").is_error);
  EXPECT_TRUE(Say("cy", "campaign new \"launch\" ends:2026-12-15").is_error) << "names are unique";
  Message not_owner = Say("bo", "campaign end Launch");
  EXPECT_TRUE(not_owner.is_error);
  EXPECT_NE(not_owner.text.find("Only the campaign's owner"), std::string::npos);
  EXPECT_FALSE(Say("boss", "campaign end Launch").is_error) << "admins may";
  EXPECT_TRUE(Say("ana", "campaign end Launch").is_error) << "ended already";
  EXPECT_TRUE(Say("ana", "campaign new").form.has_value()) << "no arguments: the form";
}

TEST_P(PostmortemTest, FormSubmittedForAnotherWorkspaceFindsNothing) {
  Say("ana", "campaign new Mine ends:2026-11-24 with:@bo");
  RunUntil("2026-11-24T16:00:00Z");
  Workspace other;
  other.platform = Platform::kSlack;
  other.external_id = "T-OTHER";
  Workspace o = store_->EnsureWorkspace(other).value();
  Inbound in = In("bo");
  in.workspace_id = o.id;
  in.platform = Platform::kSlack;
  in.user_id = "web:bo";
  in.event = FormSubmitEvent{kPostmortemFormId, {{"learned", "x"}}, "1"};
  Message m = engine_->Handle(in).message.value();
  EXPECT_TRUE(m.is_error);
  EXPECT_EQ(*store_->CountLessons(o.id), 0);
  EXPECT_EQ(*store_->CountLessons(ws_.id), 0);
}

TEST_P(PostmortemTest, SettingsAreForAdmins) {
  EXPECT_NE(Flatten(Say("ana", "settings")).find("timezone: Europe/Berlin"), std::string::npos);
  EXPECT_TRUE(Say("ana", "settings timezone UTC").is_error);
  EXPECT_FALSE(Say("boss", "settings timezone America/New_York").is_error);
  EXPECT_TRUE(Say("boss", "settings timezone Mars/Base").is_error);
  EXPECT_FALSE(Say("boss", "settings admins add @ana").is_error);
  EXPECT_FALSE(Say("ana", "settings quiet-digest off").is_error);
  EXPECT_TRUE(Say("ana", "settings questions nope").is_error);
  EXPECT_FALSE(Say("ana", "settings questions default").is_error);
  EXPECT_NE(Flatten(Say("ana", "settings")).find("timezone: America/New_York"), std::string::npos);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(PostmortemTest);

}  // namespace
}  // namespace lessonbook
