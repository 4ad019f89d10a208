// Bot Framework JWT verification ("Authentication with the Bot Connector API", connector to bot):
// a pure function of the token, the signing keys, what the request must match, and `now`.
//
// A token is accepted only when all of these hold:
//   - three base64url segments (no padding, nothing else), a JSON object header and payload;
//   - header `alg` is RS256 (alg none, HS256 and everything else are refused) and `kid` names one
//     of the keys, an RSA key of at least 2048 bits; the signature verifies with it;
//   - `iss` is https://api.botframework.com, `aud` (a string or an array) contains our app id;
//   - `exp` present and `nbf` (when present) valid at `now` with the allowed clock skew (5 min);
//   - the `serviceurl` claim is present and equals the activity's serviceUrl;
//   - when the key carries `endorsements`, they contain the activity's channelId.
// Thread-safety: pure functions; SigningKey values may be shared between threads.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.h"
#include "bot/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace lessonbook::teams {

inline constexpr std::string_view kBotFrameworkIssuer = "https://api.botframework.com";

// Base64url without padding (RFC 7515 §2). False for any character outside the alphabet, '='
// padding, an impossible length, or non-zero unused bits (so every value has one encoding).
bool Base64UrlDecode(std::string_view in, std::string* out);
std::string Base64UrlEncode(std::string_view bytes);

// One public key of the OpenID metadata's JWKS.
struct SigningKey {
  std::string kid;
  std::shared_ptr<evp_pkey_st> key;       // an RSA public key
  std::vector<std::string> endorsements;  // channel ids it may sign for; empty: not restricted
};
// Keys by kid.
using SigningKeys = std::map<std::string, SigningKey, std::less<>>;

struct JwtHeader {
  std::string alg;
  std::string kid;
};

// The token's header, decoded but not verified (to find its key). InvalidArgument when the token
// is not three well-formed segments or the header is not a JSON object.
Result<JwtHeader> ReadJwtHeader(std::string_view token);

// What a token must match for one request.
struct JwtExpectations {
  std::string issuer = std::string(kBotFrameworkIssuer);
  std::string audience;     // our Microsoft app id (TEAMS_APP_ID)
  std::string service_url;  // the activity's serviceUrl
  std::string channel_id;   // the activity's channelId ("msteams")
  // Default: 5 minutes, the skew the Bot Connector documentation allows.
  std::chrono::seconds clock_skew{300};
};

struct JwtClaims {
  std::string issuer;
  std::vector<std::string> audiences;
  std::string service_url;
  Time expires_at{};
  Time not_before{};  // epoch when the token has no nbf
};

// The token's claims when every rule above holds; Unauthenticated naming the first rule broken.
Result<JwtClaims> VerifyBotFrameworkJwt(std::string_view token, const SigningKeys& keys,
                                        const JwtExpectations& expected, Time now);

}  // namespace lessonbook::teams
