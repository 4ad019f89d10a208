#include "adapters/slack/slack_adapter.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "adapters/json_fields.h"
#include "adapters/slack/block_kit.h"
#include "adapters/slack/payloads.h"
#include "adapters/slack/signature.h"
#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/outbox.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<std::unique_ptr<SlackAdapter>> SlackAdapter::Create(Store& store, const Clock& clock,
                                                           SlackAdapterOptions options) {
  if (options.signing_secret.empty()) {
    return Status::InvalidArgument("SLACK_SIGNING_SECRET is required for the Slack app");
  }
  Result<SecretBox> box = SecretBox::FromBase64Key(options.data_key);
  if (!box.ok()) return box.status();
  return std::unique_ptr<SlackAdapter>(
      new SlackAdapter(store, clock, std::move(options), std::move(*box)));
}

SlackAdapter::SlackAdapter(Store& store, const Clock& clock, SlackAdapterOptions options,
                           SecretBox box)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      box_(std::move(box)),
      api_(options_.api),
      threads_(options_.command_threads > 0
                   ? options_.command_threads
                   : std::max<size_t>(8, 4 * std::thread::hardware_concurrency())) {}

SlackAdapter::~SlackAdapter() {
  std::unique_lock lock(mu_);
  tasks_done_.wait(lock, [this] { return tasks_running_ == 0; });
}

Status SlackAdapter::Verify(const HttpRequest& request) const {
  return VerifySlackSignature(options_.signing_secret, request.Header("x-slack-request-timestamp"),
                              request.Header("x-slack-signature"), request.body, clock_.Now());
}

void SlackAdapter::SetBotUserId(const std::string& team_id, const std::string& user_id) {
  std::lock_guard lock(mu_);
  bot_users_[team_id] = user_id;
}

std::string SlackAdapter::BotUserId(const std::string& team_id) {
  std::lock_guard lock(mu_);
  auto it = bot_users_.find(team_id);
  return it == bot_users_.end() ? "" : it->second;
}

Result<SlackSlashCommand> SlackAdapter::ParseSlashCommand(const HttpRequest& request) {
  Status verified = Verify(request);
  if (!verified.ok()) return verified;
  auto form = ReadSlashCommandForm(request.body);
  if (!form.ok()) return form.status();
  const std::string& team_id = form->team_id;

  auto ws = store_.FindWorkspace(Platform::kSlack, team_id);
  if (!ws.ok()) {
    if (ws.status().code() != Status::Code::kNotFound) return ws.status();
    if (!options_.bot_token.empty()) {
      return Status::PermissionDenied(
          "Lessonbook answers only members of the workspace it is installed in. You are in "
          "another organisation (a shared Slack Connect channel), so ask someone from the host "
          "workspace, or install Lessonbook in your own workspace.");
    }
    std::string how = options_.public_url.empty() ? "ask a Slack admin to install it"
                                                  : "a Slack admin can install it at " +
                                                        options_.public_url + "/slack/install";
    return Status::NotFound("Lessonbook is not installed in this Slack workspace (" + team_id +
                            ") yet: " + how + ".");
  }

  SlackSlashCommand cmd;
  cmd.trigger_id = form->trigger_id;
  // Slash commands have no event id: the signed request itself identifies a replay.
  cmd.inbound = SlashInbound(*form, ws->id, clock_.Now(),
                             "slack:" + request.Header("x-slack-request-timestamp") + ":" +
                                 request.Header("x-slack-signature"));
  cmd.inbound.workspace = std::move(*ws);  // the engine need not read it again
  return cmd;
}

