#include "bot/outbox.h"

#include <gtest/gtest.h>

#include <deque>

#include "bot/local_time.h"
#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

// A platform that answers with scripted deliveries and records what it received.
class ScriptedDeliverer final : public Deliverer {
 public:
  std::deque<Delivery> script;
  std::vector<Outbound> received;
  Delivery Deliver(const Outbound& out) override {
    received.push_back(out);
    if (script.empty()) return Delivery::Sent();
    Delivery d = script.front();
    script.pop_front();
    return d;
  }
};

class OutboxTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.external_id = "local";
    ws_ = store_->EnsureWorkspace(w).value();
    OutboxWorkerOptions o;
    o.worker_id = "w1";
    worker_ = std::make_unique<OutboxWorker>(*store_, clock_, o);
    worker_->Register(Platform::kWeb, &web_);
  }

  std::int64_t Enqueue(const std::string& text, const std::string& key = "") {
    Message m;
    m.text = text;
    return EnqueueMessage(*store_, clock_.Now(), ws_.id, Platform::kWeb, "web:general", m, key)
        .value();
  }

  OutboxStatus StatusOf(std::int64_t id) {
    auto rows = store_->ListOutbox(std::nullopt, 100);
    EXPECT_TRUE(rows.ok());
    for (auto& row : *rows) {
      if (row.id == id) return row.status;
    }
    ADD_FAILURE() << "no row " << id;
    return OutboxStatus::kPending;
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
  Workspace ws_;
  ScriptedDeliverer web_;
  std::unique_ptr<OutboxWorker> worker_;
};

TEST_P(OutboxTest, DeliversOnceAndMarksSent) {
  auto id = Enqueue("hello");
  EXPECT_EQ(worker_->DrainOnce(), 1);
  ASSERT_EQ(web_.received.size(), 1u);
  EXPECT_EQ(web_.received[0].message.text, "hello");
  EXPECT_EQ(web_.received[0].target, "web:general");
  EXPECT_EQ(StatusOf(id), OutboxStatus::kSent);
  EXPECT_EQ(worker_->DrainOnce(), 0);
  EXPECT_EQ(web_.received.size(), 1u);
}

TEST_P(OutboxTest, RetryAfterIsHonouredThenDelivered) {
  web_.script = {Delivery::Retry("429 rate limited", std::chrono::seconds(2)),
                 Delivery::Retry("500 server error")};
  auto id = Enqueue("busy platform");
  worker_->DrainOnce();
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(worker_->DrainOnce(), 0) << "not due before Retry-After";
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(worker_->DrainOnce(), 1);
  EXPECT_EQ(StatusOf(id), OutboxStatus::kPending);
  clock_.Advance(std::chrono::seconds(3));  // backoff after attempt 2: 2..4 s
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(worker_->DrainOnce(), 1);
  EXPECT_EQ(StatusOf(id), OutboxStatus::kSent);
  EXPECT_EQ(web_.received.size(), 3u);
  EXPECT_EQ(web_.received[2].attempt, 3);
}

TEST_P(OutboxTest, PermanentFailureIsNotRetried) {
  web_.script = {Delivery::Failed("channel_not_found")};
  auto id = Enqueue("to nowhere");
  worker_->DrainOnce();
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(worker_->DrainOnce(), 0);
  EXPECT_EQ(StatusOf(id), OutboxStatus::kFailed);
  EXPECT_EQ(web_.received.size(), 1u);
}

TEST_P(OutboxTest, ExpiredLeaseIsClaimedAgain) {
  auto id = Enqueue("claimed by a worker that died");
  auto claimed = store_->ClaimOutbox(10, std::chrono::seconds(60), "dead-worker", clock_.Now());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(worker_->DrainOnce(), 0) << "the lease is still held";
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(worker_->DrainOnce(), 1);
  EXPECT_EQ(StatusOf(id), OutboxStatus::kSent);
}

TEST_P(OutboxTest, DedupeKeyGeneratesOnce) {
  auto a = Enqueue("digest", "digest:1:2026-W48");
  auto b = Enqueue("digest", "digest:1:2026-W48");
  EXPECT_EQ(a, b);
  EXPECT_EQ(worker_->DrainOnce(), 1);
}

TEST_P(OutboxTest, UnknownPlatformFailsTheRow) {
  Message m;
  m.text = "for slack";
  auto id = EnqueueMessage(*store_, clock_.Now(), ws_.id, Platform::kSlack, "C1", m).value();
  worker_->DrainOnce();
  EXPECT_EQ(StatusOf(id), OutboxStatus::kFailed);
}

TEST_P(OutboxTest, BackoffGrowsAndIsCapped) {
  OutboxWorkerOptions o;
  o.base_backoff = std::chrono::seconds(2);
  o.max_backoff = std::chrono::seconds(60);
  OutboxWorker w(*store_, clock_, o);
  for (int i = 0; i < 50; ++i) {
    auto b1 = w.Backoff(1).count();
    EXPECT_GE(b1, 1);
    EXPECT_LE(b1, 2);
    auto b4 = w.Backoff(4).count();
    EXPECT_GE(b4, 8);
    EXPECT_LE(b4, 16);
    auto b30 = w.Backoff(30).count();
    EXPECT_GE(b30, 30);
    EXPECT_LE(b30, 60);
  }
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(OutboxTest);

}  // namespace
}  // namespace lessonbook
