#include "adapters/slack/slack_routes.h"

#include <nlohmann/json.hpp>
#include <string>

#include "adapters/json_fields.h"
#include "adapters/http/dispatch.h"
#include "adapters/slack/block_kit.h"
#include "adapters/slack/form_body.h"
#include "adapters/slack/oauth.h"
#include "adapters/slack/targets.h"
#include "bot/log.h"
#include "bot/outbox.h"
#include "bot/replies.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

HttpResponse Empty200() { return HttpResponse::Text(200, ""); }

HttpResponse Reject(const HttpRequest& req, const Status& s) {
  LogWarn("slack.rejected", {{"rid", req.request_id},
                             {"path", req.path},
                             {"code", CodeName(s.code())},
                             {"reason", s.message()}});
  return RejectionResponse(s);
}

// An ephemeral answer to the person who typed the command.
HttpResponse Ephemeral(const std::string& text, bool is_error) {
  Message m = is_error ? ErrorReply(text) : Message{};
  if (!is_error) m.text = text;
  return HttpResponse::Json(200, MessagePayloadText(m, "ephemeral"));
}

void Enqueue(SlackAdapter& adapter, WorkspaceId ws, const std::string& target, const Message& m,
             const std::string& key) {
  auto id =
      EnqueueMessage(adapter.store(), adapter.clock().Now(), ws, Platform::kSlack, target, m, key);
  if (!id.ok()) {
    LogError("slack.enqueue_failed",
             {{"ws", std::to_string(ws)}, {"error", id.status().ToString()}});
  }
}

// The answer to a verified request over the workspace's rate limit (HttpServer::AdmitWorkspace):
// a 200 (a 429 makes Slack retry and can disable the event subscription) and no work done.
constexpr const char* kSlowDown =
    "Slow down: Lessonbook is getting too many requests from this workspace right now. Try "
    "again in a minute.";

bool Admitted(HttpServer& server, WorkspaceId ws) {
  return server.AdmitWorkspace(Platform::kSlack, std::to_string(ws));
}

Message Refusal() {
  return ErrorReply(
      "Lessonbook answers only members of the workspace it is installed in; you are in another "
      "organisation (a shared Slack Connect channel).");
}

// ---- POST /slack/commands ----

HttpResponse HandleCommand(HttpServer& server, SlackAdapter& adapter, Engine& engine,
                           const HttpRequest& req) {
  // Slack's SSL check sends ssl_check=1 literally; a command's text can hold "ssl_check=" only
  // percent-encoded. Parsing every command's form for it was 1.9% of a search's CPU samples.
  if (req.body.find("ssl_check=") != std::string::npos) {
    if (auto form = ParseFormBody(req.body);
        form.ok() && form->count("ssl_check") && form->at("ssl_check") == "1") {
      return Empty200();
    }
  }
  auto cmd = adapter.ParseSlashCommand(req);
  if (!cmd.ok()) {
    const Status s = cmd.status();
    if (s.code() == Status::Code::kPermissionDenied || s.code() == Status::Code::kNotFound) {
      LogInfo("slack.command_refused", {{"rid", req.request_id}, {"reason", s.message()}});
      return Ephemeral(s.message(), true);
    }
    return Reject(req, s);
  }
  if (!Admitted(server, cmd->inbound.workspace_id)) return Ephemeral(kSlowDown, true);
  const Inbound in = cmd->inbound;
  const std::string trigger_id = cmd->trigger_id;
  std::optional<Reply> reply = adapter.RunWithBudget(
      [&engine, in] { return engine.Handle(in); },
      [&adapter, in, body = req.body](const Reply& late) {
        if (late.message) {
          Message m = *late.message;
          if (m.form) {
            m = ErrorReply("Opening the form took too long; type the command again.");
          }
          Enqueue(adapter, in.workspace_id, in.reply_to, m, "slash:" + in.request_key);
        }
        adapter.FinishDeferredCommand(in, body);
      });
  if (!reply) {
    // The empty 200 tells Slack the command arrived: keep it in the inbox first, so it is
    // handled after a restart should this process die before the handler's writes commit.
    Status kept = adapter.KeepDeferredCommand(in, req.body);
    if (!kept.ok()) {
      LogError("slack.command_not_kept", {{"rid", req.request_id}, {"error", kept.ToString()}});
      return Reject(req, kept);
    }
    LogInfo("slack.command_deferred", {{"rid", req.request_id}});
    return Empty200();
  }
  if (reply->message && reply->message->form) {
    Status opened =
        adapter.OpenModal(in.workspace_id, trigger_id, *reply->message->form, in.reply_to);
    if (!opened.ok()) return Ephemeral(opened.message() + "; please try again.", true);
    return Empty200();
  }
  return adapter.Render(in, *reply);
}

