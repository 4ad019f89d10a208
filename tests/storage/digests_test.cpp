// Digests in the store: one subscription per channel, one run per (subscription, week) with its
// message, the week's lessons and the searches that found nothing.
#include <gtest/gtest.h>

#include "tests/storage/store_fixture.h"

namespace lessonbook::testing {
namespace {

class StoreDigestsTest : public StoreTest {
 protected:
  DigestSubscription Subscription(WorkspaceId ws, const std::string& channel) {
    DigestSubscription s;
    s.workspace_id = ws;
    s.platform = Platform::kSlack;
    s.channel_id = channel;
    s.target = channel;
    s.weekday = 1;
    s.minute_of_day = 9 * 60;
    s.timezone = "Europe/Berlin";
    s.created_by = "U1";
    s.created_at = T(10);
    return s;
  }
};

TEST_P(StoreDigestsTest, OneSubscriptionPerChannel) {
  const WorkspaceId ws = AddWorkspace("T1");
  const WorkspaceId other = AddWorkspace("T2");
  Result<DigestSubscription> a = store_->AddDigestSubscription(Subscription(ws, "C1"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_NE(a->id, 0);
  Result<DigestSubscription> again = store_->AddDigestSubscription(Subscription(ws, "C1"));
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "this channel already gets the weekly digest");
  ASSERT_TRUE(store_->AddDigestSubscription(Subscription(ws, "C2")).ok());
  ASSERT_TRUE(store_->AddDigestSubscription(Subscription(other, "C1")).ok());
  EXPECT_EQ(store_->ListDigestSubscriptions(ws)->size(), 2u);
  EXPECT_EQ(store_->ListDigestSubscriptions(std::nullopt)->size(), 3u);
  EXPECT_EQ(store_->ListDigestSubscriptions(ws)->at(0).timezone, "Europe/Berlin");
  ASSERT_TRUE(store_->RemoveDigestSubscription(ws, "C2").ok());
  EXPECT_EQ(store_->RemoveDigestSubscription(ws, "C2").code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->ListDigestSubscriptions(ws)->size(), 1u);
}

TEST_P(StoreDigestsTest, ARunIsCreatedOncePerWeekWithItsMessage) {
  const WorkspaceId ws = AddWorkspace("T1");
  Result<DigestSubscription> sub = store_->AddDigestSubscription(Subscription(ws, "C1"));
  ASSERT_TRUE(sub.ok());
  DigestRun run{sub->id, "2026-W48", T(1000), T(1001), false};
  OutboxMessage m;
  m.workspace_id = ws;
  m.platform = Platform::kSlack;
  m.target = "C1";
  m.message = "{\"text\":\"digest\"}";
  m.next_attempt_at = T(1001);
  m.created_at = T(1001);
  EXPECT_TRUE(*store_->CreateDigestRun(run, m));
  EXPECT_FALSE(*store_->CreateDigestRun(run, m));
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 10)->size(), 1u);
  run.iso_week = "2026-W49";
  m.message = "";  // a quiet week the workspace skips: a run, no message
  EXPECT_TRUE(*store_->CreateDigestRun(run, m));
  EXPECT_FALSE(*store_->CreateDigestRun(run, m));
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 10)->size(), 1u);
}

TEST_P(StoreDigestsTest, TheWeeksLessonsAndTopMisses) {
  const WorkspaceId ws = AddWorkspace("T1");
  Add(MakeLesson(ws, "Before", "", {}, Outcome::kInsight, 99));
  Add(MakeLesson(ws, "Second", "", {}, Outcome::kInsight, 150));
  Add(MakeLesson(ws, "First", "", {}, Outcome::kInsight, 100));
  Add(MakeLesson(ws, "After", "", {}, Outcome::kInsight, 200));
  Result<std::vector<Lesson>> week = store_->ListLessonsCreated(ws, T(100), T(200), 10);
  ASSERT_TRUE(week.ok());
  ASSERT_EQ(week->size(), 2u);
  EXPECT_EQ((*week)[0].title, "First");  // oldest first
  EXPECT_EQ((*week)[1].title, "Second");
  EXPECT_EQ(store_->ListLessonsCreated(ws, T(100), T(200), 1)->size(), 1u);

  for (const char* terms : {"webinar", "tiktok", "webinar", "Zebra", "tiktok", "webinar"}) {
    ASSERT_TRUE(store_->RecordSearchMiss(ws, terms, T(120)).ok());
  }
  ASSERT_TRUE(store_->RecordSearchMiss(ws, "old", T(10)).ok());
  ASSERT_TRUE(store_->RecordSearchMiss(ws, "", T(120)).ok());  // nothing recorded
  Result<std::vector<SearchMiss>> misses = store_->TopSearchMisses(ws, T(100), T(200), 10);
  ASSERT_TRUE(misses.ok());
  ASSERT_EQ(misses->size(), 3u);
  EXPECT_EQ((*misses)[0].terms, "webinar");
  EXPECT_EQ((*misses)[0].count, 3);
  EXPECT_EQ((*misses)[1].terms, "tiktok");
  EXPECT_EQ((*misses)[2].terms, "Zebra");
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreDigestsTest);

}  // namespace
}  // namespace lessonbook::testing
