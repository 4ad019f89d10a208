// Scheduler: one loop that runs the bot's timed work (outbox drain, inbox pruning; later
// campaign ends, reminders and digests) from an injected clock. Tests call Tick(now) directly;
// the server calls Run on a thread. Leader-only jobs run only while this process holds the
// store's "scheduler" lease (TryLead), so several replicas never do them twice.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "bot/clock.h"

namespace lessonbook {

class Store;

class Scheduler {
 public:
  using Job = std::function<void(Time now)>;

  // holder names this process in the leadership lease (e.g. "host:pid").
  Scheduler(Store& store, const Clock& clock, std::string holder);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // REQUIRES: called before Tick/Run. A job runs at its first tick, then every `every`.
  void Add(std::string name, std::chrono::seconds every, bool leader_only, Job job);

  // Runs every job that is due at `now`. Returns how many ran.
  int Tick(Time now);

  // Ticks every `period` until stop is requested, then gives up the leadership lease.
  void Run(std::stop_token stop, std::chrono::milliseconds period);

  // Default: 30 s. How long a leadership lease lasts without renewal.
  static constexpr std::chrono::seconds kLeaseTtl{30};

 private:
  struct Entry {
    std::string name;
    std::chrono::seconds every;
    bool leader_only;
    Job job;
    Time next_run{};
    bool ran = false;
  };
  Store& store_;
  const Clock& clock_;
  std::string holder_;
  std::vector<Entry> jobs_;
};

}  // namespace lessonbook