// ---- POST /slack/events ----

HttpResponse HandleEvents(HttpServer& server, SlackAdapter& adapter, InboxProcessor& inbox,
                          const HttpRequest& req) {
  Metrics& metrics = server.metrics();
  Status verified = adapter.Verify(req);
  if (!verified.ok()) return Reject(req, verified);
  json payload = json::parse(req.body, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Reject(req, Status::InvalidArgument("the body is not a JSON object"));
  }
  const std::string type = JsonString(payload, "type");
  if (type == "url_verification") {
    const std::string challenge = JsonString(payload, "challenge");
    if (challenge.empty()) return Reject(req, Status::InvalidArgument("no challenge"));
    return HttpResponse::Text(200, challenge);
  }
  const std::string team_id = JsonString(payload, "team_id");
  if (type == "app_rate_limited") {
    LogWarn(
        "slack.events_rate_limited",
        {{"team", team_id},
         {"minute", JsonMember(payload, "minute_rate_limited").is_number()
                        ? std::to_string(JsonMember(payload, "minute_rate_limited").get<long long>())
                        : ""}});
    metrics.AddCounter("lessonbook_slack_app_rate_limited_total",
                       "Times Slack said it rate-limits the app's event subscriptions.");
    return Empty200();
  }
  if (type != "event_callback") {
    LogInfo("slack.event_ignored", {{"rid", req.request_id}, {"type", type}});
    return Empty200();
  }
  const json& event = JsonMember(payload, "event");
  const std::string event_id = JsonString(payload, "event_id");
  if (!event.is_object() || event_id.empty() || team_id.empty()) {
    return Reject(req,
                  Status::InvalidArgument("an event_callback needs team_id, event_id and event"));
  }
  const std::string etype = JsonString(event, "type");
  auto ws = adapter.store().FindWorkspace(Platform::kSlack, team_id);
  if (!ws.ok()) {
    LogWarn("slack.event_unknown_team", {{"team", team_id}, {"event", event_id}});
    return Empty200();  // acknowledged: retrying cannot help
  }
  if (etype == "app_uninstalled" ||
      (etype == "tokens_revoked" && JsonMember(JsonMember(event, "tokens"), "bot").is_array() &&
       !JsonMember(JsonMember(event, "tokens"), "bot").empty())) {
    Status removed = adapter.RemoveTokens(ws->id);
    if (!removed.ok()) return RejectionResponse(Status::Unavailable(removed.message()));
    return Empty200();
  }
  if (etype != "app_mention" && etype != "message" && etype != "app_home_opened") {
    LogInfo("slack.event_ignored", {{"event", event_id}, {"type", etype}});
    return Empty200();
  }
  if (!Admitted(server, ws->id)) return HttpResponse::Text(200, std::string(kSlowDown) + "\n");
  // A person of another organisation in a shared channel: refused, never handled.
  const std::string user_team = JsonString(event, "user_team");
  if (!user_team.empty() && user_team != team_id && etype != "app_home_opened") {
    LogInfo("slack.foreign_user_refused", {{"event", event_id}, {"user_team", user_team}});
    SlackTarget t;
    t.kind = SlackTarget::Kind::kChannel;
    t.channel = JsonString(event, "channel");
    t.user = JsonString(event, "user");
    t.is_im = JsonString(event, "channel_type") == "im";
    if (!t.channel.empty() && !t.user.empty()) {
      Enqueue(adapter, ws->id, EncodeSlackTarget(t), Refusal(), "refuse:" + event_id);
    }
    return Empty200();
  }
  InboxEvent row;
  row.platform = Platform::kSlack;
  row.event_id = event_id;
  row.workspace_id = ws->id;
  row.payload = req.body;
  auto accepted = inbox.Accept(row);
  if (!accepted.ok()) {
    LogError("slack.inbox_failed", {{"event", event_id}, {"error", accepted.status().ToString()}});
    return RejectionResponse(Status::Unavailable("busy, retry"));  // Slack retries
  }
  if (!*accepted) {
    LogInfo("slack.event_retry_ignored",
            {{"event", event_id}, {"retry", req.Header("x-slack-retry-num")}});
  }
  return Empty200();
}

