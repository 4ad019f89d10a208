// OAuth v2 install of the Slack app (multi-workspace mode):
//   GET /slack/install          redirects to Slack's authorize page with the bot scopes and a
//                               `state` protected against CSRF: "<nonce>.<expiry>.<hmac>" signed
//                               with the client secret, expiring after 10 minutes, and bound to
//                               the browser by an HttpOnly cookie holding the nonce.
//   GET /slack/oauth/callback   checks state, expiry and cookie, calls oauth.v2.access with the
//                               code, stores the team's bot token (sealed with the data key) and
//                               makes the installer the workspace's first admin.
// Thread-safety: the handlers may run on many threads at once.
#pragma once

#include <string>
#include <string_view>

#include "adapters/adapter.h"
#include "bot/clock.h"
#include "bot/status.h"

namespace lessonbook {

class SlackAdapter;

// The bot scopes Lessonbook asks for (the ones it uses), comma-separated.
inline constexpr const char* kSlackBotScopes =
    "app_mentions:read,chat:write,commands,im:history,im:write";
inline constexpr const char* kSlackStateCookie = "lessonbook_slack_state";
// Default: 10 minutes. An install must finish within this.
inline constexpr std::chrono::seconds kSlackStateTtl{600};

// "<nonce>.<expiry unix>.<hex HMAC-SHA256(key, nonce.expiry)>".
std::string MakeOAuthState(std::string_view key, std::string_view nonce, Time expires);
// OK when state is signed with key, not expired at now, and its nonce equals cookie_nonce;
// PermissionDenied with the reason otherwise.
Status CheckOAuthState(std::string_view key, std::string_view state, std::string_view cookie_nonce,
                       Time now);

HttpResponse HandleSlackInstall(SlackAdapter& adapter, const HttpRequest& request);
HttpResponse HandleSlackOAuthCallback(SlackAdapter& adapter, const HttpRequest& request);

}  // namespace lessonbook