Inbound SlackAdapter::SlashInbound(const SlashCommandForm& form, WorkspaceId ws, Time issued_at,
                                   std::string request_key) const {
  Inbound in;
  in.workspace_id = ws;
  in.platform = Platform::kSlack;
  in.user_id = form.user_id;
  in.user_name = form.user_name;
  in.channel_id = form.channel_id;
  in.event = CommandEvent{form.text};
  SlackTarget reply;
  reply.kind = SlackTarget::Kind::kResponseUrl;
  reply.url = form.response_url;
  reply.channel = form.channel_id;
  reply.user = form.user_id;
  reply.created_at = issued_at;
  in.reply_to = EncodeSlackTarget(reply);
  SlackTarget channel;
  channel.kind = SlackTarget::Kind::kChannel;
  channel.channel = form.channel_id;
  channel.user = form.user_id;
  channel.is_im = !form.channel_id.empty() && form.channel_id[0] == 'D';
  in.channel_target = EncodeSlackTarget(channel);
  in.share_inline = true;
  in.request_key = std::move(request_key);
  return in;
}

namespace {
constexpr std::string_view kDeferredPrefix = "slash:";

InboxEvent DeferredRow(const Inbound& in, std::string_view form_body) {
  InboxEvent row;
  row.platform = Platform::kSlack;
  row.event_id = std::string(kDeferredPrefix) + in.request_key;
  row.workspace_id = in.workspace_id;
  row.payload = std::string(form_body);
  return row;
}
}  // namespace

Status SlackAdapter::KeepDeferredCommand(const Inbound& in, std::string_view form_body) {
  InboxEvent row = DeferredRow(in, form_body);
  row.received_at = clock_.Now();
  auto recorded = store_.RecordInbox(row);
  return recorded.ok() ? Status::Ok() : recorded.status();
}

void SlackAdapter::FinishDeferredCommand(const Inbound& in, std::string_view form_body) {
  InboxEvent row = DeferredRow(in, form_body);
  row.received_at = clock_.Now();
  auto recorded = store_.RecordInbox(row);  // the handler may finish before the row is kept
  Status marked = recorded.ok() ? store_.MarkInboxHandled(Platform::kSlack, row.event_id)
                                : recorded.status();
  if (!marked.ok()) {
    LogWarn("slack.deferred_command_not_marked",
            {{"ws", std::to_string(in.workspace_id)}, {"error", marked.ToString()}});
  }
}

Result<Inbound> SlackAdapter::Parse(const HttpRequest& request) {
  auto cmd = ParseSlashCommand(request);
  if (!cmd.ok()) return cmd.status();
  return std::move(cmd->inbound);
}

HttpResponse SlackAdapter::Render(const Inbound&, const Reply& reply) {
  if (!reply.message) return HttpResponse::Text(200, "");
  return HttpResponse::Json(
      200, MessagePayloadText(*reply.message, reply.message->visibility == Visibility::kChannel
                                                  ? "in_channel"
                                                  : "ephemeral"));
}

std::optional<Reply> SlackAdapter::RunWithBudget(std::function<Reply()> work,
                                                 std::function<void(const Reply&)> late) {
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    bool abandoned = false;
    Reply reply;
  };
  auto shared = std::make_shared<Shared>();
  // A zero budget always answers later (tests; a deployment that wants every answer posted).
  shared->abandoned = options_.inline_budget.count() <= 0;
  {
    std::lock_guard lock(mu_);
    ++tasks_running_;
  }
  threads_.Run([this, shared, work = std::move(work), late = std::move(late)] {
    Reply reply;
    try {
      reply = work();
    } catch (const std::exception& e) {
      LogError("slack.command_failed", {{"error", e.what()}});
    }
    bool abandoned = false;
    {
      std::lock_guard lock(shared->mu);
      shared->reply = reply;
      shared->done = true;
      abandoned = shared->abandoned;
    }
    shared->cv.notify_all();
    if (abandoned) late(reply);
    std::lock_guard lock(mu_);
    if (--tasks_running_ == 0) tasks_done_.notify_all();
  });
  std::unique_lock lock(shared->mu);
  if (!shared->abandoned &&
      shared->cv.wait_for(lock, options_.inline_budget, [&] { return shared->done; })) {
    return shared->reply;
  }
  shared->abandoned = true;
  return std::nullopt;
}

