// Inbound: one thing a person did on a platform, translated by an adapter for the engine.
// The engine never sees HTTP or a platform's JSON, only this.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

#include "bot/domain.h"

namespace lessonbook {

// A slash command or the same words typed to the bot: "search email subject lines".
struct CommandEvent {
  std::string text;
};

// A message to the bot in a conversation (a DM when is_direct).
struct MessageEvent {
  std::string text;
  bool is_direct = false;
};

// A submitted form (modal, card, HTML form).
struct FormSubmitEvent {
  std::string form_id;
  std::map<std::string, std::string> values;  // input id -> value (multi-choice: comma-joined)
  std::string state;
};

// A pressed button.
struct ActionEvent {
  std::string action_id;
  std::string value;
};

// The person opened the bot's home surface (Slack's App Home tab): the answer is the home view.
struct HomeOpenedEvent {};

// The bot was installed in (or added to) a workspace.
struct InstalledEvent {
  std::string installer;
};

struct Inbound {
  WorkspaceId workspace_id = 0;
  Platform platform = Platform::kWeb;
  std::string user_id;    // platform user id (web chat: "web:<name>")
  std::string user_name;  // display name when known
  std::string channel_id;  // conversation the event came from
  std::variant<CommandEvent, MessageEvent, FormSubmitEvent, ActionEvent, InstalledEvent,
               HomeOpenedEvent>
      event;
  // Where a later answer goes: a Slack response_url, a Teams conversation reference, a web
  // channel. Opaque to the engine; handed back to the adapter in an outbox target.
  std::string reply_to;
  // Where later messages to this conversation go (a weekly digest, a shared answer): an
  // adapter-specific address that stays valid, unlike a Slack response_url. Empty: reply_to.
  std::string channel_target;
  // True when the adapter's immediate answer can be shown to the whole conversation (Slack's
  // in_channel response): --share then answers inline with a channel-visible message instead of
  // going through the outbox.
  bool share_inline = false;
  // Identifies the request so a retried write is not stored twice (event id, client message id,
  // or the Slack timestamp+signature). Empty when the platform gives none.
  std::string request_key;
  // The workspace as the adapter read it while checking this request, when it did: the engine
  // takes it instead of reading it again (a slash command's second store read). Empty: the
  // engine reads workspace_id's.
  std::optional<Workspace> workspace;
};

}  // namespace lessonbook
