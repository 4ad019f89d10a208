#include "bot/scheduler.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "bot/log.h"
#include "storage/store.h"

namespace lessonbook {

Scheduler::Scheduler(Store& store, const Clock& clock, std::string holder)
    : store_(store), clock_(clock), holder_(std::move(holder)) {}

void Scheduler::Add(std::string name, std::chrono::seconds every, bool leader_only, Job job) {
  jobs_.push_back(Entry{std::move(name), every, leader_only, std::move(job)});
}

int Scheduler::Tick(Time now) {
  bool leader_checked = false;
  bool leader = false;
  int ran = 0;
  for (auto& e : jobs_) {
    if (e.ran && now < e.next_run) continue;
    if (e.leader_only) {
      if (!leader_checked) {
        auto lead = store_.TryLead("scheduler", holder_, kLeaseTtl, now);
        leader = lead.ok() && *lead;
        if (!lead.ok()) LogWarn("scheduler.lead_failed", {{"error", lead.status().ToString()}});
        leader_checked = true;
      }
      if (!leader) continue;
    }
    try {
      e.job(now);
    } catch (const std::exception& ex) {
      LogError("scheduler.job_failed", {{"job", e.name}, {"error", ex.what()}});
    }
    e.ran = true;
    e.next_run = now + e.every;
    ++ran;
  }
  return ran;
}

void Scheduler::Run(std::stop_token stop, std::chrono::milliseconds period) {
  std::mutex m;
  std::condition_variable_any cv;
  while (!stop.stop_requested()) {
    Tick(clock_.Now());
    std::unique_lock lock(m);
    cv.wait_for(lock, stop, period, [] { return false; });
  }
  // A graceful stop hands the lease back (it expires now when it is ours), so a restarted
  // process leads at once instead of waiting kLeaseTtl with the inbox and the digests idle.
  auto released = store_.TryLead("scheduler", holder_, std::chrono::seconds(0), clock_.Now());
  if (!released.ok()) LogWarn("scheduler.release_failed", {{"error", released.status().ToString()}});
}

}  // namespace lessonbook