Result<std::string> SlackAdapter::TokenFor(WorkspaceId id) {
  auto ws = store_.GetWorkspace(id);
  if (!ws.ok()) return ws.status();
  if (!ws->bot_token.empty()) {
    auto token = box_.Open(ws->bot_token, std::to_string(ws->id));
    if (!token.ok()) {
      LogError("slack.token_unreadable",
               {{"ws", std::to_string(id)}, {"reason", token.status().message()}});
    }
    return token;
  }
  if (!options_.bot_token.empty()) return options_.bot_token;
  return Status::NotFound(
      "the workspace has no Slack bot token (the app was uninstalled): "
      "install Lessonbook again");
}

Result<Workspace> SlackAdapter::SaveInstall(const std::string& team_id,
                                            const std::string& team_name,
                                            const std::string& bot_token,
                                            const std::string& bot_user_id,
                                            const std::string& installer) {
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = team_id;
  w.name = team_name;
  w.timezone = options_.timezone.empty() ? "UTC" : options_.timezone;
  auto ws = store_.EnsureWorkspace(w);
  if (!ws.ok()) return ws.status();
  auto sealed = box_.Seal(bot_token, std::to_string(ws->id));
  if (!sealed.ok()) return sealed.status();
  Workspace updated = *ws;
  updated.bot_token = *sealed;
  if (!team_name.empty()) updated.name = team_name;
  if (updated.admins.empty() && !installer.empty()) updated.admins.push_back(installer);
  auto saved = store_.UpdateWorkspace(updated);
  if (!saved.ok()) return saved.status();
  if (!bot_user_id.empty()) SetBotUserId(team_id, bot_user_id);
  LogInfo("slack.installed", {{"team", team_id},
                              {"ws", std::to_string(saved->id)},
                              {"token", box_.has_key() ? "encrypted" : "plain"}});
  return saved;
}

Status SlackAdapter::RemoveTokens(WorkspaceId id) {
  auto ws = store_.GetWorkspace(id);
  if (!ws.ok()) return ws.status();
  if (ws->bot_token.empty()) return Status::Ok();
  Workspace updated = *ws;
  updated.bot_token.clear();
  auto saved = store_.UpdateWorkspace(updated);
  if (!saved.ok()) return saved.status();
  LogInfo("slack.tokens_removed", {{"ws", std::to_string(id)}, {"team", ws->external_id}});
  return Status::Ok();
}

Status SlackAdapter::OpenModal(WorkspaceId ws, const std::string& trigger_id, const Form& form,
                               const std::string& reply_to) {
  if (trigger_id.empty()) return Status::InvalidArgument("the request has no trigger_id");
  auto token = TokenFor(ws);
  if (!token.ok()) return token.status();
  json metadata = {{"s", form.state}, {"r", reply_to}};
  json body = {{"trigger_id", trigger_id}, {"view", ModalView(form, Dump(metadata))}};
  SlackApiResult r = api_.Call("views.open", *token, Dump(body));
  if (!r.ok()) {
    LogWarn("slack.views_open_failed", {{"ws", std::to_string(ws)}, {"error", r.error}});
    return Status::Unavailable("Slack did not open the form (" + r.error + ")");
  }
  return Status::Ok();
}

Delivery SlackAdapter::FromResult(const SlackApiResult& r, const std::string& what) {
  switch (r.kind) {
    case SlackApiResult::Kind::kOk:
      return Delivery::Sent();
    case SlackApiResult::Kind::kRetry:
      return Delivery::Retry(what + ": " + r.error, r.retry_after);
    case SlackApiResult::Kind::kPermanent:
      break;
  }
  LogWarn("slack.delivery_failed", {{"call", what}, {"error", r.error}});
  return Delivery::Failed(what + ": " + r.error);
}

