#include "bot/digest.h"

#include <gtest/gtest.h>

#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/message_codec.h"
#include "bot/outbox.h"
#include "storage/store.h"
#include "tests/support/message_text.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

std::string Flatten(const Message& m) { return testing::MessageText(m); }

// Records what the platform was asked to send.
class RecordingDeliverer final : public Deliverer {
 public:
  std::vector<Outbound> sent;
  Delivery Deliver(const Outbound& out) override {
    sent.push_back(out);
    return Delivery::Sent();
  }
};

class DigestTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.platform = Platform::kSlack;
    w.external_id = "T1";
    w.timezone = "Europe/Berlin";
    ws_ = store_->EnsureWorkspace(w).value();
    engine_ = std::make_unique<Engine>(*store_, clock_);
  }

  Message Say(const std::string& text, const std::string& channel = "C-launch") {
    Inbound in;
    in.workspace_id = ws_.id;
    in.platform = Platform::kSlack;
    in.user_id = "U1";
    in.channel_id = channel;
    in.reply_to = "response-url";
    in.channel_target = channel;
    in.event = CommandEvent{text};
    return engine_->Handle(in).message.value_or(Message{});
  }

  std::vector<OutboxMessage> Pending() {
    auto rows = store_->ListOutbox(OutboxStatus::kPending, 100);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<OutboxMessage>{};
  }

  // Wednesday 2026-03-25, in the week before Berlin's change to summer time.
  FakeClock clock_{*ParseRfc3339("2026-03-25T10:00:00Z")};
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(DigestTest, ArrivesAtNineLocalOnTheDstWeekExactlyOnce) {
  Message sub = Say("digest subscribe monday 09:00");
  EXPECT_FALSE(sub.is_error) << sub.text;
  EXPECT_NE(sub.text.find("every Monday at 09:00 (Europe/Berlin)"), std::string::npos) << sub.text;
  EXPECT_NE(sub.text.find("2026-03-30"), std::string::npos) << sub.text;
  Say("add Partner webinars doubled sign-ups #events outcome:worked");
  Say("add Discount banner flopped: clicks but no sales #offers outcome:flopped");

  // Monday 2026-03-30 09:00 CEST is 07:00 UTC (08:00 UTC would be wrong after the change).
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-30T06:59:59Z"), {}), 0);
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-30T07:00:00Z"), {}), 1);
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-30T07:00:30Z"), {}), 0);
  // A clock jump back and forth within the week creates nothing new.
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-04-02T07:00:00Z"), {}), 0);
  auto rows = Pending();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].target, "C-launch");
  auto m = DecodeMessage(rows[0].message);
  ASSERT_TRUE(m.ok());
  std::string all = Flatten(*m);
  EXPECT_NE(all.find("2026-W14"), std::string::npos) << all;
  EXPECT_NE(all.find("2 new lessons"), std::string::npos) << all;
  EXPECT_NE(all.find("Events (1)"), std::string::npos) << all;
  EXPECT_NE(all.find("Offers and promotions (1)"), std::string::npos) << all;
  EXPECT_NE(all.find("Flop of the week"), std::string::npos) << all;
  EXPECT_EQ(all.find("late"), std::string::npos) << all;

  RecordingDeliverer slack;
  OutboxWorker worker(*store_, clock_);
  worker.Register(Platform::kSlack, &slack);
  clock_.Set(*ParseRfc3339("2026-03-30T07:00:05Z"));
  worker.DrainOnce();
  ASSERT_EQ(slack.sent.size(), 1u);
  EXPECT_EQ(slack.sent[0].message.visibility, Visibility::kChannel);

  // The next week gets its own digest.
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-04-06T07:00:00Z"), {}), 1);
}

TEST_P(DigestTest, MissedDigestIsCreatedWhenBackAndSaysLateOnlyAfterADay) {
  Say("digest subscribe");  // Monday 09:00 in the workspace timezone
  Say("add Something learned #email");
  // Down at 09:00 (08:00 UTC in winter time), back at 15:00 the same day: not "late".
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-23T14:00:00Z"), {}), 0)
      << "subscribed on Wednesday: this week's time had passed";
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-30T13:00:00Z"), {}), 1);
  auto m = DecodeMessage(Pending().at(0).message);
  EXPECT_EQ(m->text.find("late"), std::string::npos) << m->text;
  // The week after, back on Wednesday: late, and it says so.
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-04-08T10:00:00Z"), {}), 1);
  auto rows = Pending();
  auto late = DecodeMessage(rows.back().message);
  EXPECT_NE(late->text.find("late by"), std::string::npos) << late->text;
}

