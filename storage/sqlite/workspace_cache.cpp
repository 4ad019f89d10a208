#include "storage/sqlite/workspace_cache.h"

namespace lessonbook::sqlite {

std::optional<Workspace> WorkspaceCache::Fresh(WorkspaceId id, Clock::time_point now) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  if (now - it->second.read_at >= ttl_ || now < it->second.read_at) {
    by_external_id_.erase({it->second.workspace.platform, it->second.workspace.external_id});
    by_id_.erase(it);
    return std::nullopt;
  }
  return it->second.workspace;
}

std::optional<Workspace> WorkspaceCache::ById(WorkspaceId id, Clock::time_point now) {
  std::lock_guard lock(mu_);
  return Fresh(id, now);
}

std::optional<Workspace> WorkspaceCache::ByExternalId(Platform platform,
                                                      std::string_view external_id,
                                                      Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = by_external_id_.find(std::make_pair(platform, std::string(external_id)));
  if (it == by_external_id_.end()) return std::nullopt;
  return Fresh(it->second, now);
}

std::uint64_t WorkspaceCache::Version() {
  std::lock_guard lock(mu_);
  return version_;
}

void WorkspaceCache::Put(const Workspace& w, std::uint64_t version, Clock::time_point read_at) {
  if (ttl_.count() <= 0) return;
  std::lock_guard lock(mu_);
  if (version != version_) return;  // a write came after the read
  if (auto old = by_id_.find(w.id); old != by_id_.end()) {
    by_external_id_.erase({old->second.workspace.platform, old->second.workspace.external_id});
  }
  by_id_[w.id] = Kept{w, read_at};
  by_external_id_[{w.platform, w.external_id}] = w.id;
}

void WorkspaceCache::Forget() {
  std::lock_guard lock(mu_);
  ++version_;
  by_id_.clear();
  by_external_id_.clear();
}

}  // namespace lessonbook::sqlite