// ---- POST /slack/interactivity ----

HttpResponse HandleInteractivity(HttpServer& server, SlackAdapter& adapter, Engine& engine,
                                 InboxProcessor& inbox, const HttpRequest& req) {
  Status verified = adapter.Verify(req);
  if (!verified.ok()) return Reject(req, verified);
  auto form = ParseFormBody(req.body);
  if (!form.ok()) return Reject(req, form.status());
  auto it = form->find("payload");
  if (it == form->end())
    return Reject(req, Status::InvalidArgument("the body has no payload field"));
  json payload = json::parse(it->second, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Reject(req, Status::InvalidArgument("payload is not a JSON object"));
  }
  const std::string type = JsonString(payload, "type");
  const std::string team_id = JsonString(JsonMember(payload, "team"), "id");
  const json& user = JsonMember(payload, "user");
  const std::string user_id = JsonString(user, "id");
  if (type != "block_actions" && type != "view_submission") {
    LogInfo("slack.interaction_ignored", {{"type", type}});
    return Empty200();
  }
  if (team_id.empty() || user_id.empty()) {
    return Reject(req, Status::InvalidArgument("payload needs team.id and user.id"));
  }
  auto ws = adapter.store().FindWorkspace(Platform::kSlack, team_id);
  if (!ws.ok()) {
    LogWarn("slack.interaction_unknown_team", {{"team", team_id}});
    return Empty200();
  }
  if (!Admitted(server, ws->id)) {
    if (type == "view_submission") {  // keeps the form open with the notice on it
      return HttpResponse::Json(200, Dump({{"response_action", "errors"},
                                           {"errors", json::object({{"text", kSlowDown}})}}));
    }
    return HttpResponse::Text(200, std::string(kSlowDown) + "\n");
  }
  const std::string user_team = JsonString(user, "team_id");
  const bool foreign = !user_team.empty() && user_team != team_id;

  if (type == "block_actions") {
    std::string id = JsonString(payload, "trigger_id");
    if (id.empty()) {
      const json& actions = JsonMember(payload, "actions");
      if (actions.is_array() && !actions.empty()) id = JsonString(actions[0], "action_ts");
    }
    if (id.empty()) return Reject(req, Status::InvalidArgument("block_actions without trigger_id"));
    if (foreign) {
      SlackTarget t;
      t.user = user_id;
      const std::string url = JsonString(payload, "response_url");
      t.kind = url.empty() ? SlackTarget::Kind::kDm : SlackTarget::Kind::kResponseUrl;
      t.url = url;
      t.created_at = adapter.clock().Now();
      Enqueue(adapter, ws->id, EncodeSlackTarget(t), Refusal(), "refuse:" + id);
      return Empty200();
    }
    InboxEvent row;
    row.platform = Platform::kSlack;
    row.event_id = "action:" + id;
    row.workspace_id = ws->id;
    row.payload = it->second;
    // A button whose answer is a form ("…_form", bot/message.h) is answered at once: a modal
    // needs the trigger_id, which lives 3 seconds, so it cannot wait in the inbox.
    if (auto in = adapter.FromInbox(row); in.ok()) {
      const auto* action = std::get_if<ActionEvent>(&in->event);
      const std::string suffix = "_form";
      if (action && action->action_id.size() > suffix.size() &&
          action->action_id.compare(action->action_id.size() - suffix.size(), suffix.size(),
                                    suffix) == 0) {
        Reply reply = engine.Handle(*in);
        if (reply.message && reply.message->form) {
          Status opened = adapter.OpenModal(ws->id, id, *reply.message->form, in->reply_to);
          if (opened.ok()) return Empty200();
          LogWarn("slack.modal_not_opened", {{"error", opened.message()}});
        }
        if (reply.message) Enqueue(adapter, ws->id, in->reply_to, *reply.message, "action:" + id);
        return Empty200();
      }
    }
    auto accepted = inbox.Accept(row);
    if (!accepted.ok()) return RejectionResponse(Status::Unavailable("busy, retry"));
    return Empty200();
  }

  // view_submission: validated at once so errors show on the fields.
  const json& view = JsonMember(payload, "view");
  if (!view.is_object())
    return Reject(req, Status::InvalidArgument("view_submission without view"));
  if (foreign) {
    return HttpResponse::Json(200, Dump({{"response_action", "errors"},
                                         {"errors", json::object({{"text", Refusal().text}})}}));
  }
  FormSubmitEvent submit;
  submit.form_id = JsonString(view, "callback_id");
  submit.values = ViewStateValues(JsonMember(JsonMember(view, "state"), "values"));
  json metadata = json::parse(JsonString(view, "private_metadata"), nullptr, false);
  std::string reply_to = JsonString(metadata, "r");
  submit.state = JsonString(metadata, "s");
  if (reply_to.empty() || !DecodeSlackTarget(reply_to).ok()) {
    SlackTarget dm;
    dm.kind = SlackTarget::Kind::kDm;
    dm.user = user_id;
    reply_to = EncodeSlackTarget(dm);
  }
  Inbound in;
  in.workspace_id = ws->id;
  in.platform = Platform::kSlack;
  in.user_id = user_id;
  in.user_name = JsonString(user, "username");
  in.reply_to = reply_to;
  in.request_key = "slack-view:" + JsonString(view, "id") + ":" + JsonString(view, "hash");
  in.event = std::move(submit);
  const Reply reply = engine.Handle(in);
  if (reply.message && !reply.message->input_errors.empty()) {
    json errors = json::object();
    for (const Field& f : reply.message->input_errors) errors[f.label] = f.value;
    return HttpResponse::Json(200, Dump({{"response_action", "errors"}, {"errors", errors}}));
  }
  if (reply.message) {
    Enqueue(adapter, ws->id, reply_to, *reply.message, in.request_key);
  }
  return Empty200();  // closes the modal
}

}  // namespace

void MountSlack(HttpServer& server, SlackAdapter& adapter, Engine& engine, InboxProcessor& inbox) {
  server.Post("/slack/commands", [&server, &adapter, &engine](const HttpRequest& req) {
    return HandleCommand(server, adapter, engine, req);
  });
  server.Post("/slack/events", [&server, &adapter, &inbox](const HttpRequest& req) {
    return HandleEvents(server, adapter, inbox, req);
  });
  server.Post("/slack/interactivity", [&server, &adapter, &engine, &inbox](const HttpRequest& req) {
    return HandleInteractivity(server, adapter, engine, inbox, req);
  });
  if (!adapter.options().client_id.empty() && !adapter.options().client_secret.empty()) {
    server.Get("/slack/install",
               [&adapter](const HttpRequest& req) { return HandleSlackInstall(adapter, req); });
    server.Get("/slack/oauth/callback", [&adapter](const HttpRequest& req) {
      return HandleSlackOAuthCallback(adapter, req);
    });
  }
}

}  // namespace lessonbook