Delivery SlackAdapter::Deliver(const Outbound& out) {
  auto target = DecodeSlackTarget(out.target);
  if (!target.ok()) return Delivery::Failed(target.status().message());
  if (target->kind == SlackTarget::Kind::kResponseUrl) {
    const bool expired = clock_.Now() - target->created_at >= options_.response_url_ttl;
    int uses = 0;
    {
      std::lock_guard lock(mu_);
      uses = response_url_uses_[target->url];
    }
    if (!expired && uses < options_.response_url_max_uses) {
      return DeliverToResponseUrl(out, *target);
    }
    LogInfo("slack.response_url_spent", {{"outbox", std::to_string(out.outbox_id)},
                                         {"expired", expired ? "yes" : "no"},
                                         {"uses", std::to_string(uses)}});
  }
  auto token = TokenFor(out.workspace_id);
  if (!token.ok()) return Delivery::Failed(token.status().message());
  switch (target->kind) {
    case SlackTarget::Kind::kResponseUrl:
      return DeliverDm(out.message, target->user, *token);
    case SlackTarget::Kind::kDm:
      RememberTimezone(out.workspace_id, target->user, *token);
      return DeliverDm(out.message, target->user, *token);
    case SlackTarget::Kind::kChannel:
      return DeliverToChannel(out, *target, *token);
    case SlackTarget::Kind::kHome: {
      json body = {{"user_id", target->user}, {"view", HomeView(out.message)}};
      return FromResult(api_.Call("views.publish", *token, Dump(body)), "views.publish");
    }
  }
  return Delivery::Failed("unknown target");
}

Delivery SlackAdapter::DeliverToResponseUrl(const Outbound& out, const SlackTarget& t) {
  json body = MessagePayload(out.message);
  body["response_type"] =
      out.message.visibility == Visibility::kChannel ? "in_channel" : "ephemeral";
  body["replace_original"] = false;
  {
    std::lock_guard lock(mu_);
    ++response_url_uses_[t.url];
    // Forget URLs that cannot be used any more (they live 30 minutes).
    if (response_url_uses_.size() > 10000) response_url_uses_.clear();
  }
  SlackApiResult r = api_.PostToResponseUrl(t.url, Dump(body));
  if (r.kind != SlackApiResult::Kind::kPermanent) return FromResult(r, "response_url");
  // expired_url, used_url, …: the person still gets the answer, in a DM.
  LogInfo("slack.response_url_refused", {{"error", r.error}, {"fallback", "dm"}});
  auto token = TokenFor(out.workspace_id);
  if (!token.ok()) return Delivery::Failed(token.status().message());
  return DeliverDm(out.message, t.user, *token);
}

Result<std::vector<std::string>> SlackAdapter::MembersOf(WorkspaceId ws, std::string_view channel) {
  auto token = TokenFor(ws);
  if (!token.ok()) return token.status();
  auto workspace = store_.GetWorkspace(ws);
  const std::string bot = workspace.ok() ? BotUserId(workspace->external_id) : "";
  std::vector<std::string> members;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    std::map<std::string, std::string> form = {{"channel", std::string(channel)}, {"limit", "200"}};
    if (!cursor.empty()) form["cursor"] = cursor;
    SlackApiResult r = api_.CallFormWithToken("conversations.members", *token, form);
    if (!r.ok()) return Status::Unavailable("Slack said " + r.error);
    json answer = json::parse(r.body, nullptr, false);
    if (!answer.is_object() || !answer.contains("members") || !answer["members"].is_array()) {
      return Status::Unavailable("Slack's answer had no members");
    }
    for (const auto& m : answer["members"]) {
      if (m.is_string() && m.get<std::string>() != bot) members.push_back(m.get<std::string>());
    }
    cursor.clear();
    if (answer.contains("response_metadata") && answer["response_metadata"].is_object()) {
      cursor = JsonString(answer["response_metadata"], "next_cursor");
    }
    if (cursor.empty()) break;
  }
  return members;
}

