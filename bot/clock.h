// Clock: where "now" comes from. Injected everywhere time matters so tests drive time.
// Thread-safety: SystemClock and FakeClock are safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>

namespace lessonbook {

using Time = std::chrono::sys_seconds;  // UTC, whole seconds: what the store keeps

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Time Now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// A clock tests set and advance by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_(start.time_since_epoch().count()) {}
  Time Now() const override { return Time(std::chrono::seconds(now_.load())); }
  void Set(Time t) { now_ = t.time_since_epoch().count(); }
  void Advance(std::chrono::seconds d) { now_ += d.count(); }

 private:
  std::atomic<long long> now_;
};

inline long long ToUnix(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnix(long long s) { return Time(std::chrono::seconds(s)); }

}  // namespace lessonbook
