#include "adapters/teams/jwks.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A real 2048-bit modulus is not needed to test parsing: ParseJwks builds keys of any size
// (VerifyBotFrameworkJwt refuses keys under 2048 bits).
const char* kSmallN =
    "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBig"
    "eC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_"
    "NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_"
    "RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

std::string Jwks(const json& keys) { return json{{"keys", keys}}.dump(); }

TEST(Jwks, RsaSignatureKeysAreReadWithTheirEndorsements) {
  auto keys = ParseJwks(Jwks(json::array(
      {{{"kty", "RSA"},
        {"use", "sig"},
        {"kid", "a"},
        {"n", kSmallN},
        {"e", "AQAB"},
        {"endorsements", {"msteams", "skype"}}},
       {{"kty", "EC"}, {"kid", "ec"}, {"crv", "P-256"}},
       {{"kty", "RSA"}, {"use", "enc"}, {"kid", "enc"}, {"n", kSmallN}, {"e", "AQAB"}}})));
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->at("a").endorsements, (std::vector<std::string>{"msteams", "skype"}));
  EXPECT_NE(keys->at("a").key, nullptr);
}

TEST(Jwks, MalformedDocumentsAndKeysAreRefused) {
  EXPECT_FALSE(ParseJwks("not json").ok());
  EXPECT_FALSE(ParseJwks("{}").ok());
  EXPECT_FALSE(ParseJwks(Jwks(json::array())).ok());
  EXPECT_FALSE(
      ParseJwks(Jwks(json::array({{{"kty", "RSA"}, {"kid", "a"}, {"n", "a+b"}, {"e", "AQAB"}}})))
          .ok());
  EXPECT_FALSE(RsaPublicKeyFromJwk("", "AQAB").ok());
  EXPECT_FALSE(RsaPublicKeyFromJwk(kSmallN, "AQAB==").ok());
}

TEST(OpenIdMetadata, NeedsAJwksUriAndRs256) {
  auto m = ParseOpenIdMetadata(R"({"issuer":"https://api.botframework.com",
      "jwks_uri":"https://login.botframework.com/v1/.well-known/keys",
      "id_token_signing_alg_values_supported":["RS256"]})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->jwks_uri, "https://login.botframework.com/v1/.well-known/keys");
  EXPECT_FALSE(ParseOpenIdMetadata(R"({"jwks_uri":"keys"})").ok());
  EXPECT_FALSE(
      ParseOpenIdMetadata(
          R"({"jwks_uri":"https://x/keys","id_token_signing_alg_values_supported":["HS256"]})")
          .ok());
}

class KeyCacheTest : public ::testing::Test {
 protected:
  KeyCache::Fetch Fetch() {
    return [this](const std::string& url) -> Result<std::string> {
      if (url == "https://meta") return std::string(R"({"jwks_uri":"https://keys"})");
      ++jwks_fetches_;
      if (down_) return Status::Unavailable("down");
      json keys = json::array();
      for (const std::string& kid : kids_) {
        keys.push_back({{"kty", "RSA"}, {"kid", kid}, {"n", kSmallN}, {"e", "AQAB"}});
      }
      return Jwks(keys);
    };
  }
  FakeClock clock_{FromUnix(1'800'000'000)};
  std::vector<std::string> kids_{"a"};
  int jwks_fetches_ = 0;
  bool down_ = false;
};

TEST_F(KeyCacheTest, KeysAreCachedAndRefreshedDaily) {
  KeyCache cache(clock_, KeyCacheOptions{"https://meta"}, Fetch());
  ASSERT_TRUE(cache.Keys().ok());
  ASSERT_TRUE(cache.Keys().ok());
  EXPECT_EQ(jwks_fetches_, 1);
  clock_.Advance(std::chrono::hours(23));
  ASSERT_TRUE(cache.Keys().ok());
  EXPECT_EQ(jwks_fetches_, 1);
  clock_.Advance(std::chrono::hours(2));
  down_ = true;
  auto keys = cache.Keys();
  ASSERT_TRUE(keys.ok()) << "a failed refresh keeps the keys it had";
  EXPECT_EQ(jwks_fetches_, 2);
  EXPECT_EQ((*keys)->count("a"), 1u);
}

TEST_F(KeyCacheTest, UnknownKidRefreshesAtMostOnceAnHour) {
  KeyCache cache(clock_, KeyCacheOptions{"https://meta"}, Fetch());
  ASSERT_TRUE(cache.Keys().ok());
  kids_ = {"a", "b"};
  auto keys = cache.KeysFor("b");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ((*keys)->count("b"), 1u) << "a rotated-in key is fetched on its first token";
  EXPECT_EQ(jwks_fetches_, 2);
  for (int i = 0; i < 5; ++i) (void)cache.KeysFor("forged");
  EXPECT_EQ(jwks_fetches_, 2) << "unknown kids cost at most one fetch an hour";
  clock_.Advance(std::chrono::minutes(61));
  (void)cache.KeysFor("forged");
  EXPECT_EQ(jwks_fetches_, 3);
  (void)cache.KeysFor("forged");
  (void)cache.KeysFor("a");
  EXPECT_EQ(jwks_fetches_, 3) << "a known kid never fetches";
}

TEST_F(KeyCacheTest, NoKeysAtAllIsUnavailable) {
  down_ = true;
  KeyCache cache(clock_, KeyCacheOptions{"https://meta"}, Fetch());
  EXPECT_EQ(cache.Keys().status().code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace lessonbook::teams
