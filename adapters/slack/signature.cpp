#include "adapters/slack/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace lessonbook {

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &len) == nullptr) {
    return "";
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0x0F];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string SignSlackRequest(std::string_view secret, std::string_view timestamp,
                             std::string_view body) {
  std::string base = "v0:";
  base.append(timestamp);
  base += ':';
  base.append(body);
  return "v0=" + HmacSha256Hex(secret, base);
}

Status VerifySlackSignature(std::string_view secret, std::string_view timestamp,
                            std::string_view signature, std::string_view body, Time now) {
  if (secret.empty()) return Status::Unauthenticated("no signing secret is configured");
  if (timestamp.empty()) return Status::Unauthenticated("X-Slack-Request-Timestamp is missing");
  if (signature.empty()) return Status::Unauthenticated("X-Slack-Signature is missing");
  long long ts = 0;
  auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size() || timestamp.size() > 12) {
    return Status::Unauthenticated("X-Slack-Request-Timestamp is not a Unix time");
  }
  const long long skew = ToUnix(now) - ts;
  if (skew > kSlackMaxClockSkew.count()) {
    return Status::Unauthenticated("the request timestamp is more than 5 minutes old (replay?)");
  }
  if (-skew > kSlackMaxClockSkew.count()) {
    return Status::Unauthenticated("the request timestamp is more than 5 minutes in the future");
  }
  if (signature.size() != 3 + 64 || signature.substr(0, 3) != "v0=") {
    return Status::Unauthenticated("X-Slack-Signature is not of the form v0=<64 hex digits>");
  }
  if (!ConstantTimeEquals(SignSlackRequest(secret, timestamp, body), signature)) {
    return Status::Unauthenticated("X-Slack-Signature does not match the body");
  }
  return Status::Ok();
}

}  // namespace lessonbook