void SlackAdapter::RememberTimezone(WorkspaceId ws, const std::string& user,
                                    const std::string& token) {
  const Time now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    auto it = timezone_read_.find(user);
    if (it != timezone_read_.end() && now - it->second < std::chrono::hours(24)) return;
    if (timezone_read_.size() > 100000) timezone_read_.clear();
    timezone_read_[user] = now;
  }
  SlackApiResult r = api_.CallFormWithToken("users.info", token, {{"user", user}});
  if (!r.ok()) {
    LogInfo("slack.users_info_failed", {{"user", user}, {"error", r.error}});
    return;
  }
  json answer = json::parse(r.body, nullptr, false);
  if (!answer.is_object() || !answer.contains("user") || !answer["user"].is_object()) return;
  std::string tz = JsonString(answer["user"], "tz");
  if (tz.empty() || !IsKnownTimezone(tz)) return;
  Status saved = store_.SetPersonTimezone(ws, user, tz, now);
  if (!saved.ok()) LogWarn("slack.timezone_not_saved", {{"error", saved.ToString()}});
}

Delivery SlackAdapter::DeliverDm(const Message& message, const std::string& user,
                                 const std::string& token) {
  if (user.empty()) return Delivery::Failed("no user to send a DM to");
  SlackApiResult opened = api_.Call("conversations.open", token, Dump(json{{"users", user}}));
  if (!opened.ok()) return FromResult(opened, "conversations.open");
  json answer = json::parse(opened.body, nullptr, false);
  std::string channel;
  if (answer.is_object() && answer.contains("channel")) channel = JsonString(answer["channel"], "id");
  if (channel.empty()) return Delivery::Retry("conversations.open: no channel id in the answer");
  json body = MessagePayload(message);
  body["channel"] = channel;
  return FromResult(api_.Call("chat.postMessage", token, Dump(body)), "chat.postMessage");
}

Delivery SlackAdapter::DeliverToChannel(const Outbound& out, const SlackTarget& t,
                                        const std::string& token) {
  json body = MessagePayload(out.message);
  body["channel"] = t.channel;
  const bool ephemeral =
      out.message.visibility == Visibility::kPrivate && !t.is_im && !t.user.empty();
  if (ephemeral) body["user"] = t.user;
  const char* method = ephemeral ? "chat.postEphemeral" : "chat.postMessage";
  SlackApiResult r = api_.Call(method, token, Dump(body));
  if (r.kind == SlackApiResult::Kind::kPermanent &&
      (r.error == "not_in_channel" || r.error == "channel_not_found") && !t.user.empty() &&
      !t.is_im) {
    // Tell the person who asked what to do; best effort.
    Message note;
    note.is_error = true;
    note.text = "I could not post in channel " + t.channel +
                ": invite @Lessonbook to it (type /invite @Lessonbook there) and try again.";
    Delivery d = DeliverDm(note, t.user, token);
    if (d.kind != Delivery::Kind::kSent) {
      LogWarn("slack.invite_hint_failed", {{"user", t.user}, {"reason", d.reason}});
    }
  }
  return FromResult(r, method);
}

Result<Inbound> SlackAdapter::FromInbox(const InboxEvent& row) {
  if (std::string_view(row.event_id).substr(0, kDeferredPrefix.size()) == kDeferredPrefix) {
    if (clock_.Now() - row.received_at < kDeferredCommandGrace) {
      return Status::Unavailable("the deferred slash command is still being handled");
    }
    auto form = ReadSlashCommandForm(row.payload);
    if (!form.ok()) return form.status();
    LogInfo("slack.deferred_command_resumed", {{"ws", std::to_string(row.workspace_id)}});
    return SlashInbound(*form, row.workspace_id, row.received_at,
                        row.event_id.substr(kDeferredPrefix.size()));
  }
  return SlackPayloadToInbound(row, [this](const std::string& team) { return BotUserId(team); });
}

}  // namespace lessonbook
