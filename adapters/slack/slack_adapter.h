// SlackAdapter: Lessonbook as a Slack app. Verifies every request (signing secret, v0 HMAC,
// 5-minute window), translates slash commands, Events API events and interactivity payloads to
// Inbound, renders the engine's Message as Block Kit, and delivers outbox rows through the Web
// API (response_url, chat.postEphemeral / chat.postMessage, views.publish, DMs).
//
// Workspaces: one per Slack team (external id = team id). Single-workspace mode uses
// SLACK_BOT_TOKEN for the one workspace; OAuth installs store one bot token per team in the
// workspace row, sealed with LESSONBOOK_DATA_KEY when it is set (bot/secret_box.h).
//
// Thread-safety: every method may be called from any thread (HTTP workers, the outbox worker,
// the inbox drain). The adapter must outlive the server and the workers; its destructor waits
// for slash commands still running in the background.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/adapter.h"
#include "adapters/slack/payloads.h"
#include "adapters/slack/task_threads.h"
#include "adapters/slack/targets.h"
#include "adapters/slack/web_api.h"
#include "bot/clock.h"
#include "bot/directory.h"
#include "bot/inbox_processor.h"
#include "bot/secret_box.h"

namespace lessonbook {

class Store;

struct SlackAdapterOptions {
  // SLACK_SIGNING_SECRET. Required: every request is verified with it.
  std::string signing_secret;
  // SLACK_BOT_TOKEN. Default: none. Single-workspace mode: the token of the one workspace.
  std::string bot_token;
  // SLACK_CLIENT_ID / SLACK_CLIENT_SECRET. Default: none. OAuth v2 installs (multi-workspace).
  std::string client_id;
  std::string client_secret;
  // LESSONBOOK_PUBLIC_URL. Default: none. Where people reach the server (install link, OAuth
  // redirect_uri).
  std::string public_url;
  // LESSONBOOK_DATA_KEY. Default: none (tokens stored in plain).
  std::string data_key;
  // LESSONBOOK_TIMEZONE. Default: UTC. The timezone of new workspaces.
  std::string timezone = "UTC";
  // SLACK_API_BASE and the HTTP client's timeouts.
  SlackWebApiOptions api;
  // Default: 2.5 s. A slash command answered within this is answered inline; later, through
  // the outbox to its response_url (Slack allows 3 s). 0: always through the outbox.
  std::chrono::milliseconds inline_budget{2500};
  // Default: 30 minutes and 5 uses: Slack's limits for a response_url; after that, a DM.
  std::chrono::seconds response_url_ttl{30 * 60};
  int response_url_max_uses = 5;
  // Default: 0, four per CPU core and at least 8. How many slash commands run at once; more
  // wait their turn (within inline_budget, else they are answered later). See task_threads.h.
  size_t command_threads = 0;
};

// A verified, translated slash command with what only the HTTP answer can use.
struct SlackSlashCommand {
  Inbound inbound;
  std::string trigger_id;  // for views.open, valid 3 s
};

class SlackAdapter final : public Adapter, public InboxReader, public Directory {
 public:
  // InvalidArgument when the data key is malformed or the signing secret is missing.
  static Result<std::unique_ptr<SlackAdapter>> Create(Store& store, const Clock& clock,
                                                      SlackAdapterOptions options);
  ~SlackAdapter() override;
  SlackAdapter(const SlackAdapter&) = delete;
  SlackAdapter& operator=(const SlackAdapter&) = delete;

  Platform platform() const override { return Platform::kSlack; }

  // OK when the request carries a valid signature within the 5-minute window; Unauthenticated.
  Status Verify(const HttpRequest& request) const;

  // POST /slack/commands: verifies, then translates. Unauthenticated (401), InvalidArgument
  // (400: malformed form encoding, missing fields), NotFound (the team has not installed
  // Lessonbook) or PermissionDenied (a user of another organisation): the last two are answered
  // to the user as an ephemeral message.
  Result<SlackSlashCommand> ParseSlashCommand(const HttpRequest& request);
  // How long a deferred slash command is left to its running handler before the inbox drain
  // takes it (after a crash). Default: 2 minutes.
  static constexpr std::chrono::seconds kDeferredCommandGrace{120};
  Result<Inbound> Parse(const HttpRequest& request) override;
  // The inline answer: {"response_type": "ephemeral"|"in_channel", "text", "blocks"}, or an
  // empty 200 when there is nothing to say.
  HttpResponse Render(const Inbound& inbound, const Reply& reply) override;
  Delivery Deliver(const Outbound& out) override;
  // Stored Events API and block_actions payloads back to Inbound (verified when they arrived),
  // and deferred slash commands (KeepDeferredCommand) once they are older than
  // kDeferredCommandGrace: Unavailable before that, so the drain leaves them to the handler
  // that is still running.
  Result<Inbound> FromInbox(const InboxEvent& event) override;

