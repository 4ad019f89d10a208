// BotConnector: the client of the Bot Connector REST API (v3) that Teams answers go through.
//
// Token: OAuth 2.0 client credentials for the single-tenant app (TEAMS_APP_ID,
// TEAMS_APP_PASSWORD) at TEAMS_TOKEN_URL (default
// https://login.microsoftonline.com/<TEAMS_TENANT_ID>/oauth2/v2.0/token) with scope
// https://api.botframework.com/.default; cached until 5 minutes before it expires.
//
// The token is only ever sent to a serviceUrl that (1) was seen in an authenticated activity
// (Trust) and (2) matches TEAMS_SERVICE_URL_ALLOWLIST; anything else is refused before a byte is
// sent, so a forged serviceUrl cannot make the bot hand out its token (no SSRF).
//
// Calls (conversation and activity ids percent-encoded in paths):
//   POST {serviceUrl}/v3/conversations                                   create a 1:1 chat
//   POST {serviceUrl}/v3/conversations/{conversationId}/activities       post to a conversation
//   POST {serviceUrl}/v3/conversations/{conversationId}/activities/{id}  reply to an activity
//   PUT  {serviceUrl}/v3/conversations/{conversationId}/activities/{id}  update an activity
//   GET  {serviceUrl}/v3/conversations/{teamId}/pagedmembers             a team's roster
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/http_client.h"
#include "bot/clock.h"
#include "bot/deliverer.h"
#include "bot/status.h"

namespace lessonbook::teams {

// Microsoft's Bot Connector hosts: the public cloud's Teams service (smba.trafficmanager.net),
// the government clouds' (GCC, GCC High, DoD) and the Bot Framework's own channels.
inline constexpr std::string_view kDefaultServiceUrlAllowlist =
    "smba.trafficmanager.net,smba.infra.gcc.teams.microsoft.com,"
    "smba.infra.gov.teams.microsoft.us,smba.infra.dod.teams.microsoft.us,*.botframework.com";
inline constexpr std::string_view kBotFrameworkScope = "https://api.botframework.com/.default";

// Comma-separated host patterns ("host" or "*.domain"), lower-cased; empty: the default list.
std::vector<std::string> ParseServiceUrlAllowlist(std::string_view csv);
// True when url is an absolute URL whose host matches a pattern, over https (plain http only for
// loopback hosts, which tests use). "*.domain" matches subdomains, not the domain itself.
bool ServiceUrlAllowed(std::string_view url, const std::vector<std::string>& allowlist);

// {serviceUrl}/v3/conversations/{id}/activities[/{activity}] with the ids percent-encoded and
// exactly one '/' between the service URL and "v3".
std::string ConversationsUrl(std::string_view service_url);
std::string ActivitiesUrl(std::string_view service_url, std::string_view conversation_id,
                          std::string_view activity_id = {});
std::string PagedMembersUrl(std::string_view service_url, std::string_view team_id,
                            std::string_view continuation_token = {}, int page_size = 0);

// How a Bot Connector answer maps to the outbox: 2xx sent; 429, 412, 502, 504 (and 500, 503)
// retried after Retry-After (seconds) when given, else the worker's backoff; anything else
// failed for good (403 MessageWritesBlocked included).
Delivery DeliveryFor(const ClientResponse& response);
// A 403 whose error code or subCode is MessageWritesBlocked: the user blocked or removed the bot.
bool IsMessageWritesBlocked(const ClientResponse& response);

struct BotConnectorOptions {
  std::string app_id;        // TEAMS_APP_ID
  std::string app_password;  // TEAMS_APP_PASSWORD (a secret: never logged)
  std::string tenant_id;     // TEAMS_TENANT_ID
  // TEAMS_TOKEN_URL. Default (empty): https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.
  std::string token_url;
  // TEAMS_SERVICE_URL_ALLOWLIST, parsed. Default: kDefaultServiceUrlAllowlist.
  std::vector<std::string> service_url_allowlist;
  // Default: 5 minutes. A token is fetched again this long before it expires.
  std::chrono::seconds token_margin{300};
};

struct Member {
  std::string id;  // "29:…"
  std::string name;
  std::string aad_object_id;
};
struct MembersPage {
  std::vector<Member> members;
  std::string continuation_token;  // empty on the last page
};

class BotConnector {
 public:
  BotConnector(const HttpClient& client, const Clock& clock, BotConnectorOptions options);
  BotConnector(const BotConnector&) = delete;
  BotConnector& operator=(const BotConnector&) = delete;

  const BotConnectorOptions& options() const { return options_; }
  std::string TokenUrl() const;

  // Records a serviceUrl from an authenticated activity. False (nothing recorded) when it does
  // not match the allow-list.
  bool Trust(const std::string& service_url);
  bool IsTrusted(const std::string& service_url) const;

  // The cached access token, fetched when absent or within token_margin of expiring.
  // Unauthenticated when the token endpoint refuses the credentials, Unavailable when it cannot
  // be reached.
  Result<std::string> AccessToken();
  // Drops the cached token (after the Bot Connector answered 401).
  void InvalidateToken();

  // Each call returns the Bot Connector's answer whatever its status; PermissionDenied when the
  // service URL is not trusted, Unavailable for network errors or no token.
  Result<ClientResponse> CreatePersonalConversation(const std::string& service_url,
                                                    const std::string& bot_id,
                                                    const std::string& user_id,
                                                    const std::string& tenant_id);
  Result<ClientResponse> SendToConversation(const std::string& service_url,
                                            const std::string& conversation_id,
                                            const std::string& activity_json);
  Result<ClientResponse> ReplyToActivity(const std::string& service_url,
                                         const std::string& conversation_id,
                                         const std::string& activity_id,
                                         const std::string& activity_json);
  Result<ClientResponse> UpdateActivity(const std::string& service_url,
                                        const std::string& conversation_id,
                                        const std::string& activity_id,
                                        const std::string& activity_json);
  // One page of a team's roster (page_size up to 500; 0: the service's default).
  Result<MembersPage> PagedMembers(const std::string& service_url, const std::string& team_id,
                                   const std::string& continuation_token = "", int page_size = 0);

 private:
  Result<ClientResponse> Call(const std::string& method, const std::string& service_url,
                              const std::string& url, const std::string& body);

  const HttpClient& client_;
  const Clock& clock_;
  const BotConnectorOptions options_;
  mutable std::mutex mu_;
  std::set<std::string> trusted_;
  std::string token_;
  Time token_expires_{};
  std::mutex token_fetch_mu_;  // one token request at a time
};

// The conversation id in a POST /v3/conversations answer ({"id": …}); InvalidArgument otherwise.
Result<std::string> ConversationIdFrom(const ClientResponse& response);

}  // namespace lessonbook::teams
