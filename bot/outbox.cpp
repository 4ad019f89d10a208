#include "bot/outbox.h"

#include <algorithm>

#include "bot/log.h"
#include "bot/message_codec.h"
#include "storage/store.h"

namespace lessonbook {

Result<std::int64_t> EnqueueMessage(Store& store, Time now, WorkspaceId workspace,
                                    Platform platform, std::string target, const Message& message,
                                    std::string dedupe_key) {
  OutboxMessage row;
  row.workspace_id = workspace;
  row.platform = platform;
  row.target = std::move(target);
  row.message = EncodeMessage(message);
  row.dedupe_key = std::move(dedupe_key);
  row.next_attempt_at = now;
  row.created_at = now;
  return store.EnqueueOutbox(row);
}

OutboxWorker::OutboxWorker(Store& store, const Clock& clock, OutboxWorkerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)), rng_(std::random_device{}()) {}

void OutboxWorker::Register(Platform platform, Deliverer* deliverer) {
  deliverers_[platform] = deliverer;
}

std::chrono::seconds OutboxWorker::Backoff(int attempts) {
  long long base = options_.base_backoff.count();
  long long cap = options_.max_backoff.count();
  long long delay = base;
  for (int i = 1; i < attempts && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  std::uniform_int_distribution<long long> jitter(delay / 2, delay);
  return std::chrono::seconds(std::max<long long>(1, jitter(rng_)));
}

int OutboxWorker::DrainOnce() {
  Time now = clock_.Now();
  auto claimed = store_.ClaimOutbox(options_.batch, options_.lease, options_.worker_id, now);
  if (!claimed.ok()) {
    LogWarn("outbox.claim_failed", {{"error", claimed.status().ToString()}});
    return 0;
  }
  if (!claimed->empty() && options_.fault_point) options_.fault_point("outbox.claimed");
  for (const auto& row : *claimed) {
    std::string id = std::to_string(row.id);
    auto pace = options_.pacing.find(row.platform);
    if (pace != options_.pacing.end()) {
      auto last = last_sent_.find({row.platform, row.target});
      if (last != last_sent_.end() && clock_.Now() < last->second + pace->second) {
        (void)store_.DeferOutbox(row.id, last->second + pace->second);
        continue;
      }
    }
    auto it = deliverers_.find(row.platform);
    if (it == deliverers_.end()) {
      (void)store_.FailOutbox(row.id, std::string("no adapter for platform ") +
                                          PlatformName(row.platform));
      LogError("outbox.no_adapter", {{"id", id}, {"platform", PlatformName(row.platform)}});
      continue;
    }
    auto message = DecodeMessage(row.message);
    if (!message.ok()) {
      (void)store_.FailOutbox(row.id, message.status().message());
      LogError("outbox.undecodable", {{"id", id}, {"error", message.status().message()}});
      continue;
    }
    Outbound out{row.id, row.workspace_id, row.target, std::move(*message), row.attempts};
    Delivery d = it->second->Deliver(out);
    Time done = clock_.Now();
    switch (d.kind) {
      case Delivery::Kind::kSent: {
        if (options_.fault_point) options_.fault_point("outbox.delivered");
        Status s = store_.MarkOutboxSent(row.id, done);
        if (!s.ok()) LogError("outbox.mark_sent_failed", {{"id", id}, {"error", s.ToString()}});
        if (options_.fault_point) options_.fault_point("outbox.marked");
        if (pace != options_.pacing.end()) last_sent_[{row.platform, row.target}] = done;
        if (options_.on_sent) {
          options_.on_sent(static_cast<double>((done - row.created_at).count()));
        }
        LogDebug("outbox.sent", {{"id", id}, {"attempt", std::to_string(row.attempts)}});
        break;
      }
      case Delivery::Kind::kRetry: {
        if (row.attempts >= options_.max_attempts) {
          (void)store_.FailOutbox(row.id, "gave up after " + std::to_string(row.attempts) +
                                              " attempts: " + d.reason);
          LogError("outbox.gave_up", {{"id", id}, {"reason", d.reason}});
          break;
        }
        auto wait = d.retry_after.count() > 0 ? d.retry_after : Backoff(row.attempts);
        (void)store_.RetryOutbox(row.id, done + wait, d.reason);
        LogWarn("outbox.retry", {{"id", id},
                                 {"attempt", std::to_string(row.attempts)},
                                 {"in_s", std::to_string(wait.count())},
                                 {"reason", d.reason}});
        break;
      }
      case Delivery::Kind::kFailed:
        (void)store_.FailOutbox(row.id, d.reason);
        LogError("outbox.failed", {{"id", id}, {"reason", d.reason}});
        break;
    }
  }
  return static_cast<int>(claimed->size());
}

}  // namespace lessonbook
