// The Slack app's routes on an HttpServer:
//   POST /slack/commands       slash commands (/lessons …): answered inline within the budget,
//                              else an empty 200 and the answer to response_url via the outbox;
//                              "add" with no text opens the modal at once (views.open)
//   POST /slack/events         Events API: url_verification, event_callback committed to the
//                              inbox (deduplicated by event_id), app_rate_limited counted,
//                              app_uninstalled / tokens_revoked remove the workspace's token
//   POST /slack/interactivity  payload=<JSON>: block_actions (to the inbox), view_submission
//                              (run at once: errors come back in Slack's response_action shape)
//   GET  /slack/install, /slack/oauth/callback   OAuth v2 install (when a client id and secret
//                              are configured; adapters/slack/oauth.h)
// Every POST is verified before anything else: 401 and a warn log line "slack.rejected" when
// the signature or timestamp is wrong; Slack's unsigned ssl_check=1 probe gets a bare 200.
// The caller registers the adapter with the InboxProcessor (inbox.Register(Platform::kSlack,
// &adapter)) and the OutboxWorker. REQUIRES: called before server.Run(); the adapter, engine and
// inbox outlive the server.
#pragma once

#include "adapters/http/server.h"
#include "adapters/slack/slack_adapter.h"
#include "bot/engine.h"
#include "bot/inbox_processor.h"

namespace lessonbook {

void MountSlack(HttpServer& server, SlackAdapter& adapter, Engine& engine, InboxProcessor& inbox);

}  // namespace lessonbook
