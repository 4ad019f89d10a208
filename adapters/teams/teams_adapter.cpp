#include "adapters/teams/teams_adapter.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bot/local_time.h"
#include "bot/log.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;
using teams::Activity;
using teams::ConversationRef;

// Longest run of activities reserved at once from the per-conversation limiter.
constexpr int kMaxBurst = 7;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string EventId(const Activity& a) {
  return a.conversation_id + ":" + (a.id.empty() ? a.timestamp : a.id);
}

HttpResponse EmptyOk() { return HttpResponse{200, "text/plain; charset=utf-8", "", {}}; }

HttpResponse InvokeError(int status, const std::string& message) {
  json body = {
      {"statusCode", status},
      {"type", "application/vnd.microsoft.error"},
      {"value", {{"code", status == 400 ? "BadRequest" : "NotSupported"}, {"message", message}}}};
  return HttpResponse::Json(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The PUT body that replaces an activity: the new content with the id it replaces.
std::string WithId(const std::string& activity_json, const std::string& id) {
  json j = json::parse(activity_json, nullptr, false);
  if (!j.is_object()) return activity_json;
  j["id"] = id;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

TeamsSettings TeamsSettings::FromConfig(const Config& config) {
  TeamsSettings s;
  s.app_id = config.teams_app_id;
  s.app_password = config.teams_app_password;
  s.tenant_id = config.teams_tenant_id;
  if (!config.teams_openid_metadata_url.empty()) {
    s.openid_metadata_url = config.teams_openid_metadata_url;
  }
  s.token_url = config.teams_token_url;
  s.service_url_allowlist = config.teams_service_url_allowlist;
  return s;
}

TeamsAdapter::TeamsAdapter(Store& store, const Clock& clock, WorkspaceId workspace,
                           TeamsSettings settings, HttpClientOptions http)
    : store_(store),
      clock_(clock),
      workspace_(workspace),
      settings_(std::move(settings)),
      client_(http),
      keys_(clock, teams::KeyCacheOptions{settings_.openid_metadata_url},
            teams::HttpFetch(client_)),
      connector_(
          client_, clock,
          teams::BotConnectorOptions{
              settings_.app_id, settings_.app_password, settings_.tenant_id, settings_.token_url,
              teams::ParseServiceUrlAllowlist(settings_.service_url_allowlist)}) {
  auto known = store_.ListTeamsServiceUrls();
  if (known.ok()) {
    for (const std::string& url : *known) connector_.Trust(url);
  } else {
    LogWarn("teams.service_urls_unreadable", {{"error", known.status().ToString()}});
  }
}

Result<Activity> TeamsAdapter::Authenticate(const HttpRequest& request) {
  const std::string auth = request.Header("authorization");
  if (auth.empty()) {
    return Status::Unauthenticated("the request has no Authorization: Bearer <token> header");
  }
  if (auth.size() < 8 || Lower(auth.substr(0, 7)) != "bearer ") {
    return Status::Unauthenticated("the Authorization header must be 'Bearer <token>'");
  }
  const std::string token = auth.substr(7);
  Result<teams::JwtHeader> header = teams::ReadJwtHeader(token);
  if (!header.ok()) return Status::Unauthenticated(header.status().message());
  if (header->alg != "RS256") {
    return Status::Unauthenticated("the token's algorithm '" + header->alg.substr(0, 20) +
                                   "' is not RS256");
  }
  Result<Activity> activity = teams::ParseActivity(request.body);
  if (!activity.ok()) {
    return Status::Unauthenticated(
        "the activity cannot be read, so the token cannot be checked "
        "against it: " +
        activity.status().message());
  }
  auto keys = keys_.KeysFor(header->kid);
  if (!keys.ok()) return keys.status();
  teams::JwtExpectations expected;
  expected.audience = settings_.app_id;
  expected.service_url = activity->service_url;
  expected.channel_id = activity->channel_id;
  expected.clock_skew = settings_.clock_skew;
  auto claims = teams::VerifyBotFrameworkJwt(token, **keys, expected, clock_.Now());
  if (!claims.ok()) return claims.status();
  if (!teams::ServiceUrlAllowed(activity->service_url,
                                connector_.options().service_url_allowlist)) {
    return Status::Unauthenticated(
        "the activity's serviceUrl is not in "
        "TEAMS_SERVICE_URL_ALLOWLIST");
  }
  const std::string tenant = activity->Tenant();
  if (tenant != settings_.tenant_id) {
    return Status::Unauthenticated(
        "Lessonbook here serves only the people of its own Microsoft 365 organization; the "
        "message came from " +
        (tenant.empty() ? std::string("no tenant") : "tenant " + tenant.substr(0, 64)));
  }
  return activity;
}

Result<Inbound> TeamsAdapter::Parse(const HttpRequest& request) {
  Result<Activity> activity = Authenticate(request);
  if (!activity.ok()) return activity.status();
  return teams::ToInbound(*activity, workspace_);
}

HttpResponse TeamsAdapter::Render(const Inbound&, const Reply& reply) {
  if (!reply.message) return EmptyOk();
  return HttpResponse::Json(200, teams::RenderInvokeResponse(*reply.message));
}

Result<Inbound> TeamsAdapter::FromInbox(const InboxEvent& event) {
  Result<Activity> activity = teams::ParseActivity(event.payload);
  if (!activity.ok()) return activity.status();
  return teams::ToInbound(*activity, event.workspace_id != 0 ? event.workspace_id : workspace_);
}

void TeamsAdapter::Remember(const Activity& a) {
  const Time now = clock_.Now();
  connector_.Trust(a.service_url);
  auto warn = [&](const char* what, const Status& s) {
    if (!s.ok()) LogWarn("teams.remember_failed", {{"what", what}, {"error", s.ToString()}});
  };
  warn("service_url", store_.RememberTeamsServiceUrl(a.service_url, now));
  TeamsConversation c;
  c.workspace_id = workspace_;
  c.conversation_id = a.conversation_id;
  c.conversation_type = a.conversation_type;
  c.service_url = a.service_url;
  c.tenant_id = a.Tenant();
  c.team_id = a.team_id;
  c.bot_id = a.recipient_id;
  c.updated_at = now;
  warn("conversation", store_.SaveTeamsConversation(c));
  if (a.from_id != a.recipient_id) {
    TeamsUser u;
    u.workspace_id = workspace_;
    u.user_id = a.from_id;
    u.aad_object_id = a.from_aad_object_id;
    u.name = a.from_name;
    u.local_timezone = a.local_timezone;
    u.service_url = a.service_url;
    if (a.IsPersonal()) u.personal_conversation_id = a.conversation_id;
    u.unreachable = false;  // they wrote to the bot: it may write back
    u.updated_at = now;
    warn("user", store_.SaveTeamsUser(u));
    // A Teams user's timezone is known only from their own messages (DESIGN.md): reminders
    // respect it from then on.
    if (!a.local_timezone.empty() && IsKnownTimezone(a.local_timezone)) {
      warn("timezone", store_.SetPersonTimezone(workspace_, a.from_id, a.local_timezone, now));
    }
  }
  if (a.type == "conversationUpdate" && a.BotWasAdded()) {
    // The person who added the bot is the workspace's first admin (DESIGN.md: the installer).
    auto ws = store_.GetWorkspace(workspace_);
    if (ws.ok() && ws->admins.empty() && !a.from_id.empty()) {
      Workspace w = *ws;
      w.admins.push_back(a.from_id);
      auto updated = store_.UpdateWorkspace(w);
      if (!updated.ok()) warn("admin", updated.status());
    }
    LogInfo("teams.installed", {{"conversation_type", a.conversation_type},
                                {"team", a.team_id.empty() ? "-" : "yes"}});
  }
}

HttpResponse TeamsAdapter::Receive(const HttpRequest& request, InboxProcessor& inbox,
                                   const InboundHandler& handle,
                                   const std::function<bool()>& admit) {
  Result<Activity> activity = Authenticate(request);
  if (!activity.ok()) {
    LogWarn("teams.rejected", {{"rid", request.request_id},
                               {"code", CodeName(activity.status().code())},
                               {"reason", activity.status().message()}});
    return RejectionResponse(activity.status());
  }
  if (admit && !admit()) {
    // Teams ignores the text of the HTTP answer; a 200 keeps the Bot Connector from retrying.
    return HttpResponse::Text(200, "slow down: too many requests from this tenant\n");
  }
  Remember(*activity);
  Result<Inbound> inbound = teams::ToInbound(*activity, workspace_);
  if (activity->type == "invoke") {
    if (activity->name != "adaptiveCard/action") {
      return InvokeError(501, "Lessonbook does not handle " + activity->name.substr(0, 64));
    }
    if (!inbound.ok()) return InvokeError(400, inbound.status().message());
    return Render(*inbound, handle(*inbound));
  }
  if (!inbound.ok()) {
    LogDebug("teams.ignored", {{"type", activity->type}, {"reason", inbound.status().message()}});
    return EmptyOk();
  }
  InboxEvent event;
  event.platform = Platform::kTeams;
  event.event_id = EventId(*activity);
  event.workspace_id = workspace_;
  event.payload = request.body;
  Result<bool> accepted = inbox.Accept(event);
  if (!accepted.ok()) {
    LogError("teams.inbox_failed", {{"error", accepted.status().ToString()}});
    return RejectionResponse(Status::Unavailable("busy; the Bot Connector will retry"));
  }
  if (!*accepted) LogDebug("teams.duplicate", {{"event", event.event_id}});
  return EmptyOk();
}

Delivery TeamsAdapter::Outcome(const Result<ClientResponse>& res, const std::string& user) {
  if (!res.ok()) {
    if (res.status().code() == Status::Code::kPermissionDenied) {
      return Delivery::Failed(res.status().message());
    }
    return Delivery::Retry(res.status().message());
  }
  Delivery d = teams::DeliveryFor(*res);
  if (teams::IsMessageWritesBlocked(*res) && !user.empty()) {
    Status s = store_.SetTeamsUserUnreachable(workspace_, user, true, clock_.Now());
    LogWarn("teams.user_unreachable", {{"user", user}, {"marked", s.ok() ? "yes" : s.message()}});
  }
  return d;
}

Delivery TeamsAdapter::SendToConversation(const ConversationRef& ref,
                                          const std::string& conversation,
                                          const std::vector<std::string>& activities,
                                          const std::string& update_id,
                                          const std::string& reply_to_id) {
  const auto wait = limiter_.Acquire(conversation, clock_.Now(),
                                     std::min<int>(kMaxBurst, static_cast<int>(activities.size())));
  if (wait.count() > 0) return Delivery::Retry("Teams' per-conversation rate limit", wait);
  const std::string user = ref.conversation_type == "personal" ? ref.user_id : "";
  for (std::size_t i = 0; i < activities.size(); ++i) {
    Result<ClientResponse> res = Status::Internal("not sent");
    if (i == 0 && !update_id.empty()) {
      res = connector_.UpdateActivity(ref.service_url, conversation, update_id,
                                      WithId(activities[i], update_id));
    } else if (!reply_to_id.empty()) {
      res = connector_.ReplyToActivity(ref.service_url, conversation, reply_to_id, activities[i]);
    } else {
      res = connector_.SendToConversation(ref.service_url, conversation, activities[i]);
    }
    Delivery d = Outcome(res, user);
    if (d.kind != Delivery::Kind::kSent) return d;
  }
  return Delivery::Sent();
}

Delivery TeamsAdapter::SendToUser(const ConversationRef& ref,
                                  const std::vector<std::string>& activities) {
  auto user = store_.GetTeamsUser(workspace_, ref.user_id);
  if (user.ok() && user->unreachable) {
    return Delivery::Failed(
        "the user blocked or removed the bot; nothing is sent until they "
        "write to it again");
  }
  std::string conversation = user.ok() ? user->personal_conversation_id : "";
  if (conversation.empty()) {
    const std::string bot = ref.bot_id.empty() ? "28:" + settings_.app_id : ref.bot_id;
    const std::string tenant = ref.tenant_id.empty() ? settings_.tenant_id : ref.tenant_id;
    Result<ClientResponse> created =
        connector_.CreatePersonalConversation(ref.service_url, bot, ref.user_id, tenant);
    Delivery d = Outcome(created, ref.user_id);
    if (d.kind != Delivery::Kind::kSent) return d;
    Result<std::string> id = teams::ConversationIdFrom(*created);
    if (!id.ok()) return Delivery::Retry(id.status().message());
    conversation = *id;
    TeamsUser u;
    u.workspace_id = workspace_;
    u.user_id = ref.user_id;
    u.service_url = ref.service_url;
    u.personal_conversation_id = conversation;
    u.updated_at = clock_.Now();
    Status saved = store_.SaveTeamsUser(u);
    if (!saved.ok())
      LogWarn("teams.remember_failed", {{"what", "dm"}, {"error", saved.ToString()}});
  }
  ConversationRef dm = ref;
  dm.conversation_id = conversation;
  dm.conversation_type = "personal";
  return SendToConversation(dm, conversation, activities, "", "");
}

Result<ConversationRef> TeamsAdapter::DmRef(const std::string& user_id) {
  ConversationRef ref;
  ref.user_id = user_id;
  ref.tenant_id = settings_.tenant_id;
  ref.conversation_type = "personal";
  auto user = store_.GetTeamsUser(workspace_, user_id);
  if (user.ok()) {
    ref.service_url = user->service_url;
    ref.conversation_id = user->personal_conversation_id;
  }
  if (ref.service_url.empty()) {
    // Someone the bot has not heard from yet (a mentioned participant): the tenant's Bot
    // Connector is the one its activities come from.
    auto known = store_.ListTeamsServiceUrls();
    if (known.ok()) {
      for (const std::string& url : *known) {
        if (connector_.IsTrusted(url)) {
          ref.service_url = url;
          break;
        }
      }
    }
  }
  if (ref.service_url.empty()) {
    return Status::NotFound(
        "no Teams activity has been received yet, so there is no Bot "
        "Connector to reach " +
        user_id + " through");
  }
  return ref;
}

Delivery TeamsAdapter::Deliver(const Outbound& out) {
  Result<ConversationRef> ref = Status::Internal("unset");
  if (out.target.rfind(kDmTargetPrefix, 0) == 0) {  // "dm:<user id>": the person's 1:1 chat
    ref = DmRef(out.target.substr(std::string_view(kDmTargetPrefix).size()));
    if (!ref.ok()) return Delivery::Retry(ref.status().message());
    if (!connector_.IsTrusted(ref->service_url)) {
      return Delivery::Failed("the service URL is not trusted: not sending the bot's token there");
    }
    const std::vector<std::string> dm = teams::RenderActivities(out.message, settings_.cards);
    if (dm.empty()) return Delivery::Sent();
    ConversationRef user = *ref;
    user.conversation_id.clear();  // SendToUser finds or creates the 1:1 chat
    return SendToUser(user, dm);
  }
  ref = teams::DecodeConversationRef(out.target);
  if (!ref.ok()) return Delivery::Failed(ref.status().message());
  if (!connector_.IsTrusted(ref->service_url)) {
    return Delivery::Failed(
        "the service URL was not seen in an authenticated activity or is not "
        "in TEAMS_SERVICE_URL_ALLOWLIST: not sending the bot's token there");
  }
  const std::vector<std::string> activities = teams::RenderActivities(out.message, settings_.cards);
  if (activities.empty()) return Delivery::Sent();

  if (ref->conversation_id.empty()) return SendToUser(*ref, activities);  // proactive 1:1

  const bool elsewhere = out.message.visibility == Visibility::kPrivate && !ref->user_id.empty() &&
                         ref->conversation_type != "personal";
  if (elsewhere) {
    // Teams channels and group chats have no ephemeral messages: private answers go to a DM.
    Delivery d = SendToUser(*ref, activities);
    if (d.kind != Delivery::Kind::kSent) return d;
    Message note;
    note.text = kSentYouADm;
    Delivery n = SendToConversation(*ref, ref->conversation_id, teams::RenderActivities(note), "",
                                    ref->reply_to_id);
    if (n.kind != Delivery::Kind::kSent) {
      // The answer arrived; a missing note is not worth sending the answer twice.
      LogWarn("teams.dm_note_failed", {{"reason", n.reason}});
    }
    return Delivery::Sent();
  }
  const std::string update = out.message.is_error ? "" : ref->update_id;
  return SendToConversation(*ref, ref->conversation_id, activities, update, ref->reply_to_id);
}

Result<std::unique_ptr<TeamsAdapter>> StartTeams(Store& store, const Clock& clock,
                                                 const Config& config) {
  TeamsSettings settings = TeamsSettings::FromConfig(config);
  if (settings.app_id.empty() || settings.app_password.empty()) {
    return Status::InvalidArgument("set both TEAMS_APP_ID and TEAMS_APP_PASSWORD");
  }
  if (settings.tenant_id.empty()) {
    return Status::InvalidArgument(
        "TEAMS_TENANT_ID is not set: Lessonbook is a single-tenant Teams app; set it to your "
        "Microsoft Entra tenant (directory) id");
  }
  Workspace w;
  w.platform = Platform::kTeams;
  w.external_id = settings.tenant_id;
  w.name = "Microsoft Teams";
  w.timezone = config.timezone.empty() ? "UTC" : config.timezone;
  w.created_at = clock.Now();
  auto ws = store.EnsureWorkspace(w);
  if (!ws.ok()) return ws.status();
  return std::make_unique<TeamsAdapter>(store, clock, ws->id, std::move(settings));
}

Result<std::vector<std::string>> TeamsAdapter::MembersOf(WorkspaceId ws,
                                                         std::string_view channel) {
  auto conversation = store_.GetTeamsConversation(ws, channel);
  if (!conversation.ok()) {
    return Status::NotFound("I have not seen that channel yet; mention me there once");
  }
  const std::string team =
      conversation->team_id.empty() ? conversation->conversation_id : conversation->team_id;
  std::vector<std::string> members;
  std::string continuation;
  for (int page = 0; page < 10; ++page) {
    auto got = connector_.PagedMembers(conversation->service_url, team, continuation, 200);
    if (!got.ok()) return got.status();
    for (const auto& m : got->members) {
      if (m.id != conversation->bot_id) members.push_back(m.id);
    }
    continuation = got->continuation_token;
    if (continuation.empty()) break;
  }
  return members;
}

}  // namespace lessonbook
