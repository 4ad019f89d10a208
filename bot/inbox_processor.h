// InboxProcessor: events acknowledged before they are handled (Slack Events API, Teams
// activities) are first committed as inbox rows, then handled here: the engine runs, its reply
// goes to the outbox, and the row is marked handled. A retried event is recorded once and
// handled once; rows left unhandled by a crash are handled after restart.
// Thread-safety: Accept may be called from many threads; DrainOnce from one thread at a time.
#pragma once

#include <map>
#include <mutex>

#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/inbound.h"
#include "bot/status.h"

namespace lessonbook {

class Engine;
class Store;

// Rebuilds an Inbound from a stored payload. The payload was verified when it arrived, so
// readers do not verify again. Adapters that acknowledge first implement it.
class InboxReader {
 public:
  virtual ~InboxReader() = default;
  // NotFound/InvalidArgument for payloads that carry nothing for the engine (they are marked
  // handled and dropped); Unavailable for a row that must wait (left for a later drain).
  virtual Result<Inbound> FromInbox(const InboxEvent& event) = 0;
};

class InboxProcessor {
 public:
  InboxProcessor(Store& store, Engine& engine, const Clock& clock);
  InboxProcessor(const InboxProcessor&) = delete;
  InboxProcessor& operator=(const InboxProcessor&) = delete;

  // REQUIRES: called before Accept/DrainOnce; the reader outlives the processor.
  void Register(Platform platform, InboxReader* reader);

  // Commits the event (received_at is set from the clock). False when the same (platform,
  // event_id) was accepted before: acknowledge it and do nothing else.
  Result<bool> Accept(InboxEvent event);

  // Handles up to `limit` unhandled events, oldest first; returns how many it handled. The
  // engine's reply, if any, is enqueued to the inbound's reply_to with the dedupe key
  // "inbox:<platform>:<event_id>", so a crash between the reply and the mark never sends twice.
  int DrainOnce(int limit = 100);

 private:
  Store& store_;
  Engine& engine_;
  const Clock& clock_;
  std::map<Platform, InboxReader*> readers_;
  std::mutex drain_mutex_;
};

}  // namespace lessonbook