  // A slash command whose answer missed the inline budget is acknowledged with an empty 200
  // before its handler has finished: it is kept in the inbox first (event id "slash:" + its
  // request key, the verified form body as payload), so a crash before its writes commit still
  // handles it after restart. FinishDeferredCommand marks it handled when the handler is done
  // (whichever of the two runs first, the row ends handled).
  Status KeepDeferredCommand(const Inbound& in, std::string_view form_body);
  void FinishDeferredCommand(const Inbound& in, std::string_view form_body);
  // The members of a channel (conversations.members, up to 1,000), the bot left out.
  Result<std::vector<std::string>> MembersOf(WorkspaceId ws, std::string_view channel) override;

  // Opens a modal for the form at once (views.open with the trigger id). private_metadata
  // carries the form state and where the confirmation goes.
  Status OpenModal(WorkspaceId ws, const std::string& trigger_id, const Form& form,
                   const std::string& reply_to);

  // The bot token of a workspace: its stored token (opened with the data key), else
  // SLACK_BOT_TOKEN. NotFound when it has none (uninstalled).
  Result<std::string> TokenFor(WorkspaceId ws);
  // Stores an OAuth install: the workspace (created when new), its sealed bot token, the bot's
  // user id and the installer as the first admin.
  Result<Workspace> SaveInstall(const std::string& team_id, const std::string& team_name,
                                const std::string& bot_token, const std::string& bot_user_id,
                                const std::string& installer);
  // Forgets a workspace's bot token (app_uninstalled, tokens_revoked).
  Status RemoveTokens(WorkspaceId ws);
  // The bot's own user id in a team (from auth.test or the install), to strip its mention and
  // ignore its own messages.
  void SetBotUserId(const std::string& team_id, const std::string& user_id);

  // Runs work on a background thread for at most the inline budget: its reply when it finished
  // in time; nullopt otherwise, and `late` receives the reply when it finishes.
  std::optional<Reply> RunWithBudget(std::function<Reply()> work,
                                     std::function<void(const Reply&)> late);

  const SlackAdapterOptions& options() const { return options_; }
  const SlackWebApi& api() const { return api_; }
  Store& store() { return store_; }
  const Clock& clock() const { return clock_; }
  const SecretBox& secrets() const { return box_; }

 private:
  SlackAdapter(Store& store, const Clock& clock, SlackAdapterOptions options, SecretBox box);

  // The Inbound of a slash command of workspace ws whose response_url was issued at issued_at.
  Inbound SlashInbound(const SlashCommandForm& form, WorkspaceId ws, Time issued_at,
                       std::string request_key) const;

  Delivery DeliverToResponseUrl(const Outbound& out, const SlackTarget& t);
  Delivery DeliverToChannel(const Outbound& out, const SlackTarget& t, const std::string& token);
  Delivery DeliverDm(const Message& message, const std::string& user, const std::string& token);
  Delivery FromResult(const SlackApiResult& r, const std::string& what);
  // Reads the person's timezone (users.info tz) once a day and stores it, so that reminders
  // respect their night. Best effort: a failure only leaves the workspace's timezone in use.
  void RememberTimezone(WorkspaceId ws, const std::string& user, const std::string& token);
  std::string BotUserId(const std::string& team_id);

  Store& store_;
  const Clock& clock_;
  const SlackAdapterOptions options_;
  const SecretBox box_;
  SlackWebApi api_;

  std::mutex mu_;
  std::map<std::string, int> response_url_uses_;
  std::map<std::string, std::string> bot_users_;  // team id -> bot user id
  std::map<std::string, Time> timezone_read_;     // user -> when users.info was last read
  std::condition_variable tasks_done_;
  int tasks_running_ = 0;
  TaskThreads threads_;  // runs RunWithBudget's work; last, so it is destroyed first
};

}  // namespace lessonbook
