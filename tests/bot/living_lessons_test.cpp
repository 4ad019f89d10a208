// Living lessons through the engine: the private offer after an add (by hand and from a
// post-mortem), the confirm / contradict / new-lesson buttons and who may press them, evidence
// counts, sort:evidence, and the digest's evidence line.
#include "bot/living_lessons.h"

#include <gtest/gtest.h>

#include "bot/digest.h"
#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/message_codec.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "storage/store.h"
#include "tests/support/message_text.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

std::string Flatten(const Message& m) { return testing::MessageText(m); }

class LivingLessonsTest : public testing::StoreTest {
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
  }

  Inbound In(const std::string& user, WorkspaceId ws = 0) {
    Inbound in;
    in.workspace_id = ws == 0 ? ws_.id : ws;
    in.platform = Platform::kWeb;
    in.user_id = user;
    in.channel_id = "web:general";
    in.reply_to = "web:general";
    return in;
  }

  Message Say(const std::string& text, const std::string& user = "web:ana") {
    Inbound in = In(user);
    in.event = CommandEvent{text};
    return engine_->Handle(in).message.value_or(Message{});
  }

  Message Press(const Button& b, const std::string& user = "web:ana", WorkspaceId ws = 0) {
    Inbound in = In(user, ws);
    in.event = ActionEvent{b.action_id, b.value};
    return engine_->Handle(in).message.value_or(Message{});
  }

  LessonId Added(const Message& saved) {
    const std::string key = "Saved lesson #";
    const size_t at = saved.text.find(key);
    EXPECT_NE(at, std::string::npos) << saved.text;
    return at == std::string::npos ? 0 : std::stoll(saved.text.substr(at + key.size()));
  }

  // The message's button with that action id whose label names lesson #id.
  static std::optional<Button> FindButton(const Message& m, const std::string& action,
                                          LessonId id = 0) {
    for (const Section& s : m.sections) {
      for (const Button& b : s.buttons) {
        if (b.action_id != action) continue;
        if (id == 0 || b.label.find("#" + std::to_string(id)) != std::string::npos) return b;
      }
    }
    return std::nullopt;
  }

  Lesson Get(LessonId id) { return store_->GetLesson(ws_.id, id).value(); }

  std::vector<Message> PendingTo(const std::string& target) {
    std::vector<Message> out;
    auto rows = store_->ListOutbox(OutboxStatus::kPending, 200);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return out;
    for (const auto& row : *rows) {
      if (row.target != target) continue;
      auto m = DecodeMessage(row.message);
      EXPECT_TRUE(m.ok()) << m.status().ToString();
      if (m.ok()) out.push_back(*m);
    }
    return out;
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T09:00:00Z")};  // Monday
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(LivingLessonsTest, AddingASimilarLessonOffersTheOlderOnePrivatelyWithThreeButtons) {
  const LessonId old_id =
      Added(Say("add Free shipping beat a 10% discount #offers outcome:worked"));
  Say("add Podcast sponsorships were hard to attribute #paid", "web:bo");
  Message saved = Say("add Customers prefer free shipping over a discount code #offers", "web:bo");
  const std::string text = Flatten(saved);
  EXPECT_FALSE(saved.is_error) << text;
  EXPECT_EQ(saved.visibility, Visibility::kPrivate);
  EXPECT_NE(text.find("looks like a lesson already in the Book"), std::string::npos) << text;
  EXPECT_NE(text.find("#" + std::to_string(old_id) + " Free shipping beat"), std::string::npos);
  EXPECT_EQ(text.find("Podcast"), std::string::npos) << "not similar: " << text;
  EXPECT_TRUE(FindButton(saved, kConfirmsAction, old_id).has_value()) << text;
  EXPECT_TRUE(FindButton(saved, kContradictsAction, old_id).has_value()) << text;
  EXPECT_TRUE(FindButton(saved, kNewLessonAction).has_value()) << text;
}

TEST_P(LivingLessonsTest, AnUnrelatedLessonGetsNoOffer) {
  Say("add Free shipping beat a 10% discount #offers");
  Message saved = Say("add Webinars on Tuesdays doubled sign-ups #events");
  EXPECT_TRUE(FindButton(saved, kConfirmsAction) == std::nullopt) << Flatten(saved);
  EXPECT_EQ(saved.sections.size(), 1u);
}

TEST_P(LivingLessonsTest, ConfirmThenChangeOfMindThenNewLessonKeepCountsRight) {
  const LessonId old_id = Added(Say("add Free shipping beat a 10% discount #offers"));
  Message saved =
      Say("add Free shipping beat the discount again campaign:\"Spring sale\"", "web:bo");
  const LessonId new_id = Added(saved);
  auto confirm = FindButton(saved, kConfirmsAction, old_id);
  auto contradict = FindButton(saved, kContradictsAction, old_id);
  auto neutral = FindButton(saved, kNewLessonAction);
  ASSERT_TRUE(confirm && contradict && neutral) << Flatten(saved);

  Message recorded = Press(*confirm, "web:bo");
  EXPECT_FALSE(recorded.is_error) << recorded.text;
  EXPECT_NE(
      recorded.text.find("#" + std::to_string(new_id) + " confirms #" + std::to_string(old_id)),
      std::string::npos)
      << recorded.text;
  EXPECT_NE(recorded.text.find("confirmed by 1 campaign, contradicted by 0 campaigns"),
            std::string::npos)
      << recorded.text;
  Press(*confirm, "web:bo");  // pressed twice: still one
  EXPECT_EQ(Get(old_id).confirmations, 1);

  Press(*contradict, "web:bo");
  EXPECT_EQ(Get(old_id).confirmations, 0);
  EXPECT_EQ(Get(old_id).contradictions, 1);
  EXPECT_NE(Flatten(Say("search free shipping")).find("confirmed 0×, contradicted 1×"),
            std::string::npos);

  Message noted = Press(*neutral, "web:bo");
  EXPECT_FALSE(noted.is_error) << noted.text;
  EXPECT_NE(noted.text.find("is a new lesson"), std::string::npos);
  EXPECT_EQ(Get(old_id).contradictions, 0);
}

TEST_P(LivingLessonsTest, OnlyTheAuthorOrAnAdminMayChoose) {
  const LessonId old_id = Added(Say("add Free shipping beat a 10% discount #offers"));
  Message saved = Say("add Free shipping beat the discount again", "web:bo");
  auto confirm = FindButton(saved, kConfirmsAction, old_id);
  ASSERT_TRUE(confirm) << Flatten(saved);
  Message refused = Press(*confirm, "web:cy");
  EXPECT_TRUE(refused.is_error);
  EXPECT_NE(refused.text.find("Only the author of lesson"), std::string::npos) << refused.text;
  EXPECT_NE(refused.text.find("@bo"), std::string::npos) << refused.text;
  EXPECT_EQ(Get(old_id).confirmations, 0);
  EXPECT_FALSE(Press(*confirm, "web:boss").is_error);
  EXPECT_EQ(Get(old_id).confirmations, 1);
}

TEST_P(LivingLessonsTest, AnotherWorkspacesIdsStaleAndForgedButtonsAreExplained) {
  const LessonId old_id = Added(Say("add Free shipping beat a 10% discount #offers"));
  Message saved = Say("add Free shipping beat the discount again");
  const LessonId new_id = Added(saved);
  auto confirm = FindButton(saved, kConfirmsAction, old_id);
  ASSERT_TRUE(confirm) << Flatten(saved);

  // The same button pressed in another workspace names lessons that are not there.
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = "T-other";
  const WorkspaceId other = store_->EnsureWorkspace(w).value().id;
  Message foreign = Press(*confirm, "web:ana", other);
  EXPECT_TRUE(foreign.is_error);
  EXPECT_NE(foreign.text.find("not in this workspace's Book"), std::string::npos) << foreign.text;

  // Forged values.
  for (const char* value :
       {"", "abc", "1:", ":2", "1:2:3", "99999999999999999999:1", "-1:2", "1:2,3"}) {
    Message bad = Press(Button{"x", kConfirmsAction, value});
    EXPECT_TRUE(bad.is_error) << value;
    EXPECT_NE(bad.text.find("no longer valid"), std::string::npos) << value << ": " << bad.text;
  }
  // The older lesson was deleted since the offer.
  ASSERT_FALSE(Say("delete " + std::to_string(old_id)).is_error);
  Message gone = Press(*confirm);
  EXPECT_TRUE(gone.is_error);
  EXPECT_NE(gone.text.find("#" + std::to_string(old_id) + " is not in this workspace's Book"),
            std::string::npos)
      << gone.text;
  // The new lesson was deleted.
  ASSERT_FALSE(Say("delete " + std::to_string(new_id)).is_error);
  EXPECT_TRUE(Press(*confirm).is_error);
  EXPECT_EQ(store_->ListEvidenceRecorded(ws_.id, Time{}, clock_.Now() + std::chrono::hours(1), 10)
                .value()
                .size(),
            0u);
}

TEST_P(LivingLessonsTest, EvidenceCountsDistinctCampaignsAndSortEvidenceRanksByIt) {
  const LessonId shipping = Added(Say("add Free shipping beat a 10% discount #offers"));
  const LessonId other = Added(Say("add Free shipping thresholds raised order value #offers"));
  // Two lessons of one campaign and one of another confirm `shipping`.
  for (const char* text :
       {"add Free shipping beat the discount code campaign:\"Spring sale\"",
        "add Free shipping beat the percentage discount campaign:\"spring sale\"",
        "add Free shipping beat a discount in the holiday promo campaign:\"Holiday\""}) {
    Message saved = Say(text);
    auto confirm = FindButton(saved, kConfirmsAction, shipping);
    ASSERT_TRUE(confirm) << Flatten(saved);
    ASSERT_FALSE(Press(*confirm).is_error);
  }
  EXPECT_EQ(Get(shipping).confirmations, 2);
  Message sorted = Say("search free shipping sort:evidence");
  const std::string text = Flatten(sorted);
  const size_t first = text.find("#" + std::to_string(shipping) + " ");
  const size_t second = text.find("#" + std::to_string(other) + " ");
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  EXPECT_LT(first, second) << text;
  EXPECT_NE(text.find("confirmed 2×"), std::string::npos) << text;
}

TEST_P(LivingLessonsTest, WeeklyDigestNamesLessonsConfirmedOrContradictedThatWeek) {
  const LessonId shipping = Added(Say("add Free shipping beat a 10% discount #offers"));
  const LessonId timer = Added(Say("add Countdown timers raised flash sale conversion #email"));
  clock_.Advance(std::chrono::hours(24 * 7));  // the next week: the old lessons are not new
  const Time week_start = clock_.Now();
  Message s1 = Say("add Free shipping beat the discount code campaign:\"Spring sale\"");
  Message s2 =
      Say("add Countdown timers did not raise flash sale conversion campaign:\"Spring sale\"");
  ASSERT_FALSE(Press(*FindButton(s1, kConfirmsAction, shipping)).is_error);
  ASSERT_FALSE(Press(*FindButton(s2, kContradictsAction, timer)).is_error);
  auto digest = BuildDigest(*store_, ws_, week_start, week_start + std::chrono::hours(24 * 7),
                            DigestOptions{}, std::chrono::seconds(0));
  ASSERT_TRUE(digest.ok()) << digest.status().ToString();
  const std::string text = Flatten(digest->message);
  EXPECT_NE(text.find("Lessons that gathered evidence"), std::string::npos) << text;
  EXPECT_NE(text.find("#" + std::to_string(shipping) +
                      " Free shipping beat a 10% discount — confirmed by 1 campaign this week (#" +
                      std::to_string(Added(s1)) + ")"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("#" + std::to_string(timer) +
                " Countdown timers raised flash sale conversion — contradicted by 1 campaign"),
      std::string::npos)
      << text;
  // The week before has no evidence line.
  auto before = BuildDigest(*store_, ws_, week_start - std::chrono::hours(24 * 7), week_start,
                            DigestOptions{}, std::chrono::seconds(0));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Flatten(before->message).find("gathered evidence"), std::string::npos);
}

TEST_P(LivingLessonsTest, SharedLessonGetsItsOfferInAPrivateDm) {
  const LessonId old_id = Added(Say("add Free shipping beat a 10% discount #offers"));
  Inbound in = In("web:bo");
  in.event = CommandEvent{"add Free shipping beat the discount again --share"};
  in.share_inline = true;
  Message shared = engine_->Handle(in).message.value();
  EXPECT_EQ(shared.visibility, Visibility::kChannel);
  EXPECT_FALSE(FindButton(shared, kConfirmsAction).has_value()) << "never in the channel";
  auto dms = PendingTo(DmTarget("web:bo"));
  ASSERT_EQ(dms.size(), 1u);
  EXPECT_TRUE(FindButton(dms[0], kConfirmsAction, old_id).has_value()) << Flatten(dms[0]);
}

TEST_P(LivingLessonsTest, PostmortemLessonsGetOneOfferPerPersonPerPostmortem) {
  const LessonId shipping = Added(Say("add Free shipping beat a 10% discount #offers"));
  const LessonId timer = Added(Say("add Countdown timers raised flash sale conversion #email"));
  ASSERT_FALSE(Say("campaign new \"Spring sale\" ends:2026-11-25 with:@bo").is_error);
  auto sets = LoadQuestionSets("").value();
  clock_.Set(*ParseRfc3339("2026-11-26T09:00:00Z"));
  ASSERT_EQ(OpenDuePostmortems(*store_, sets, clock_.Now(), PostmortemOptions{}), 1);

  Inbound ask = In("web:bo");
  ask.event = CommandEvent{"postmortem Spring sale"};
  Message form = engine_->Handle(ask).message.value();
  ASSERT_TRUE(form.form.has_value()) << form.text;
  std::map<std::string, std::string> values = {
      {"learned", "Webinars need a co-host"},
      {"worked",
       "Free shipping beat the discount code\nCountdown timers raised flash sale conversion"},
      {"flopped", "Podcast ads could not be attributed"}};
  for (int i = 0; i < 3; ++i) {  // submitted three times: still one offer
    Inbound submit = In("web:bo");
    submit.event = FormSubmitEvent{kPostmortemFormId, values, form.form->state};
    Message thanks = engine_->Handle(submit).message.value();
    ASSERT_FALSE(thanks.is_error) << thanks.text;
  }
  auto offers = PendingTo(DmTarget("web:bo"));
  std::vector<Message> evidence_offers;
  for (const auto& m : offers) {
    if (FindButton(m, kConfirmsAction)) evidence_offers.push_back(m);
  }
  ASSERT_EQ(evidence_offers.size(), 1u);
  const Message& offer = evidence_offers[0];
  EXPECT_NE(offer.text.find("Spring sale"), std::string::npos) << offer.text;
  auto confirm_shipping = FindButton(offer, kConfirmsAction, shipping);
  ASSERT_TRUE(confirm_shipping) << Flatten(offer);
  EXPECT_TRUE(FindButton(offer, kConfirmsAction, timer)) << Flatten(offer);
  EXPECT_EQ(Flatten(offer).find("Podcast"), std::string::npos) << Flatten(offer);

  // Pressing works after the lessons were regenerated by the later submissions and the close.
  ASSERT_FALSE(Press(*confirm_shipping, "web:bo").is_error);
  clock_.Set(*ParseRfc3339("2026-12-05T09:00:00Z"));
  CloseDuePostmortems(*store_, sets, clock_.Now(), PostmortemOptions{});
  EXPECT_EQ(Get(shipping).confirmations, 1);
  EXPECT_FALSE(Press(*FindButton(offer, kContradictsAction, timer), "web:bo").is_error);
  EXPECT_EQ(Get(timer).contradictions, 1);
}

TEST_P(LivingLessonsTest, TheAddFormOffersTooButNeverALessonOfTheSameCampaign) {
  const LessonId other_campaign =
      Added(Say("add Free shipping beat a 10% discount campaign:\"Holiday\""));
  const LessonId same_campaign =
      Added(Say("add Free shipping beat the 10% discount code campaign:\"Spring sale\""));
  Inbound in = In("web:bo");
  in.event = FormSubmitEvent{"add_lesson",
                             {{"text", "Free shipping beat a discount again"},
                              {"outcome", "worked"},
                              {"campaign", "spring SALE"}},
                             ""};
  Message saved = engine_->Handle(in).message.value();
  ASSERT_FALSE(saved.is_error) << Flatten(saved);
  EXPECT_TRUE(FindButton(saved, kConfirmsAction, other_campaign).has_value()) << Flatten(saved);
  EXPECT_FALSE(FindButton(saved, kConfirmsAction, same_campaign).has_value()) << Flatten(saved);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(LivingLessonsTest);

}  // namespace
}  // namespace lessonbook
