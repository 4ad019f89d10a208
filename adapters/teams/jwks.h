// The Bot Framework's signing keys: the OpenID metadata document (TEAMS_OPENID_METADATA_URL)
// names a `jwks_uri`; its JWKS lists RSA keys (kid, n, e, and `endorsements`, the channel ids a
// key may sign for). KeyCache fetches both, keeps the keys, refreshes them daily, and on a token
// whose kid it does not know fetches again — at most once an hour, so forged kids cannot make
// the bot hammer the metadata endpoint.
// Thread-safety: ParseJwks and friends are pure; KeyCache may be used from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/teams/jwt.h"
#include "bot/clock.h"
#include "bot/status.h"

namespace lessonbook {
class HttpClient;
}  // namespace lessonbook

namespace lessonbook::teams {

inline constexpr std::string_view kDefaultOpenIdMetadataUrl =
    "https://login.botframework.com/v1/.well-known/openidconfiguration";

struct OpenIdMetadata {
  std::string issuer;
  std::string jwks_uri;
  std::vector<std::string> signing_algs;  // id_token_signing_alg_values_supported
};
// InvalidArgument unless the document is a JSON object with an absolute http(s) jwks_uri and,
// when it lists signing algorithms, RS256 among them.
Result<OpenIdMetadata> ParseOpenIdMetadata(std::string_view document);

// An RSA public key from a JWK's base64url modulus and exponent (OpenSSL 3 EVP_PKEY_fromdata).
Result<std::shared_ptr<evp_pkey_st>> RsaPublicKeyFromJwk(std::string_view n, std::string_view e);

// The RSA signature keys of a JWKS ({"keys": [...]}) by kid. Keys that are not RSA, are marked
// for another use than "sig", or have no kid are skipped; a malformed RSA key is an error.
Result<SigningKeys> ParseJwks(std::string_view document);

struct KeyCacheOptions {
  // Default: the Bot Framework's (kDefaultOpenIdMetadataUrl). TEAMS_OPENID_METADATA_URL.
  std::string metadata_url = std::string(kDefaultOpenIdMetadataUrl);
  // Default: 24 h. Keys older than this are fetched again before use.
  std::chrono::seconds refresh_every{24 * 3600};
  // Default: 1 h. The least time between two fetches caused by unknown kids.
  std::chrono::seconds unknown_kid_interval{3600};
};

class KeyCache {
 public:
  // GET url -> the body of a 200 answer; anything else is an error.
  using Fetch = std::function<Result<std::string>(const std::string& url)>;

  KeyCache(const Clock& clock, KeyCacheOptions options, Fetch fetch);
  KeyCache(const KeyCache&) = delete;
  KeyCache& operator=(const KeyCache&) = delete;

  // The keys, fetched first when there are none yet or they are older than refresh_every (a
  // failed refresh keeps the old keys). Unavailable when no keys could ever be fetched.
  Result<std::shared_ptr<const SigningKeys>> Keys();
  // The keys for a token signed with `kid`: when kid is unknown and the last fetch caused by an
  // unknown kid is older than unknown_kid_interval, fetched again first.
  Result<std::shared_ptr<const SigningKeys>> KeysFor(std::string_view kid);

  // How many times the JWKS was fetched (for tests and metrics).
  int fetches() const;

 private:
  Status RefreshLocked(Time now);

  const Clock& clock_;
  const KeyCacheOptions options_;
  const Fetch fetch_;
  mutable std::mutex mu_;
  std::shared_ptr<const SigningKeys> keys_;
  Time fetched_at_{};
  Time last_unknown_kid_fetch_{};
  bool tried_unknown_kid_ = false;
  int fetches_ = 0;
};

// A Fetch through the HTTP client: GET, 200 expected, JSON returned as text.
KeyCache::Fetch HttpFetch(const HttpClient& client);

}  // namespace lessonbook::teams
