#include "adapters/teams/bot_connector.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "adapters/http/url.h"
#include "bot/log.h"

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

constexpr const char* kJson = "application/json; charset=utf-8";
// Retry-After values beyond this are capped (the outbox has its own maximum backoff anyway).
constexpr long long kMaxRetryAfterSeconds = 3600;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string WithoutTrailingSlash(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

std::string Snippet(const std::string& body) { return body.substr(0, 200); }

}  // namespace

std::vector<std::string> ParseServiceUrlAllowlist(std::string_view csv) {
  std::vector<std::string> out;
  std::string_view rest = Trim(csv).empty() ? kDefaultServiceUrlAllowlist : csv;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string entry = Lower(Trim(rest.substr(0, comma)));
    if (!entry.empty()) out.push_back(std::move(entry));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

bool ServiceUrlAllowed(std::string_view url, const std::vector<std::string>& allowlist) {
  Result<Url> parsed = ParseUrl(url);
  if (!parsed.ok()) return false;
  const std::string host = Lower(parsed->host);
  if (host.empty()) return false;
  if (parsed->scheme != "https" && !(parsed->scheme == "http" && IsLoopback(host))) return false;
  for (const std::string& pattern : allowlist) {
    if (pattern.rfind("*.", 0) == 0) {
      const std::string suffix = pattern.substr(1);  // ".botframework.com"
      if (host.size() > suffix.size() &&
          host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    } else if (host == pattern) {
      return true;
    }
  }
  return false;
}

std::string ConversationsUrl(std::string_view service_url) {
  return WithoutTrailingSlash(service_url) + "/v3/conversations";
}

std::string ActivitiesUrl(std::string_view service_url, std::string_view conversation_id,
                          std::string_view activity_id) {
  std::string url =
      ConversationsUrl(service_url) + "/" + PercentEncode(conversation_id) + "/activities";
  if (!activity_id.empty()) url += "/" + PercentEncode(activity_id);
  return url;
}

std::string PagedMembersUrl(std::string_view service_url, std::string_view team_id,
                            std::string_view continuation_token, int page_size) {
  std::string url = ConversationsUrl(service_url) + "/" + PercentEncode(team_id) + "/pagedmembers";
  std::string sep = "?";
  if (page_size > 0) {
    url += sep + "pageSize=" + std::to_string(page_size);
    sep = "&";
  }
  if (!continuation_token.empty()) {
    url += sep + "continuationToken=" + PercentEncode(continuation_token);
  }
  return url;
}

bool IsMessageWritesBlocked(const ClientResponse& r) {
  if (r.status != 403) return false;
  json j = json::parse(r.body, nullptr, false);
  if (j.is_object()) {
    const json* error = j.contains("error") && j["error"].is_object() ? &j["error"] : &j;
    for (const char* key : {"code", "subCode"}) {
      if (error->contains(key) && (*error)[key].is_string() &&
          (*error)[key].get<std::string>() == "MessageWritesBlocked") {
        return true;
      }
    }
  }
  return false;
}

Delivery DeliveryFor(const ClientResponse& r) {
  if (r.status >= 200 && r.status < 300) return Delivery::Sent();
  const std::string why =
      "Bot Connector answered HTTP " + std::to_string(r.status) + ": " + Snippet(r.body);
  if (r.status == 429 || r.status == 412 || r.status == 500 || r.status == 502 || r.status == 503 ||
      r.status == 504) {
    long long seconds = 0;
    const std::string after = Trim(r.Header("retry-after"));
    auto [end, ec] = std::from_chars(after.data(), after.data() + after.size(), seconds);
    if (ec != std::errc() || end != after.data() + after.size() || seconds < 0) seconds = 0;
    if (seconds > kMaxRetryAfterSeconds) seconds = kMaxRetryAfterSeconds;
    return Delivery::Retry(why, std::chrono::seconds(seconds));
  }
  if (IsMessageWritesBlocked(r)) {
    return Delivery::Failed("the user blocked or removed the bot (403 MessageWritesBlocked)");
  }
  return Delivery::Failed(why);
}

Result<std::string> ConversationIdFrom(const ClientResponse& r) {
  json j = json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("id") && j["id"].is_string() &&
      !j["id"].get<std::string>().empty()) {
    return j["id"].get<std::string>();
  }
  return Status::InvalidArgument("the Bot Connector's answer has no conversation id");
}

BotConnector::BotConnector(const HttpClient& client, const Clock& clock,
                           BotConnectorOptions options)
    : client_(client), clock_(clock), options_(std::move(options)) {}

std::string BotConnector::TokenUrl() const {
  if (!options_.token_url.empty()) return options_.token_url;
  return "https://login.microsoftonline.com/" + PercentEncode(options_.tenant_id) +
         "/oauth2/v2.0/token";
}

bool BotConnector::Trust(const std::string& service_url) {
  if (!ServiceUrlAllowed(service_url, options_.service_url_allowlist)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  trusted_.insert(service_url);
  return true;
}

bool BotConnector::IsTrusted(const std::string& service_url) const {
  if (!ServiceUrlAllowed(service_url, options_.service_url_allowlist)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  return trusted_.count(service_url) > 0;
}

void BotConnector::InvalidateToken() {
  std::lock_guard<std::mutex> lock(mu_);
  token_.clear();
  token_expires_ = Time{};
}

Result<std::string> BotConnector::AccessToken() {
  std::lock_guard<std::mutex> fetching(token_fetch_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!token_.empty() && clock_.Now() + options_.token_margin < token_expires_) return token_;
  }
  ClientRequest req;
  req.method = "POST";
  req.url = TokenUrl();
  req.content_type = "application/x-www-form-urlencoded";
  req.body = FormEncode({{"grant_type", "client_credentials"},
                         {"client_id", options_.app_id},
                         {"client_secret", options_.app_password},
                         {"scope", std::string(kBotFrameworkScope)}});
  const Time asked = clock_.Now();
  Result<ClientResponse> res = client_.Send(req);
  if (!res.ok()) {
    return Status::Unavailable("the token endpoint cannot be reached: " + res.status().message());
  }
  json j = json::parse(res->body, nullptr, false);
  if (res->status != 200 || !j.is_object() || !j.contains("access_token") ||
      !j["access_token"].is_string()) {
    std::string error = j.is_object() && j.contains("error") && j["error"].is_string()
                            ? j["error"].get<std::string>()
                            : "HTTP " + std::to_string(res->status);
    LogError("teams.token_failed", {{"status", std::to_string(res->status)}, {"error", error}});
    if (res->status == 400 || res->status == 401) {
      return Status::Unauthenticated(
          "the token endpoint refused TEAMS_APP_ID/TEAMS_APP_PASSWORD (" + error + ")");
    }
    return Status::Unavailable("the token endpoint answered " + error);
  }
  long long expires_in = 0;
  if (j.contains("expires_in") && j["expires_in"].is_number()) {
    expires_in = j["expires_in"].get<long long>();
  } else if (j.contains("expires_in") && j["expires_in"].is_string()) {
    const std::string v = j["expires_in"].get<std::string>();
    std::from_chars(v.data(), v.data() + v.size(), expires_in);
  }
  std::lock_guard<std::mutex> lock(mu_);
  token_ = j["access_token"].get<std::string>();
  token_expires_ = asked + std::chrono::seconds(std::max<long long>(0, expires_in));
  LogInfo("teams.token_fetched", {{"expires_in", std::to_string(expires_in)}});
  return token_;
}

Result<ClientResponse> BotConnector::Call(const std::string& method, const std::string& service_url,
                                          const std::string& url, const std::string& body) {
  if (!IsTrusted(service_url)) {
    return Status::PermissionDenied("the service URL " + service_url.substr(0, 100) +
                                    " was not seen in an authenticated activity or is not in "
                                    "TEAMS_SERVICE_URL_ALLOWLIST");
  }
  Result<std::string> token = AccessToken();
  if (!token.ok()) return Status::Unavailable(token.status().message());
  ClientRequest req;
  req.method = method;
  req.url = url;
  req.headers["Authorization"] = "Bearer " + *token;
  req.headers["Accept"] = "application/json";
  if (method != "GET") {
    req.content_type = kJson;
    req.body = body;
  }
  Result<ClientResponse> res = client_.Send(req);
  if (res.ok() && res->status == 401) InvalidateToken();  // the next try fetches a new one
  return res;
}

Result<ClientResponse> BotConnector::CreatePersonalConversation(const std::string& service_url,
                                                                const std::string& bot_id,
                                                                const std::string& user_id,
                                                                const std::string& tenant_id) {
  json body = {{"bot", {{"id", bot_id}}},
               {"members", json::array({{{"id", user_id}}})},
               {"channelData", {{"tenant", {{"id", tenant_id}}}}},
               {"isGroup", false},
               {"tenantId", tenant_id}};
  return Call("POST", service_url, ConversationsUrl(service_url),
              body.dump(-1, ' ', false, json::error_handler_t::replace));
}

Result<ClientResponse> BotConnector::SendToConversation(const std::string& service_url,
                                                        const std::string& conversation_id,
                                                        const std::string& activity_json) {
  return Call("POST", service_url, ActivitiesUrl(service_url, conversation_id), activity_json);
}

Result<ClientResponse> BotConnector::ReplyToActivity(const std::string& service_url,
                                                     const std::string& conversation_id,
                                                     const std::string& activity_id,
                                                     const std::string& activity_json) {
  return Call("POST", service_url, ActivitiesUrl(service_url, conversation_id, activity_id),
              activity_json);
}

Result<ClientResponse> BotConnector::UpdateActivity(const std::string& service_url,
                                                    const std::string& conversation_id,
                                                    const std::string& activity_id,
                                                    const std::string& activity_json) {
  return Call("PUT", service_url, ActivitiesUrl(service_url, conversation_id, activity_id),
              activity_json);
}

Result<MembersPage> BotConnector::PagedMembers(const std::string& service_url,
                                               const std::string& team_id,
                                               const std::string& continuation_token,
                                               int page_size) {
  Result<ClientResponse> res = Call(
      "GET", service_url, PagedMembersUrl(service_url, team_id, continuation_token, page_size), "");
  if (!res.ok()) return res.status();
  if (res->status != 200) {
    return Status::Unavailable("the roster request answered HTTP " + std::to_string(res->status));
  }
  json j = json::parse(res->body, nullptr, false);
  if (!j.is_object() || !j.contains("members") || !j["members"].is_array()) {
    return Status::InvalidArgument("the roster answer has no members array");
  }
  MembersPage page;
  for (const json& m : j["members"]) {
    if (!m.is_object()) continue;
    Member member;
    if (m.contains("id") && m["id"].is_string()) member.id = m["id"].get<std::string>();
    if (m.contains("name") && m["name"].is_string()) member.name = m["name"].get<std::string>();
    if (m.contains("aadObjectId") && m["aadObjectId"].is_string()) {
      member.aad_object_id = m["aadObjectId"].get<std::string>();
    }
    if (!member.id.empty()) page.members.push_back(std::move(member));
  }
  if (j.contains("continuationToken") && j["continuationToken"].is_string()) {
    page.continuation_token = j["continuationToken"].get<std::string>();
  }
  return page;
}

}  // namespace lessonbook::teams
