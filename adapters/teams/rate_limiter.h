// ConversationRateLimiter: keeps the bot within Teams' per-conversation limits for bots (about 7
// messages a second and 60 per 30 seconds per conversation) before the service answers 429.
// The outbox asks before sending; a "wait" answer becomes Delivery::Retry with that delay.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bot/clock.h"

namespace lessonbook::teams {

struct RateWindow {
  std::chrono::seconds length;
  int max_messages;
};

class ConversationRateLimiter {
 public:
  // Default windows: 7 per 1 s, 60 per 30 s.
  explicit ConversationRateLimiter(std::vector<RateWindow> windows = {
                                       {std::chrono::seconds(1), 7},
                                       {std::chrono::seconds(30), 60}});

  // Reserves `count` messages to the conversation at `now` and returns 0 when they fit every
  // window; otherwise reserves nothing and returns how long to wait (at least 1 s).
  std::chrono::seconds Acquire(const std::string& conversation, Time now, int count = 1);

 private:
  const std::vector<RateWindow> windows_;
  std::chrono::seconds longest_{0};
  std::mutex mu_;
  std::map<std::string, std::deque<Time>> sent_;  // per conversation, oldest first
};

}  // namespace lessonbook::teams
