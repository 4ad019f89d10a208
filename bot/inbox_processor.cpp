#include "bot/inbox_processor.h"

#include "bot/engine.h"
#include "bot/log.h"
#include "bot/outbox.h"
#include "storage/store.h"

namespace lessonbook {

InboxProcessor::InboxProcessor(Store& store, Engine& engine, const Clock& clock)
    : store_(store), engine_(engine), clock_(clock) {}

void InboxProcessor::Register(Platform platform, InboxReader* reader) {
  readers_[platform] = reader;
}

Result<bool> InboxProcessor::Accept(InboxEvent event) {
  event.received_at = clock_.Now();
  event.handled = false;
  return store_.RecordInbox(event);
}

int InboxProcessor::DrainOnce(int limit) {
  std::lock_guard lock(drain_mutex_);
  auto rows = store_.UnhandledInbox(limit);
  if (!rows.ok()) {
    LogWarn("inbox.read_failed", {{"error", rows.status().ToString()}});
    return 0;
  }
  int handled = 0;
  for (const auto& row : *rows) {
    const char* platform = PlatformName(row.platform);
    auto it = readers_.find(row.platform);
    if (it == readers_.end()) {
      // No adapter for it in this process (its credentials were removed): leave it for one
      // that has, and do not spin on it.
      continue;
    }
    auto inbound = it->second->FromInbox(row);
    if (inbound.status().code() == Status::Code::kUnavailable) {
      continue;  // the reader says "not yet" (still being handled elsewhere): a later drain
    }
    if (inbound.ok()) {
      Reply reply = engine_.Handle(*inbound);
      if (reply.message && !inbound->reply_to.empty()) {
        auto id = EnqueueMessage(store_, clock_.Now(), inbound->workspace_id, row.platform,
                                 inbound->reply_to, *reply.message,
                                 std::string("inbox:") + platform + ":" + row.event_id);
        if (!id.ok()) {
          LogError("inbox.reply_failed", {{"event", row.event_id}, {"error", id.status().ToString()}});
          continue;  // not marked: tried again on the next drain
        }
      }
    } else {
      LogInfo("inbox.dropped", {{"platform", platform},
                                {"event", row.event_id},
                                {"reason", inbound.status().message()}});
    }
    Status marked = store_.MarkInboxHandled(row.platform, row.event_id);
    if (!marked.ok()) {
      LogError("inbox.mark_failed", {{"event", row.event_id}, {"error", marked.ToString()}});
      continue;
    }
    ++handled;
  }
  return handled;
}

}  // namespace lessonbook
