#include "adapters/teams/rate_limiter.h"

#include <algorithm>

namespace lessonbook::teams {
namespace {

// Conversations idle for longer than the longest window are forgotten once the map grows past
// this many.
constexpr std::size_t kPruneAbove = 1000;

}  // namespace

ConversationRateLimiter::ConversationRateLimiter(std::vector<RateWindow> windows)
    : windows_(std::move(windows)) {
  for (const RateWindow& w : windows_) longest_ = std::max(longest_, w.length);
}

std::chrono::seconds ConversationRateLimiter::Acquire(const std::string& conversation, Time now,
                                                      int count) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sent_.size() > kPruneAbove) {
    for (auto it = sent_.begin(); it != sent_.end();) {
      it = it->second.empty() || now - it->second.back() >= longest_ ? sent_.erase(it) : ++it;
    }
  }
  std::deque<Time>& sent = sent_[conversation];
  while (!sent.empty() && now - sent.front() >= longest_) sent.pop_front();
  std::chrono::seconds wait{0};
  for (const RateWindow& w : windows_) {
    // Messages inside (now - length, now]; the count after adding must stay within the limit.
    std::vector<Time> inside;
    for (Time t : sent) {
      if (now - t < w.length) inside.push_back(t);
    }
    const int over = static_cast<int>(inside.size()) + count - w.max_messages;
    if (over > 0) {
      // The window frees up when the over-th oldest message inside it leaves.
      const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(over) - 1,
                                                  inside.empty() ? 0 : inside.size() - 1);
      const auto until = inside.empty() ? w.length : inside[k] + w.length - now;
      wait = std::max(wait, std::chrono::duration_cast<std::chrono::seconds>(until));
    }
  }
  if (wait.count() > 0) return std::max(wait, std::chrono::seconds(1));
  for (int i = 0; i < count; ++i) sent.push_back(now);
  return std::chrono::seconds(0);
}

}  // namespace lessonbook::teams
