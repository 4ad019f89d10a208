#include "adapters/teams/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "adapters/json_fields.h"
#include "adapters/http/http_client.h"
#include "adapters/http/url.h"
#include "bot/log.h"

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

// A JWK's modulus over 8192 bits is refused (nobody signs with one; it would only cost time).
constexpr std::size_t kMaxModulusBytes = 1024;
constexpr std::size_t kMaxExponentBytes = 8;

struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

}  // namespace

Result<OpenIdMetadata> ParseOpenIdMetadata(std::string_view document) {
  json j = json::parse(document, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("the OpenID metadata is not a JSON object");
  OpenIdMetadata m;
  m.issuer = JsonString(j, "issuer");
  m.jwks_uri = JsonString(j, "jwks_uri");
  if (m.jwks_uri.empty() || !ParseUrl(m.jwks_uri).ok()) {
    return Status::InvalidArgument("the OpenID metadata has no usable jwks_uri");
  }
  auto algs = j.find("id_token_signing_alg_values_supported");
  if (algs != j.end() && algs->is_array()) {
    for (const json& a : *algs) {
      if (a.is_string()) m.signing_algs.push_back(a.get<std::string>());
    }
    if (std::find(m.signing_algs.begin(), m.signing_algs.end(), "RS256") == m.signing_algs.end()) {
      return Status::InvalidArgument("the OpenID metadata does not support RS256 signatures");
    }
  }
  return m;
}

Result<std::shared_ptr<evp_pkey_st>> RsaPublicKeyFromJwk(std::string_view n, std::string_view e) {
  std::string n_bytes;
  std::string e_bytes;
  if (!Base64UrlDecode(n, &n_bytes) || !Base64UrlDecode(e, &e_bytes) || n_bytes.empty() ||
      e_bytes.empty() || n_bytes.size() > kMaxModulusBytes || e_bytes.size() > kMaxExponentBytes) {
    return Status::InvalidArgument("the RSA key's n or e is not a base64url number");
  }
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes.data()),
                       static_cast<int>(n_bytes.size()), nullptr));
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes.data()),
                       static_cast<int>(e_bytes.size()), nullptr));
  if (!bn_n || !bn_e) return Status::Internal("out of memory reading an RSA key");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  EVP_PKEY* pkey = nullptr;
  bool ok = bld != nullptr && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1 &&
            (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr &&
            (ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)) != nullptr &&
            EVP_PKEY_fromdata_init(ctx) == 1 &&
            EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  if (!ok || pkey == nullptr) {
    EVP_PKEY_free(pkey);
    return Status::InvalidArgument("the RSA key's n and e do not form a public key");
  }
  return std::shared_ptr<evp_pkey_st>(pkey, EVP_PKEY_free);
}

Result<SigningKeys> ParseJwks(std::string_view document) {
  json j = json::parse(document, nullptr, false);
  if (!j.is_object() || !j.contains("keys") || !j["keys"].is_array()) {
    return Status::InvalidArgument("the JWKS is not a JSON object with a keys array");
  }
  SigningKeys keys;
  for (const json& k : j["keys"]) {
    if (!k.is_object() || JsonString(k, "kty") != "RSA") continue;
    const std::string use = JsonString(k, "use");
    if (!use.empty() && use != "sig") continue;
    SigningKey key;
    key.kid = JsonString(k, "kid");
    if (key.kid.empty()) continue;
    Result<std::shared_ptr<evp_pkey_st>> pkey = RsaPublicKeyFromJwk(JsonString(k, "n"), JsonString(k, "e"));
    if (!pkey.ok()) {
      return Status::InvalidArgument("JWKS key '" + key.kid + "': " + pkey.status().message());
    }
    key.key = std::move(*pkey);
    auto endorsements = k.find("endorsements");
    if (endorsements != k.end() && endorsements->is_array()) {
      for (const json& e : *endorsements) {
        if (e.is_string()) key.endorsements.push_back(e.get<std::string>());
      }
    }
    keys[key.kid] = std::move(key);
  }
  if (keys.empty()) return Status::InvalidArgument("the JWKS has no RSA signing keys");
  return keys;
}

KeyCache::KeyCache(const Clock& clock, KeyCacheOptions options, Fetch fetch)
    : clock_(clock), options_(std::move(options)), fetch_(std::move(fetch)) {}

Status KeyCache::RefreshLocked(Time now) {
  Result<std::string> metadata_doc = fetch_(options_.metadata_url);
  if (!metadata_doc.ok()) return metadata_doc.status();
  Result<OpenIdMetadata> metadata = ParseOpenIdMetadata(*metadata_doc);
  if (!metadata.ok()) return metadata.status();
  Result<std::string> jwks_doc = fetch_(metadata->jwks_uri);
  ++fetches_;
  if (!jwks_doc.ok()) return jwks_doc.status();
  Result<SigningKeys> keys = ParseJwks(*jwks_doc);
  if (!keys.ok()) return keys.status();
  keys_ = std::make_shared<const SigningKeys>(std::move(*keys));
  fetched_at_ = now;
  LogInfo("teams.keys_fetched", {{"keys", std::to_string(keys_->size())}});
  return Status::Ok();
}

Result<std::shared_ptr<const SigningKeys>> KeyCache::Keys() {
  std::lock_guard<std::mutex> lock(mu_);
  const Time now = clock_.Now();
  if (!keys_ || now - fetched_at_ >= options_.refresh_every) {
    Status s = RefreshLocked(now);
    if (!s.ok()) {
      LogWarn("teams.keys_fetch_failed", {{"error", s.ToString()}});
      if (!keys_) {
        return Status::Unavailable("the Bot Framework signing keys could not be fetched: " +
                                   s.message());
      }
    }
  }
  return keys_;
}

Result<std::shared_ptr<const SigningKeys>> KeyCache::KeysFor(std::string_view kid) {
  Result<std::shared_ptr<const SigningKeys>> keys = Keys();
  if (!keys.ok()) return keys;
  if ((*keys)->find(kid) != (*keys)->end()) return keys;
  std::lock_guard<std::mutex> lock(mu_);
  const Time now = clock_.Now();
  if (tried_unknown_kid_ && now - last_unknown_kid_fetch_ < options_.unknown_kid_interval) {
    return keys_;
  }
  tried_unknown_kid_ = true;
  last_unknown_kid_fetch_ = now;
  Status s = RefreshLocked(now);
  if (!s.ok()) LogWarn("teams.keys_fetch_failed", {{"error", s.ToString()}});
  return keys_;
}

int KeyCache::fetches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

KeyCache::Fetch HttpFetch(const HttpClient& client) {
  return [&client](const std::string& url) -> Result<std::string> {
    ClientRequest req;
    req.method = "GET";
    req.url = url;
    req.headers["Accept"] = "application/json";
    Result<ClientResponse> res = client.Send(req);
    if (!res.ok()) return res.status();
    if (res->status != 200) {
      return Status::Unavailable(url + " answered HTTP " + std::to_string(res->status));
    }
    return res->body;
  };
}

}  // namespace lessonbook::teams
