// Inbox dedupe, outbox leases and leadership.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "tests/storage/store_fixture.h"

namespace lessonbook {
namespace {

class StoreQueuesTest : public testing::StoreTest {};

using std::chrono::seconds;
using testing::T;

InboxEvent Event(const std::string& id, long long at) {
  InboxEvent e;
  e.platform = Platform::kSlack;
  e.event_id = id;
  e.workspace_id = 1;
  e.payload = "{\"event_id\":\"" + id + "\"}";
  e.received_at = T(at);
  return e;
}

OutboxMessage Message(const std::string& target, long long due, std::string dedupe_key = "") {
  OutboxMessage m;
  m.workspace_id = 1;
  m.platform = Platform::kSlack;
  m.target = target;
  m.message = "{\"text\":\"hi\"}";
  m.dedupe_key = std::move(dedupe_key);
  m.next_attempt_at = T(due);
  m.created_at = T(due);
  return m;
}

TEST_P(StoreQueuesTest, InboxDedupesRetriesByPlatformAndEventId) {
  EXPECT_TRUE(*store_->RecordInbox(Event("Ev1", 100)));
  EXPECT_FALSE(*store_->RecordInbox(Event("Ev1", 101)));  // Slack's retry
  InboxEvent teams = Event("Ev1", 102);
  teams.platform = Platform::kTeams;
  EXPECT_TRUE(*store_->RecordInbox(teams));
  EXPECT_EQ(store_->RecordInbox(Event("", 1)).status().code(), Status::Code::kInvalidArgument);
}

TEST_P(StoreQueuesTest, InboxMarkHandledUnhandledListingAndPrune) {
  ASSERT_TRUE(store_->RecordInbox(Event("Ev2", 200)).ok());
  ASSERT_TRUE(store_->RecordInbox(Event("Ev1", 100)).ok());
  ASSERT_TRUE(store_->RecordInbox(Event("Ev3", 300)).ok());
  Result<std::vector<InboxEvent>> unhandled = store_->UnhandledInbox(10);
  ASSERT_TRUE(unhandled.ok());
  ASSERT_EQ(unhandled->size(), 3u);
  EXPECT_EQ((*unhandled)[0].event_id, "Ev1");  // oldest first
  EXPECT_EQ((*unhandled)[0].payload, "{\"event_id\":\"Ev1\"}");
  EXPECT_EQ((*unhandled)[0].received_at, T(100));

  ASSERT_TRUE(store_->MarkInboxHandled(Platform::kSlack, "Ev1").ok());
  ASSERT_TRUE(store_->MarkInboxHandled(Platform::kSlack, "Ev3").ok());
  EXPECT_EQ(store_->MarkInboxHandled(Platform::kSlack, "nope").code(), Status::Code::kNotFound);
  unhandled = store_->UnhandledInbox(10);
  ASSERT_EQ(unhandled->size(), 1u);
  EXPECT_EQ((*unhandled)[0].event_id, "Ev2");
  EXPECT_EQ(store_->UnhandledInbox(0)->size(), 0u);

  // Only handled events received before the cut are pruned; a pruned id is new again.
  EXPECT_EQ(*store_->PruneInbox(T(250)), 1);
  EXPECT_EQ(*store_->PruneInbox(T(250)), 0);
  EXPECT_FALSE(*store_->RecordInbox(Event("Ev3", 400)));
  EXPECT_TRUE(*store_->RecordInbox(Event("Ev1", 400)));
}

TEST_P(StoreQueuesTest, OutboxDedupeKeyReturnsTheExistingRow) {
  Result<std::int64_t> first = store_->EnqueueOutbox(Message("C1", 10, "digest:1:2024-W05"));
  Result<std::int64_t> again = store_->EnqueueOutbox(Message("C2", 20, "digest:1:2024-W05"));
  Result<std::int64_t> plain1 = store_->EnqueueOutbox(Message("C1", 10));
  Result<std::int64_t> plain2 = store_->EnqueueOutbox(Message("C1", 10));
  ASSERT_TRUE(first.ok() && again.ok() && plain1.ok() && plain2.ok());
  EXPECT_EQ(*first, *again);
  EXPECT_NE(*plain1, *plain2);  // an empty key never dedupes
  Result<std::vector<OutboxMessage>> all = store_->ListOutbox(std::nullopt, 10);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].target, "C1");
  EXPECT_EQ((*all)[0].dedupe_key, "digest:1:2024-W05");
  EXPECT_EQ((*all)[1].dedupe_key, "");
}

