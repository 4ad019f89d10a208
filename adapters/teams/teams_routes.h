// The Teams bot's route on an HttpServer:
//   POST /teams/messages   the Bot Framework messaging endpoint (TeamsAdapter::Receive):
//                          401 and a warn log line "teams.rejected" for a request that fails
//                          authentication; an empty 200 for activities committed to the inbox;
//                          the invoke response for adaptiveCard/action.
// The caller registers the adapter with the InboxProcessor (inbox.Register(Platform::kTeams,
// &adapter)) and the OutboxWorker. REQUIRES: called before server.Run(); the adapter, engine and
// inbox outlive the server.
#pragma once

#include "adapters/http/dispatch.h"
#include "adapters/http/server.h"
#include "adapters/teams/teams_adapter.h"
#include "bot/engine.h"
#include "bot/inbox_processor.h"

namespace lessonbook {

void MountTeams(HttpServer& server, TeamsAdapter& adapter, Engine& engine, InboxProcessor& inbox);
// The same with the engine as a function (tests).
void MountTeams(HttpServer& server, TeamsAdapter& adapter, InboundHandler handle,
                InboxProcessor& inbox);

}  // namespace lessonbook
