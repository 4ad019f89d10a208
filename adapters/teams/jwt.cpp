#include "adapters/teams/jwt.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

// Longer tokens are refused before any work (Bot Framework tokens are about 1–2 KB).
constexpr std::size_t kMaxTokenBytes = 16 * 1024;
constexpr int kMinRsaBits = 2048;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

struct Segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
};

Result<Segments> Split(std::string_view token) {
  if (token.empty()) return Status::Unauthenticated("the bearer token is empty");
  if (token.size() > kMaxTokenBytes) return Status::Unauthenticated("the bearer token is too long");
  const std::size_t a = token.find('.');
  const std::size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return Status::Unauthenticated("the bearer token is not a JWT (three dot-separated segments)");
  }
  Segments s{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
  if (s.header.empty() || s.payload.empty() || s.signature.empty()) {
    return Status::Unauthenticated("the bearer token has an empty segment");
  }
  return s;
}

Result<json> DecodeObject(std::string_view segment, const char* what) {
  std::string bytes;
  if (!Base64UrlDecode(segment, &bytes)) {
    return Status::Unauthenticated(std::string("the token's ") + what + " is not base64url");
  }
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::Unauthenticated(std::string("the token's ") + what + " is not a JSON object");
  }
  return j;
}

std::string StringClaim(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A NumericDate claim (seconds, maybe fractional). False when absent or not a finite number.
bool TimeClaim(const json& j, const char* key, Time* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return false;
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < 0 || v > 1e11) return false;
  *out = FromUnix(static_cast<long long>(v));
  return true;
}

bool VerifyRs256(evp_pkey_st* key, std::string_view signed_part, const std::string& signature) {
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA ||
      EVP_PKEY_get_bits(key) < kMinRsaBits) {
    return false;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerifyUpdate(ctx, signed_part.data(), signed_part.size()) == 1 &&
            EVP_DigestVerifyFinal(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                                  signature.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

bool Base64UrlDecode(std::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 == 1) return false;
  out->reserve(in.size() * 3 / 4);
  unsigned int buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Sextet(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // The bits left over must be zero: "QQ" is 'A', "QR" is not an encoding of anything.
  return (buffer & ((1u << bits) - 1)) == 0;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  unsigned int buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

Result<JwtHeader> ReadJwtHeader(std::string_view token) {
  Result<Segments> segments = Split(token);
  if (!segments.ok()) return Status::InvalidArgument(segments.status().message());
  Result<json> header = DecodeObject(segments->header, "header");
  if (!header.ok()) return Status::InvalidArgument(header.status().message());
  return JwtHeader{StringClaim(*header, "alg"), StringClaim(*header, "kid")};
}

Result<JwtClaims> VerifyBotFrameworkJwt(std::string_view token, const SigningKeys& keys,
                                        const JwtExpectations& expected, Time now) {
  Result<Segments> segments = Split(token);
  if (!segments.ok()) return segments.status();
  Result<json> header = DecodeObject(segments->header, "header");
  if (!header.ok()) return header.status();
  Result<json> payload = DecodeObject(segments->payload, "payload");
  if (!payload.ok()) return payload.status();
  std::string signature;
  if (!Base64UrlDecode(segments->signature, &signature) || signature.empty()) {
    return Status::Unauthenticated("the token's signature is not base64url");
  }

  const std::string alg = StringClaim(*header, "alg");
  if (alg != "RS256") {
    return Status::Unauthenticated("the token's algorithm '" + alg.substr(0, 20) +
                                   "' is not RS256");
  }
  const std::string kid = StringClaim(*header, "kid");
  auto key = keys.find(kid);
  if (kid.empty() || key == keys.end()) {
    return Status::Unauthenticated("the token's signing key '" + kid.substr(0, 64) +
                                   "' is not in the OpenID keys");
  }
  const std::string_view signed_part =
      std::string_view(token).substr(0, segments->header.size() + 1 + segments->payload.size());
  if (!VerifyRs256(key->second.key.get(), signed_part, signature)) {
    return Status::Unauthenticated("the token's signature does not verify");
  }

  JwtClaims claims;
  claims.issuer = StringClaim(*payload, "iss");
  if (claims.issuer != expected.issuer) {
    return Status::Unauthenticated("the token's issuer is not " + expected.issuer);
  }
  auto aud = payload->find("aud");
  if (aud != payload->end() && aud->is_string()) {
    claims.audiences.push_back(aud->get<std::string>());
  } else if (aud != payload->end() && aud->is_array()) {
    for (const json& a : *aud) {
      if (a.is_string()) claims.audiences.push_back(a.get<std::string>());
    }
  }
  if (expected.audience.empty() || std::find(claims.audiences.begin(), claims.audiences.end(),
                                             expected.audience) == claims.audiences.end()) {
    return Status::Unauthenticated("the token's audience is not this bot's app id");
  }
  if (!TimeClaim(*payload, "exp", &claims.expires_at)) {
    return Status::Unauthenticated("the token has no valid expiry (exp)");
  }
  if (now > claims.expires_at + expected.clock_skew) {
    return Status::Unauthenticated("the token has expired");
  }
  if (payload->contains("nbf")) {
    if (!TimeClaim(*payload, "nbf", &claims.not_before)) {
      return Status::Unauthenticated("the token's nbf is not a time");
    }
    if (now + expected.clock_skew < claims.not_before) {
      return Status::Unauthenticated("the token is not valid yet (nbf)");
    }
  }
  claims.service_url = StringClaim(*payload, "serviceurl");
  if (claims.service_url.empty()) {
    return Status::Unauthenticated("the token has no serviceurl claim");
  }
  if (claims.service_url != expected.service_url) {
    return Status::Unauthenticated("the token's serviceurl does not match the activity's");
  }
  const auto& endorsements = key->second.endorsements;
  if (!endorsements.empty() && std::find(endorsements.begin(), endorsements.end(),
                                         expected.channel_id) == endorsements.end()) {
    return Status::Unauthenticated("the signing key is not endorsed for channel '" +
                                   expected.channel_id.substr(0, 40) + "'");
  }
  return claims;
}

}  // namespace lessonbook::teams
