// The durable outbox: every message the bot sends on its own (shares, later digests, prompts and
// reminders) is stored as a row first, then delivered by OutboxWorker through the platform's
// Deliverer. Sending is at least once; a row whose lease expires is claimed again.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <string>

#include "bot/clock.h"
#include "bot/deliverer.h"
#include "bot/domain.h"
#include "bot/message.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

// Stores `message` for delivery to `target` on `platform`. With a dedupe_key stored before,
// nothing new is written and the existing row's id is returned (generation exactly once).
Result<std::int64_t> EnqueueMessage(Store& store, Time now, WorkspaceId workspace,
                                    Platform platform, std::string target, const Message& message,
                                    std::string dedupe_key = "");

struct OutboxWorkerOptions {
  std::string worker_id = "worker";               // Default: "worker". Names the lease holder.
  int batch = 16;                                 // Default: 16 rows claimed per drain.
  std::chrono::seconds lease{60};                 // Default: 60 s. A crashed claim frees then.
  std::chrono::seconds base_backoff{2};           // Default: 2 s, doubled per attempt.
  std::chrono::seconds max_backoff{3600};         // Default: 1 h.
  int max_attempts = 25;                          // Default: 25. Then the row fails for good.
  // Default: none. Least time between two messages to the same target of a platform (Slack
  // allows about one message a second per channel); a row that comes too soon is deferred.
  std::map<Platform, std::chrono::seconds> pacing;
  // Default: none. Called with the seconds from enqueue to delivery of each sent message.
  std::function<void(double)> on_sent;
  // Default: none. Fault injection for crash tests: called at "outbox.claimed" (rows claimed,
  // nothing sent), "outbox.delivered" (the platform has it, not marked yet) and "outbox.marked".
  std::function<void(std::string_view point)> fault_point;
};

// Delivers due outbox rows. Thread-safety: one DrainOnce at a time per worker; several workers
// (threads or processes) may drain the same store, the leases keep them apart.
class OutboxWorker {
 public:
  OutboxWorker(Store& store, const Clock& clock, OutboxWorkerOptions options = {});
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // REQUIRES: called before DrainOnce. The deliverer outlives the worker.
  void Register(Platform platform, Deliverer* deliverer);

  // Claims due rows and delivers each; returns how many rows it handled.
  int DrainOnce();

  // When the nth attempt failed with no Retry-After: base * 2^(n-1), capped, with jitter in
  // [50%, 100%].
  std::chrono::seconds Backoff(int attempts);

 private:
  Store& store_;
  const Clock& clock_;
  OutboxWorkerOptions options_;
  std::map<Platform, Deliverer*> deliverers_;
  std::map<std::pair<Platform, std::string>, Time> last_sent_;  // for pacing
  std::mt19937_64 rng_;
};

}  // namespace lessonbook
