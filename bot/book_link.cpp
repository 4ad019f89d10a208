#include "bot/book_link.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "bot/secret_box.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

using nlohmann::json;

constexpr std::string_view kMacContext = "lessonbook-book-link-v1.";
constexpr std::size_t kKeyBytes = 32;
constexpr const char* kStoredKeyName = "book_link_key";

std::string Mac(std::string_view key, std::string_view encoded_claims) {
  std::string message = std::string(kMacContext) + std::string(encoded_claims);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
           &len) == nullptr) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

const char* KindName(BookLinkKind k) { return k == BookLinkKind::kExport ? "export" : "book"; }

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string b = Base64Encode(bytes);
  while (!b.empty() && b.back() == '=') b.pop_back();
  for (char& c : b) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return b;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string b;
  b.reserve(text.size() + 3);
  for (char c : text) {
    if (c == '-') b += '+';
    else if (c == '_') b += '/';
    else if (c == '+' || c == '/' || c == '=') return Status::InvalidArgument("not base64url");
    else b += c;
  }
  if (b.size() % 4 == 1) return Status::InvalidArgument("not base64url");
  while (b.size() % 4 != 0) b += '=';
  return Base64Decode(b);
}

std::string SignBookLink(const BookLinkClaims& c, std::string_view key) {
  json j = {{"v", 1},
            {"k", KindName(c.kind)},
            {"w", c.workspace_id},
            {"x", c.workspace_external_id},
            {"u", c.user_id},
            {"e", ToUnix(c.expires_at)}};
  if (c.kind == BookLinkKind::kExport) {
    j["f"] = c.format;
    j["q"] = c.filter;
  }
  // Invalid UTF-8 (it cannot come from a verified platform request) is replaced, never thrown.
  std::string encoded =
      Base64UrlEncode(j.dump(-1, ' ', false, json::error_handler_t::replace));
  return encoded + "." + Base64UrlEncode(Mac(key, encoded));
}

Result<BookLinkClaims> VerifyBookLink(std::string_view token, std::string_view key, Time now) {
  if (key.empty()) return Status::Unauthenticated("no link key");
  const std::size_t dot = token.find('.');
  if (token.empty() || dot == std::string_view::npos || token.size() > 8192) {
    return Status::Unauthenticated("the token is not <claims>.<signature>");
  }
  const std::string_view encoded = token.substr(0, dot);
  auto given = Base64UrlDecode(token.substr(dot + 1));
  const std::string expected = Mac(key, encoded);
  // Constant time: the lengths are public (32 bytes), the bytes are compared with CRYPTO_memcmp.
  if (!given.ok() || expected.empty() || given->size() != expected.size() ||
      CRYPTO_memcmp(given->data(), expected.data(), expected.size()) != 0) {
    return Status::Unauthenticated("the signature does not match");
  }
  auto raw = Base64UrlDecode(encoded);
  if (!raw.ok()) return Status::Unauthenticated("the claims are not base64url");
  json j = json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  BookLinkClaims c;
  try {
    if (!j.is_object() || j.value("v", 0) != 1) {
      return Status::Unauthenticated("unknown link version");
    }
    const std::string kind = j.at("k").get<std::string>();
    if (kind == "book") c.kind = BookLinkKind::kBook;
    else if (kind == "export") c.kind = BookLinkKind::kExport;
    else return Status::Unauthenticated("unknown link kind");
    c.workspace_id = j.at("w").get<WorkspaceId>();
    c.workspace_external_id = j.at("x").get<std::string>();
    c.user_id = j.at("u").get<std::string>();
    c.expires_at = FromUnix(j.at("e").get<std::int64_t>());
    if (c.kind == BookLinkKind::kExport) {
      c.format = j.at("f").get<std::string>();
      c.filter = j.at("q").get<std::string>();
    }
  } catch (const json::exception& e) {
    return Status::Unauthenticated(std::string("incomplete claims: ") + e.what());
  }
  if (c.workspace_id <= 0 || c.user_id.empty()) {
    return Status::Unauthenticated("incomplete claims");
  }
  if (now >= c.expires_at) return Status::PermissionDenied("the link has expired");
  return c;
}

Result<std::string> DeriveBookLinkKey(std::string_view data_key_base64) {
  auto ikm = Base64Decode(data_key_base64);
  if (!ikm.ok() || ikm->size() != kKeyBytes) {
    return Status::InvalidArgument("LESSONBOOK_DATA_KEY must be 32 bytes in base64 "
                                   "(openssl rand -base64 32)");
  }
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr), &EVP_PKEY_CTX_free);
  static constexpr std::string_view kSalt = "lessonbook";
  static constexpr std::string_view kInfo = "book-link-key-v1";
  unsigned char out[kKeyBytes];
  std::size_t out_len = sizeof out;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), reinterpret_cast<const unsigned char*>(kSalt.data()),
                                  static_cast<int>(kSalt.size())) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), reinterpret_cast<const unsigned char*>(ikm->data()),
                                 static_cast<int>(ikm->size())) <= 0 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), reinterpret_cast<const unsigned char*>(kInfo.data()),
                                  static_cast<int>(kInfo.size())) <= 0 ||
      EVP_PKEY_derive(ctx.get(), out, &out_len) <= 0 || out_len != kKeyBytes) {
    return Status::Internal("HKDF failed");
  }
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

Result<std::string> LoadBookLinkKey(Store& store, std::string_view data_key_base64) {
  if (!data_key_base64.empty()) return DeriveBookLinkKey(data_key_base64);
  unsigned char random[kKeyBytes];
  if (RAND_bytes(random, sizeof random) != 1) return Status::Internal("no random bytes");
  auto kept = store.KeepSecret(
      kStoredKeyName, Base64Encode(std::string_view(reinterpret_cast<const char*>(random),
                                                    sizeof random)));
  if (!kept.ok()) return kept.status();
  auto key = Base64Decode(*kept);
  if (!key.ok() || key->size() != kKeyBytes) {
    return Status::Internal("the stored book link key is damaged");
  }
  return key;
}

}  // namespace lessonbook
