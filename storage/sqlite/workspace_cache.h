// WorkspaceCache: the workspaces this process read in the last second, so a slash command does not
// lease a reader (and, under load, wait in the reader queue) only to read its workspace row.
//
// Fresh within this process: every workspace write of the store (install, update, purge, secret
// rewrite, data import) calls Forget() after it commits, and a row read before a write is never
// kept after it (Version()). A write by another process (`lessonbook` on the command line, a
// second replica) shows after at most the time to live (kTimeToLive, 1 s).
// Only workspaces found are kept: an unknown team is read again every time, so an install by
// another process is seen at once.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bot/domain.h"

namespace lessonbook::sqlite {

class WorkspaceCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kTimeToLive{1000};

  explicit WorkspaceCache(std::chrono::milliseconds ttl = kTimeToLive) : ttl_(ttl) {}
  WorkspaceCache(const WorkspaceCache&) = delete;
  WorkspaceCache& operator=(const WorkspaceCache&) = delete;

  // The workspace kept for id / for (platform, external id), if read less than the time to live
  // before now.
  std::optional<Workspace> ById(WorkspaceId id, Clock::time_point now);
  std::optional<Workspace> ByExternalId(Platform platform, std::string_view external_id,
                                        Clock::time_point now);

  // Take the version before reading a workspace from the database and give it to Put: a row
  // read before a write that has called Forget() since is not kept.
  std::uint64_t Version();
  void Put(const Workspace& w, std::uint64_t version, Clock::time_point read_at);
  // Drops every workspace kept. Call after a workspace write commits.
  void Forget();

 private:
  struct Kept {
    Workspace workspace;
    Clock::time_point read_at;
  };
  std::optional<Workspace> Fresh(WorkspaceId id, Clock::time_point now);  // needs mu_

  const std::chrono::milliseconds ttl_;
  std::mutex mu_;
  std::uint64_t version_ = 0;                                     // guarded by mu_
  std::map<WorkspaceId, Kept> by_id_;                             // guarded by mu_
  std::map<std::pair<Platform, std::string>, WorkspaceId> by_external_id_;  // guarded by mu_
};

// Calls cache.Forget() when it goes out of scope: declared first in a store method that writes
// workspaces, it forgets them after the method's transaction has committed (or failed).
class ForgetWorkspacesOnExit {
 public:
  explicit ForgetWorkspacesOnExit(WorkspaceCache& cache) : cache_(cache) {}
  ~ForgetWorkspacesOnExit() { cache_.Forget(); }
  ForgetWorkspacesOnExit(const ForgetWorkspacesOnExit&) = delete;
  ForgetWorkspacesOnExit& operator=(const ForgetWorkspacesOnExit&) = delete;

 private:
  WorkspaceCache& cache_;
};

}  // namespace lessonbook::sqlite
