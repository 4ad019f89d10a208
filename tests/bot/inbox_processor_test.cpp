#include "bot/inbox_processor.h"

#include <gtest/gtest.h>

#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/message_codec.h"
#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

// Stored payloads here are simply the command text; "ignore" carries nothing for the engine.
class TextReader final : public InboxReader {
 public:
  explicit TextReader(WorkspaceId ws) : ws_(ws) {}
  Result<Inbound> FromInbox(const InboxEvent& e) override {
    if (e.payload == "ignore") return Status::InvalidArgument("not for the engine");
    Inbound in;
    in.workspace_id = ws_;
    in.platform = Platform::kSlack;
    in.user_id = "U1";
    in.reply_to = "D1";
    in.request_key = e.event_id;
    in.event = MessageEvent{e.payload, true};
    return in;
  }

 private:
  WorkspaceId ws_;
};

class InboxProcessorTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.platform = Platform::kSlack;
    w.external_id = "T1";
    ws_ = store_->EnsureWorkspace(w).value();
    engine_ = std::make_unique<Engine>(*store_, clock_);
    reader_ = std::make_unique<TextReader>(ws_.id);
    processor_ = std::make_unique<InboxProcessor>(*store_, *engine_, clock_);
    processor_->Register(Platform::kSlack, reader_.get());
  }

  InboxEvent Event(std::string id, std::string payload) {
    InboxEvent e;
    e.platform = Platform::kSlack;
    e.event_id = std::move(id);
    e.workspace_id = ws_.id;
    e.payload = std::move(payload);
    return e;
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<TextReader> reader_;
  std::unique_ptr<InboxProcessor> processor_;
};

TEST_P(InboxProcessorTest, ARetriedEventIsHandledOnce) {
  EXPECT_TRUE(*processor_->Accept(Event("Ev1", "add Acked events are kept #email")));
  EXPECT_FALSE(*processor_->Accept(Event("Ev1", "add Acked events are kept #email")));
  EXPECT_EQ(processor_->DrainOnce(), 1);
  EXPECT_EQ(processor_->DrainOnce(), 0);
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
  auto out = store_->ListOutbox(std::nullopt, 10).value();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].target, "D1");
  EXPECT_EQ(out[0].dedupe_key, "inbox:slack:Ev1");
  EXPECT_NE(DecodeMessage(out[0].message)->text.find("Saved lesson"), std::string::npos);
}

TEST_P(InboxProcessorTest, UnhandledRowsAreHandledAfterARestart) {
  ASSERT_TRUE(processor_->Accept(Event("Ev2", "add Survives a crash")).ok());
  // A new processor, as after a restart, finds the row committed but unhandled.
  InboxProcessor after_restart(*store_, *engine_, clock_);
  after_restart.Register(Platform::kSlack, reader_.get());
  EXPECT_EQ(after_restart.DrainOnce(), 1);
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
}

TEST_P(InboxProcessorTest, PayloadsWithNothingForTheEngineAreDropped) {
  ASSERT_TRUE(processor_->Accept(Event("Ev3", "ignore")).ok());
  EXPECT_EQ(processor_->DrainOnce(), 1);
  EXPECT_TRUE(store_->ListOutbox(std::nullopt, 10)->empty());
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(InboxProcessorTest);

}  // namespace
}  // namespace lessonbook
