#include "adapters/teams/teams_routes.h"

#include <string>
#include <utility>

namespace lessonbook {

void MountTeams(HttpServer& server, TeamsAdapter& adapter, InboundHandler handle,
                InboxProcessor& inbox) {
  server.Post("/teams/messages", [&server, &adapter, &inbox,
                                  handle = std::move(handle)](const HttpRequest& req) {
    return adapter.Receive(req, inbox, handle, [&server, &adapter] {
      return server.AdmitWorkspace(Platform::kTeams, std::to_string(adapter.workspace_id()));
    });
  });
}

void MountTeams(HttpServer& server, TeamsAdapter& adapter, Engine& engine, InboxProcessor& inbox) {
  MountTeams(
      server, adapter, [&engine](const Inbound& in) { return engine.Handle(in); }, inbox);
}

}  // namespace lessonbook