TEST_P(DigestTest, QuietWeekSaysSoInOneLineOrNothing) {
  Say("digest subscribe monday 09:00 UTC");
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-30T09:00:00Z"), {}), 1);
  auto m = DecodeMessage(Pending().at(0).message);
  EXPECT_NE(m->text.find("a quiet week"), std::string::npos) << m->text;
  EXPECT_TRUE(m->sections.empty());
  ASSERT_TRUE(store_->SetSetting(ws_.id, kQuietDigestSetting, "skip").ok());
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-04-06T09:00:00Z"), {}), 1);
  EXPECT_EQ(Pending().size(), 1u) << "the skipped quiet week sends nothing";
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-04-06T10:00:00Z"), {}), 0);
}

TEST_P(DigestTest, UnansweredSearchesAndTheBookLinkAreInTheDigest) {
  Say("digest subscribe monday 09:00 UTC");
  Say("add Webinar recordings get watched #content");
  Say("tiktok ads");
  Say("tiktok ads");
  Say("podcast sponsorship");
  DigestOptions options;
  options.public_url = "https://lessons.example.com/";
  EXPECT_EQ(CreateDueDigests(*store_, *ParseRfc3339("2026-03-30T09:00:00Z"), options), 1);
  std::string all = Flatten(*DecodeMessage(Pending().at(0).message));
  EXPECT_NE(all.find("Searched for, not found"), std::string::npos) << all;
  EXPECT_NE(all.find("“tiktok ads” (2×)"), std::string::npos) << all;
  EXPECT_LT(all.find("tiktok ads"), all.find("podcast sponsorship")) << "most asked first";
  EXPECT_NE(all.find("https://lessons.example.com/book"), std::string::npos) << all;
}

TEST_P(DigestTest, CommandsExplainBadInput) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"digest subscribe monday 25:00", "HH:MM"},
      {"digest subscribe funday", "is not a weekday"},
      {"digest subscribe Mars/Olympus", "not a timezone I know"},
      {"digest unsubscribe", "nothing to stop"},
      {"digest", "say what to do"},
      {"digest frobnicate", "is not a digest command"},
      {"digest list extra", "takes nothing more"},
  };
  for (const auto& c : cases) {
    Message m = Say(c.text);
    EXPECT_TRUE(m.is_error) << c.text;
    EXPECT_NE(m.text.find(c.expect), std::string::npos) << c.text << " -> " << m.text;
  }
  EXPECT_FALSE(Say("digest subscribe friday 16:30 America/New_York").is_error);
  Message twice = Say("digest subscribe");
  EXPECT_TRUE(twice.is_error);
  EXPECT_NE(twice.text.find("already gets the digest every Friday at 16:30 (America/New_York)"),
            std::string::npos)
      << twice.text;
  Say("digest subscribe", "C-other");
  std::string list = Flatten(Say("digest list"));
  EXPECT_NE(list.find("2 channels get the weekly digest"), std::string::npos) << list;
  EXPECT_NE(list.find("C-other — every Monday at 09:00 (Europe/Berlin)"), std::string::npos) << list;
  EXPECT_FALSE(Say("digest unsubscribe").is_error);
  EXPECT_NE(Say("digest list").text.find("1 channel gets"), std::string::npos);
}

TEST_P(DigestTest, PreviewIsPrivateAndCreatesNothing) {
  Say("add Preview me #seo outcome:worked");
  Message p = Say("digest preview");
  EXPECT_EQ(p.visibility, Visibility::kPrivate);
  EXPECT_NE(p.text.find("Preview (only you see this)"), std::string::npos);
  EXPECT_NE(Flatten(p).find("SEO and keyphrases (1)"), std::string::npos) << Flatten(p);
  EXPECT_TRUE(Pending().empty());
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(DigestTest);

}  // namespace
}  // namespace lessonbook