TEST_P(StoreQueuesTest, OutboxClaimHoldsALeaseUntilItExpires) {
  const std::int64_t id = *store_->EnqueueOutbox(Message("C1", 100));
  ASSERT_TRUE(store_->EnqueueOutbox(Message("C2", 500)).ok());  // not due yet

  EXPECT_TRUE(store_->ClaimOutbox(10, seconds(30), "w1", T(99))->empty());  // not due
  Result<std::vector<OutboxMessage>> claimed = store_->ClaimOutbox(10, seconds(30), "w1", T(100));
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, id);
  EXPECT_EQ((*claimed)[0].claimed_by, "w1");
  EXPECT_EQ((*claimed)[0].lease_until, T(130));
  EXPECT_EQ((*claimed)[0].attempts, 1);

  EXPECT_TRUE(store_->ClaimOutbox(10, seconds(30), "w2", T(129))->empty());  // lease is live
  Result<std::vector<OutboxMessage>> reclaimed = store_->ClaimOutbox(10, seconds(30), "w2", T(130));
  ASSERT_EQ(reclaimed->size(), 1u);  // the lease expired: w1 is presumed dead
  EXPECT_EQ((*reclaimed)[0].claimed_by, "w2");
  EXPECT_EQ((*reclaimed)[0].attempts, 2);
}

TEST_P(StoreQueuesTest, OutboxSentRetryFailedAndStats) {
  const std::int64_t a = *store_->EnqueueOutbox(Message("A", 100));
  const std::int64_t b = *store_->EnqueueOutbox(Message("B", 100));
  const std::int64_t c = *store_->EnqueueOutbox(Message("C", 100));
  ASSERT_EQ(store_->ClaimOutbox(2, seconds(60), "w", T(100))->size(), 2u);  // oldest first: a, b

  ASSERT_TRUE(store_->MarkOutboxSent(a, T(101)).ok());
  ASSERT_TRUE(store_->RetryOutbox(b, T(200), "429 rate limited").ok());
  ASSERT_TRUE(store_->FailOutbox(c, "channel_not_found").ok());
  EXPECT_EQ(store_->MarkOutboxSent(999, T(1)).code(), Status::Code::kNotFound);

  // The retried row is free again but only due at 200; sent and failed rows are never claimed.
  EXPECT_TRUE(store_->ClaimOutbox(10, seconds(60), "w", T(150))->empty());
  Result<std::vector<OutboxMessage>> retried = store_->ClaimOutbox(10, seconds(60), "w", T(200));
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ((*retried)[0].id, b);
  EXPECT_EQ((*retried)[0].last_error, "429 rate limited");

  Result<std::vector<OutboxMessage>> sent = store_->ListOutbox(OutboxStatus::kSent, 10);
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].sent_at, T(101));
  EXPECT_EQ((*store_->ListOutbox(OutboxStatus::kFailed, 10))[0].last_error, "channel_not_found");

  Result<OutboxStats> stats = store_->GetOutboxStats(T(400));
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 1);
  EXPECT_EQ(stats->sent, 1);
  EXPECT_EQ(stats->failed, 1);
  EXPECT_EQ(stats->oldest_pending_age_seconds, 300);
  ASSERT_TRUE(store_->MarkOutboxSent(b, T(401)).ok());
  EXPECT_EQ(store_->GetOutboxStats(T(500))->oldest_pending_age_seconds, 0);
}

TEST_P(StoreQueuesTest, TwoThreadsClaimingConcurrentlyNeverGetTheSameRow) {
  constexpr int kRows = 300;
  for (int i = 0; i < kRows; ++i) ASSERT_TRUE(store_->EnqueueOutbox(Message("C", 100)).ok());
  std::mutex mu;
  std::vector<std::int64_t> claimed;
  std::atomic<int> errors{0};
  auto worker = [&](std::string name, Store* store) {
    while (true) {
      Result<std::vector<OutboxMessage>> batch = store->ClaimOutbox(7, seconds(600), name, T(100));
      if (!batch.ok()) {
        ++errors;
        return;
      }
      if (batch->empty()) return;
      std::lock_guard<std::mutex> lock(mu);
      for (const OutboxMessage& m : *batch) claimed.push_back(m.id);
    }
  };
  // Two threads on one store, and a second store on the same file (as another process would).
  std::unique_ptr<Store> second = Reopen();
  std::thread t1(worker, "w1", store_.get());
  std::thread t2(worker, "w2", store_.get());
  std::thread t3(worker, "w3", second.get());
  t1.join();
  t2.join();
  t3.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::int64_t> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(unique.size(), static_cast<size_t>(kRows));
}

TEST_P(StoreQueuesTest, TryLeadOneHolderAtATimeRenewalAndTakeover) {
  EXPECT_TRUE(*store_->TryLead("scheduler", "A", seconds(30), T(100)));
  EXPECT_FALSE(*store_->TryLead("scheduler", "B", seconds(30), T(110)));
  EXPECT_TRUE(*store_->TryLead("other-job", "B", seconds(30), T(110)));  // leases are per name
  EXPECT_TRUE(*store_->TryLead("scheduler", "A", seconds(30), T(120)));  // renewal: until 150
  EXPECT_FALSE(
      *store_->TryLead("scheduler", "B", seconds(30), T(140)));  // would have expired at 130
  EXPECT_TRUE(*store_->TryLead("scheduler", "B", seconds(30), T(150)));  // A stopped renewing
  EXPECT_FALSE(*store_->TryLead("scheduler", "A", seconds(30), T(160)));
  EXPECT_EQ(store_->TryLead("", "A", seconds(30), T(1)).status().code(),
            Status::Code::kInvalidArgument);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreQueuesTest);

}  // namespace
}  // namespace lessonbook
