// TeamsAdapter: Microsoft Teams through the Bot Framework protocol, without a Microsoft SDK.
//
// Inbound (POST /teams/messages): every request is authenticated first (Authenticate: the Bot
// Framework JWT against the OpenID keys, the activity's serviceUrl against the token and
// TEAMS_SERVICE_URL_ALLOWLIST, the tenant against TEAMS_TENANT_ID); anything that fails is 401
// and nothing is processed. Then the conversation reference, the user (and their localTimezone)
// and the serviceUrl are stored; messages and conversationUpdates are committed to the inbox and
// answered with an empty 200 (Teams ignores reply text in the HTTP answer); an
// adaptiveCard/action invoke runs the engine at once and answers with the invoke response.
//
// Outbound (Deliver, from the outbox): the engine's Message as Adaptive Cards through the Bot
// Connector. A private answer asked for in a channel or group chat goes to the asker's 1:1 chat
// (created with the tenant id when needed) with "I sent you a DM" in the thread; the answer to a
// submitted card replaces the card (PUT …/activities/{id}). 429/412/502/504 are retried through
// the outbox (Retry-After honoured), within Teams' per-conversation rate; 403
// MessageWritesBlocked fails for good and marks the person unreachable until they write again.
//
// Thread-safety: every method may be called from any thread (Deliver from the outbox worker).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "adapters/adapter.h"
#include "adapters/http/dispatch.h"
#include "adapters/http/http_client.h"
#include "adapters/teams/activity.h"
#include "adapters/teams/adaptive_cards.h"
#include "adapters/teams/bot_connector.h"
#include "adapters/teams/conversation_ref.h"
#include "adapters/teams/jwks.h"
#include "adapters/teams/rate_limiter.h"
#include "bot/clock.h"
#include "bot/config.h"
#include "bot/directory.h"
#include "bot/inbox_processor.h"

namespace lessonbook {

class Store;

// Every Teams setting, from the Config (TEAMS_* variables).
struct TeamsSettings {
  std::string app_id;        // TEAMS_APP_ID: the Azure Bot's Microsoft App ID (token audience)
  std::string app_password;  // TEAMS_APP_PASSWORD: its client secret
  std::string tenant_id;     // TEAMS_TENANT_ID: the only tenant served (single-tenant app)
  // TEAMS_OPENID_METADATA_URL. Default: the Bot Framework's.
  std::string openid_metadata_url = std::string(teams::kDefaultOpenIdMetadataUrl);
  // TEAMS_TOKEN_URL. Default (empty): login.microsoftonline.com/<tenant>/oauth2/v2.0/token.
  std::string token_url;
  // TEAMS_SERVICE_URL_ALLOWLIST. Default (empty): teams::kDefaultServiceUrlAllowlist.
  std::string service_url_allowlist;
  // Default: 5 minutes of clock skew for token times.
  std::chrono::seconds clock_skew{300};
  teams::CardOptions cards;

  static TeamsSettings FromConfig(const Config& config);
};

// The note left in a channel or group chat when the answer went to the asker's 1:1 chat.
inline constexpr const char* kSentYouADm = "I sent you a DM with the answer.";
// Outbox targets "dm:<user id>" (bot/postmortem.h DmTarget) go to the person's 1:1 chat.
inline constexpr const char* kDmTargetPrefix = "dm:";

class TeamsAdapter final : public Adapter, public InboxReader, public Directory {
 public:
  TeamsAdapter(Store& store, const Clock& clock, WorkspaceId workspace, TeamsSettings settings,
               HttpClientOptions http = {});
  TeamsAdapter(const TeamsAdapter&) = delete;
  TeamsAdapter& operator=(const TeamsAdapter&) = delete;

  Platform platform() const override { return Platform::kTeams; }
  WorkspaceId workspace_id() const { return workspace_; }

  // The activity of a request that passes every check; Unauthenticated (401) naming the check
  // that failed, Unavailable when the signing keys cannot be fetched.
  Result<teams::Activity> Authenticate(const HttpRequest& request);
  // Authenticate, then the activity's Inbound (NotFound when it asks nothing of the bot).
  Result<Inbound> Parse(const HttpRequest& request) override;
  // The answer to an adaptiveCard/action invoke (the engine ran at once): the invoke response
  // with the reply as a card; an empty 200 without a reply.
  HttpResponse Render(const Inbound& inbound, const Reply& reply) override;
  Delivery Deliver(const Outbound& out) override;
  // The stored activity's Inbound (verified when it arrived).
  Result<Inbound> FromInbox(const InboxEvent& event) override;
  // The roster of the team a channel belongs to (paged members), the bot left out. NotFound for
  // a channel the bot has not seen a message in.
  Result<std::vector<std::string>> MembersOf(WorkspaceId ws, std::string_view channel) override;

  // POST /teams/messages, as described above. `admit` (when given) is asked after the request
  // is authenticated: false answers a 200 with a "slow down" notice and does nothing more (the
  // per-workspace rate limit, HttpServer::AdmitWorkspace).
  HttpResponse Receive(const HttpRequest& request, InboxProcessor& inbox,
                       const InboundHandler& handle,
                       const std::function<bool()>& admit = nullptr);

  teams::BotConnector& connector() { return connector_; }
  teams::KeyCache& keys() { return keys_; }

 private:
  // Stores what the activity tells about the conversation and its sender; trusts its serviceUrl.
  void Remember(const teams::Activity& activity);
  // Where "dm:<user id>" goes: the user's service URL (else a trusted one) and 1:1 chat if known.
  Result<teams::ConversationRef> DmRef(const std::string& user_id);
  // Sends activities to the user's 1:1 chat, creating it when needed.
  Delivery SendToUser(const teams::ConversationRef& ref,
                      const std::vector<std::string>& activities);
  // Sends activities to a conversation: the first replaces update_id when given, each replies
  // to reply_to_id when given.
  Delivery SendToConversation(const teams::ConversationRef& ref, const std::string& conversation,
                              const std::vector<std::string>& activities,
                              const std::string& update_id, const std::string& reply_to_id);
  // The Delivery for one Bot Connector call; a 403 MessageWritesBlocked marks `user` unreachable.
  Delivery Outcome(const Result<ClientResponse>& res, const std::string& user);

  Store& store_;
  const Clock& clock_;
  const WorkspaceId workspace_;
  const TeamsSettings settings_;
  HttpClient client_;
  teams::KeyCache keys_;
  teams::BotConnector connector_;
  teams::ConversationRateLimiter limiter_;
};

// Builds the Teams adapter from the Config: the workspace for TEAMS_TENANT_ID (created on first
// start) and the service URLs trusted before a restart. InvalidArgument when TEAMS_TENANT_ID is
// missing (the app is single-tenant).
Result<std::unique_ptr<TeamsAdapter>> StartTeams(Store& store, const Clock& clock,
                                                 const Config& config);

}  // namespace lessonbook
