// Slack request signatures ("Verifying requests from Slack"): X-Slack-Signature is "v0=" + the
// lower-case hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}" keyed with the app's
// signing secret. Pure functions: `now` is passed in, nothing is read from the clock.
// Thread-safety: safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bot/clock.h"
#include "bot/status.h"

namespace lessonbook {

// Default: 5 minutes. A timestamp further from now, in either direction, is refused.
inline constexpr std::chrono::seconds kSlackMaxClockSkew{300};

// OK when `signature` is the v0 signature of (timestamp, body) under `secret` and the timestamp
// is within kSlackMaxClockSkew of now. Otherwise Unauthenticated with the reason (for the log):
// a missing header, a timestamp that is not a number or too old / in the future, a signature of
// the wrong form or one that does not match. The comparison takes constant time.
Status VerifySlackSignature(std::string_view secret, std::string_view timestamp,
                            std::string_view signature, std::string_view body, Time now);

// "v0=<hex>": the signature Slack sends for (timestamp, body). For tests and fakes.
std::string SignSlackRequest(std::string_view secret, std::string_view timestamp,
                             std::string_view body);

// Lower-case hex HMAC-SHA256(key, data).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Constant-time equality of two strings (the lengths may leak, the contents do not).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace lessonbook
