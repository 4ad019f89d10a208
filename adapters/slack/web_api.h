// SlackWebApi: calls to Slack's Web API (chat.postMessage, chat.postEphemeral, chat.update,
// views.open, views.publish, conversations.open, conversations.members, users.info, auth.test,
// oauth.v2.access) and posts to response_url, over adapters/http/http_client.h (HTTPS with
// certificate verification; the base URL is configuration so tests use a loopback fake).
//
// Slack answers HTTP 200 with {"ok": false, "error": "..."} for errors. Each answer is classified:
//   ok                                    -> kOk
//   HTTP 429 / "ratelimited" + Retry-After -> kRetry at that time
//   network errors, HTTP 5xx, Slack's "internal_error", "fatal_error", "service_unavailable",
//   "request_timeout"                      -> kRetry (backoff)
//   everything else (invalid_auth, account_inactive, token_revoked, channel_not_found,
//   not_in_channel, …)                     -> kPermanent
// Thread-safety: const methods may be called from many threads at once.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "adapters/http/http_client.h"

namespace lessonbook {

struct SlackApiResult {
  enum class Kind { kOk, kRetry, kPermanent };
  Kind kind = Kind::kOk;
  std::string error;                    // Slack's error code, or what went wrong on the wire
  std::chrono::seconds retry_after{0};  // from Retry-After; 0: the caller's backoff decides
  int http_status = 0;
  std::string body;  // the answer as received

  bool ok() const { return kind == Kind::kOk; }
};

struct SlackWebApiOptions {
  // SLACK_API_BASE. Default: https://slack.com/api. Methods are POSTed to <base>/<method>.
  std::string api_base = "https://slack.com/api";
  HttpClientOptions http;
};

// True for Slack error codes retrying cannot fix (a token, a channel, an argument).
bool IsPermanentSlackError(std::string_view error);

class SlackWebApi {
 public:
  explicit SlackWebApi(SlackWebApiOptions options = {});

  // POSTs json_body to <base>/<method> with Authorization: Bearer <token> and
  // Content-Type: application/json; charset=utf-8.
  SlackApiResult Call(std::string_view method, std::string_view token,
                      const std::string& json_body) const;
  // POSTs a form to <base>/<method> with HTTP Basic client authentication (oauth.v2.access).
  SlackApiResult CallForm(std::string_view method, const std::map<std::string, std::string>& fields,
                          std::string_view basic_user, std::string_view basic_password) const;
  // POSTs a form with Authorization: Bearer <token>, for read methods that take form arguments
  // (users.info).
  SlackApiResult CallFormWithToken(std::string_view method, std::string_view token,
                                   const std::map<std::string, std::string>& fields) const;
  // POSTs json_body to a response_url (no token). Slack answers "ok" or an error text.
  SlackApiResult PostToResponseUrl(const std::string& url, const std::string& json_body) const;

  const std::string& api_base() const { return options_.api_base; }

 private:
  SlackApiResult Send(const ClientRequest& request, bool expect_json) const;

  SlackWebApiOptions options_;
  HttpClient client_;
};

}  // namespace lessonbook
