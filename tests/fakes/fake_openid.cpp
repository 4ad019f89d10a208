#include "tests/fakes/fake_openid.h"

#include <httplib.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

#include "adapters/teams/jwt.h"

namespace lessonbook::testing {
namespace {

using json = nlohmann::json;
using teams::Base64UrlEncode;

std::shared_ptr<evp_pkey_st> GenerateRsa() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) throw std::runtime_error("RSA key generation failed");
  return std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free);
}

std::string BigNumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no RSA parameter");
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

std::string SignRs256(EVP_PKEY* key, const std::string& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t len = 0;
  std::string sig;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("signing failed");
  }
  sig.resize(len);
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string Segment(const json& j) { return Base64UrlEncode(j.dump()); }

}  // namespace

FakeOpenId::FakeOpenId() : server_(std::make_unique<httplib::Server>()) {
  AddKey("key-1");
  server_->Get("/v1/.well-known/openidconfiguration",
               [this](const httplib::Request&, httplib::Response& res) {
                 ++metadata_fetches_;
                 json doc = {{"issuer", "https://api.botframework.com"},
                             {"authorization_endpoint", "https://invalid.botframework.com"},
                             {"jwks_uri", jwks_url()},
                             {"id_token_signing_alg_values_supported", {"RS256"}},
                             {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}};
                 res.set_content(doc.dump(), "application/json");
               });
  server_->Get("/v1/keys", [this](const httplib::Request&, httplib::Response& res) {
    ++jwks_fetches_;
    res.set_content(Jwks(), "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeOpenId::~FakeOpenId() {
  server_->stop();
  thread_.join();
}

std::string FakeOpenId::metadata_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1/.well-known/openidconfiguration";
}

std::string FakeOpenId::jwks_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1/keys";
}

void FakeOpenId::AddKey(const std::string& kid, std::vector<std::string> endorsements) {
  auto key = GenerateRsa();
  std::lock_guard<std::mutex> lock(mu_);
  keys_[kid] = std::move(key);
  published_[kid] = std::move(endorsements);
}

void FakeOpenId::RemoveKey(const std::string& kid) {
  std::lock_guard<std::mutex> lock(mu_);
  published_.erase(kid);
}

void FakeOpenId::AddUnpublishedKey(const std::string& name) {
  auto key = GenerateRsa();
  std::lock_guard<std::mutex> lock(mu_);
  keys_[name] = std::move(key);
}

std::string FakeOpenId::Jwks() const {
  std::lock_guard<std::mutex> lock(mu_);
  json keys = json::array();
  for (const auto& [kid, endorsements] : published_) {
    EVP_PKEY* key = keys_.at(kid).get();
    json k = {{"kty", "RSA"},
              {"use", "sig"},
              {"kid", kid},
              {"n", Base64UrlEncode(BigNumParam(key, OSSL_PKEY_PARAM_RSA_N))},
              {"e", Base64UrlEncode(BigNumParam(key, OSSL_PKEY_PARAM_RSA_E))}};
    if (!endorsements.empty()) k["endorsements"] = endorsements;
    keys.push_back(std::move(k));
  }
  return json{{"keys", std::move(keys)}}.dump();
}

json FakeOpenId::Claims(const std::string& app_id, const std::string& service_url, Time now) {
  return json{{"iss", "https://api.botframework.com"},
              {"aud", app_id},
              {"serviceurl", service_url},
              {"nbf", ToUnix(now) - 60},
              {"iat", ToUnix(now) - 60},
              {"exp", ToUnix(now) + 3600}};
}

std::string FakeOpenId::Sign(const json& claims, const std::string& kid, const std::string& signer,
                             const json& extra_header) {
  json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}};
  if (extra_header.is_object()) {
    for (const auto& [k, v] : extra_header.items()) header[k] = v;
  }
  std::shared_ptr<evp_pkey_st> key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    key = keys_.at(signer.empty() ? kid : signer);
  }
  const std::string signed_part = Segment(header) + "." + Segment(claims);
  return signed_part + "." + Base64UrlEncode(SignRs256(key.get(), signed_part));
}

std::string FakeOpenId::Unsigned(const json& claims, const std::string& kid) {
  return Segment(json{{"alg", "none"}, {"typ", "JWT"}, {"kid", kid}}) + "." + Segment(claims) + ".";
}

std::string FakeOpenId::Hs256WithPublicKey(const json& claims, const std::string& kid) {
  std::string pem;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pem = PublicPem(keys_.at(kid).get());
  }
  const std::string signed_part =
      Segment(json{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", kid}}) + "." + Segment(claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac, &len);
  return signed_part + "." + Base64UrlEncode(std::string(reinterpret_cast<const char*>(mac), len));
}

}  // namespace lessonbook::testing
