#include "adapters/http/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace lessonbook {

TokenBuckets::TokenBuckets(RateLimit limit, const Clock& clock, std::size_t max_keys)
    : limit_(limit), clock_(clock), max_keys_(std::max<std::size_t>(max_keys, 1)) {}

void TokenBuckets::Refill(Bucket& b, Time now) const {
  // A clock that went back adds nothing (and takes nothing away).
  const double seconds = std::max<double>(0, static_cast<double>((now - b.updated).count()));
  b.tokens = std::min(limit_.burst, b.tokens + seconds * limit_.per_minute / 60.0);
  if (now > b.updated) b.updated = now;
}

void TokenBuckets::MakeRoom(Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
  while (buckets_.size() >= max_keys_) {
    auto oldest = std::min_element(
        buckets_.begin(), buckets_.end(),
        [](const auto& a, const auto& b) { return a.second.updated < b.second.updated; });
    buckets_.erase(oldest);
  }
}

TokenBuckets::Decision TokenBuckets::Take(std::string_view key) {
  if (!limit_.enabled()) return {};
  const Time now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) MakeRoom(now);
    it = buckets_.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  const double missing_seconds = (1 - b.tokens) * 60.0 / limit_.per_minute;
  const auto wait = static_cast<long long>(std::ceil(missing_seconds));
  return {false, std::chrono::seconds(std::max<long long>(wait, 1))};
}

std::size_t TokenBuckets::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace lessonbook
