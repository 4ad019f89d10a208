// FakeOpenId: a loopback stand-in for the Bot Framework's OpenID endpoints. It generates RSA keys
// with OpenSSL, serves the metadata document (GET /v1/.well-known/openidconfiguration) and the
// JWKS it names (GET /v1/keys), and signs tokens the way the Bot Connector does — plus the bad
// tokens tests need (alg none, HS256 with the public key, a key it does not publish).
// Thread-safety: every method may be called from any thread while the server runs.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bot/clock.h"

struct evp_pkey_st;

namespace httplib {
class Server;
}  // namespace httplib

namespace lessonbook::testing {

class FakeOpenId {
 public:
  // Starts serving on 127.0.0.1 (an ephemeral port) with one key "key-1" endorsed for msteams.
  FakeOpenId();
  ~FakeOpenId();
  FakeOpenId(const FakeOpenId&) = delete;
  FakeOpenId& operator=(const FakeOpenId&) = delete;

  std::string metadata_url() const;
  std::string jwks_url() const;

  // Generates a 2048-bit key and publishes it under kid from now on.
  void AddKey(const std::string& kid, std::vector<std::string> endorsements = {"msteams"});
  void RemoveKey(const std::string& kid);
  // A key that is never published (for "signed by another key").
  void AddUnpublishedKey(const std::string& name);

  // Claims of a valid Bot Framework token for the app and service URL, issued at now.
  static nlohmann::json Claims(const std::string& app_id, const std::string& service_url, Time now);
  // RS256 over header {"alg":"RS256","typ":"JWT","kid":kid} (plus extra_header), signed with the
  // key called signer (default: the key kid names).
  std::string Sign(const nlohmann::json& claims, const std::string& kid = "key-1",
                   const std::string& signer = "", const nlohmann::json& extra_header = {});
  // {"alg":"none"} with an empty signature segment.
  static std::string Unsigned(const nlohmann::json& claims, const std::string& kid = "key-1");
  // HS256 keyed with the PEM of the published public key (the classic algorithm confusion).
  std::string Hs256WithPublicKey(const nlohmann::json& claims, const std::string& kid = "key-1");

  int metadata_fetches() const { return metadata_fetches_; }
  int jwks_fetches() const { return jwks_fetches_; }

 private:
  std::string Jwks() const;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<evp_pkey_st>> keys_;   // published and unpublished
  std::map<std::string, std::vector<std::string>> published_;  // kid -> endorsements
  std::atomic<int> metadata_fetches_{0};
  std::atomic<int> jwks_fetches_{0};
};

}  // namespace lessonbook::testing
