// libFuzzer target: the Bot Framework JWT parser and verifier (adapters/teams/jwt.h): base64url
// segments, the JSON header and claims, RS256 signature checks against a fixed public key (its
// private half signed the seed corpus), issuer / audience / time / serviceurl / endorsement rules.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/teams/jwt.h"

namespace {

// The public half of the key that signed the tokens in corpus/jwt/ (the private key is not kept).
constexpr const char kPublicKeyPem[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk8nRVQZqztVwpPWmK5LV
3MsQ3RiFhcf88qdf4KEY3rMm5ewaQwvhG0gXpnQAhQj7EyZYqWb3XtmEelsYyNWV
RflqUkgmwP5XQ+4Jj3WEXKst9mqEs5wtDABsFGeRJ3svnX4LaOOumRuvqYOV2fWc
iSBTYHFx2QhVB4tvV1vKOxjbd/qajFTBa/eSgwdDbXD2hstuO3x+KMg1I6BtRBFL
FBgjQFGro1O4qW8wHM3oEW0q6/J9i6gXH1dgDxoIhQtq2KnKGfJROy/fxEvKWzD1
95kfpUJ5qLqeKPaxqtPnyrUF2ZVbBPO3viCkMwpV8EPv9MW4y/J0aSX9/LMtDOox
7QIDAQAB
-----END PUBLIC KEY-----)";

const lessonbook::teams::SigningKeys& Keys() {
  static const lessonbook::teams::SigningKeys keys = [] {
    BIO* bio = BIO_new_mem_buf(kPublicKeyPem, -1);
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (key == nullptr) std::abort();
    lessonbook::teams::SigningKeys out;
    out["fuzz-key"] = {"fuzz-key", std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free), {}};
    std::shared_ptr<EVP_PKEY> shared = out["fuzz-key"].key;
    out["fuzz-endorsed"] = {"fuzz-endorsed", shared, {"msteams"}};
    out["fuzz-other-channel"] = {"fuzz-other-channel", shared, {"webchat"}};
    return out;
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  (void)lessonbook::teams::ReadJwtHeader(token);
  lessonbook::teams::JwtExpectations expected;
  expected.audience = "fuzz-app";
  expected.service_url = "https://smba.trafficmanager.net/amer/";
  expected.channel_id = "msteams";
  // 2027-01-15T08:00:00Z: inside the seed tokens' validity window.
  const lessonbook::Time now = lessonbook::FromUnix(1'800'000'000);
  auto claims = lessonbook::teams::VerifyBotFrameworkJwt(token, Keys(), expected, now);
  if (claims.ok() && claims->service_url != expected.service_url) std::abort();
  std::string decoded;
  (void)lessonbook::teams::Base64UrlDecode(token, &decoded);
  return 0;
}
