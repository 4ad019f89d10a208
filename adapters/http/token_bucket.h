// TokenBuckets: one token bucket per key (a client address, a workspace), for rate limits.
// A bucket holds up to `burst` tokens, starts full and refills at `per_minute` tokens a minute;
// each request takes one. A request finding the bucket empty is refused with the whole seconds
// until the next token. Time comes from the injected Clock, so tests drive it by hand.
//
// Memory stays bounded: at most `max_keys` buckets are kept; when a new key would pass that, the
// buckets that are full again (idle keys) are dropped first, then the least recently used.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "bot/clock.h"

namespace lessonbook {

struct RateLimit {
  // Tokens added a minute; 0 turns the limit off (every request is allowed).
  double per_minute = 0;
  // Bucket size: how many requests may come at once after a quiet time.
  double burst = 0;
  bool enabled() const { return per_minute > 0 && burst >= 1; }
};

class TokenBuckets {
 public:
  // Default max_keys: 50000 buckets (a few MB).
  TokenBuckets(RateLimit limit, const Clock& clock, std::size_t max_keys = 50000);
  TokenBuckets(const TokenBuckets&) = delete;
  TokenBuckets& operator=(const TokenBuckets&) = delete;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: >= 1
  };
  // Takes a token from the key's bucket.
  Decision Take(std::string_view key);
  // Buckets kept right now.
  std::size_t size() const;
  const RateLimit& limit() const { return limit_; }

 private:
  struct Bucket {
    double tokens = 0;
    Time updated{};
  };
  void Refill(Bucket& b, Time now) const;
  void MakeRoom(Time now);

  const RateLimit limit_;
  const Clock& clock_;
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace lessonbook
