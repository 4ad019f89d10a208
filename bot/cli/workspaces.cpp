#include "bot/cli/cli.h"
#include "storage/store.h"

namespace lessonbook {

Result<Workspace> EnsureLocalWorkspace(Store& store, const Config& config) {
  Workspace w;
  w.platform = Platform::kWeb;
  w.external_id = "local";
  w.name = "Local web chat";
  w.timezone = config.timezone.empty() ? "UTC" : config.timezone;
  return store.EnsureWorkspace(w);
}

Result<Workspace> DefaultWorkspace(Store& store, const Config& config) {
  auto all = store.ListWorkspaces();
  if (!all.ok()) return all.status();
  const Workspace* only = nullptr;
  int platform_workspaces = 0;
  for (const auto& w : *all) {
    if (w.platform == Platform::kWeb) continue;
    ++platform_workspaces;
    only = &w;
  }
  if (platform_workspaces == 1) return *only;
  return EnsureLocalWorkspace(store, config);
}

}  // namespace lessonbook
