#include "bot/secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>
#include <mutex>
#include <vector>

#include "bot/config.h"
#include "bot/log.h"

namespace lessonbook {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kPrefix = "v1:";

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t next = s.find(sep, pos);
    if (next == std::string_view::npos) {
      out.push_back(s.substr(pos));
      return out;
    }
    out.push_back(s.substr(pos, next - pos));
    pos = next + 1;
  }
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return Status::InvalidArgument("not base64 (length)");
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return Status::InvalidArgument("not base64 (character)");
  }
  if (text.empty()) return std::string();
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(text),
                                static_cast<int>(text.size()));
  if (n < 0) return Status::InvalidArgument("not base64");
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock keeps the bytes the padding stands for: drop them.
  if (text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

Result<SecretBox> SecretBox::FromBase64Key(std::string_view key_base64) {
  SecretBox box;
  if (key_base64.empty()) return box;
  Result<std::string> key = Base64Decode(key_base64);
  if (!key.ok() || key->size() != kKeyBytes) {
    return Status::InvalidArgument(
        "LESSONBOOK_DATA_KEY must be 32 random bytes in base64, e.g. from openssl rand -base64 32");
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(*key), key->size(), digest);
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 4; ++i) {
    box.key_id_ += kHex[digest[i] >> 4];
    box.key_id_ += kHex[digest[i] & 0x0F];
  }
  box.key_ = std::move(*key);
  return box;
}

bool IsSealedSecret(std::string_view stored) { return stored.substr(0, kPrefix.size()) == kPrefix; }

Result<std::string> SecretBox::Seal(std::string_view plaintext,
                                    std::string_view associated_data) const {
  if (!has_key()) return std::string(plaintext);
  unsigned char nonce[kNonceBytes];
  if (RAND_bytes(nonce, sizeof nonce) != 1) return Status::Internal("no random bytes for a nonce");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  std::string out(plaintext.size() + kTagBytes, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  int total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key_), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) !=
          1) {
    return Status::Internal("AES-256-GCM encryption failed");
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), o + total, &len) != 1) {
    return Status::Internal("AES-256-GCM encryption failed");
  }
  total += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, o + total) != 1) {
    return Status::Internal("AES-256-GCM tag failed");
  }
  out.resize(static_cast<std::size_t>(total) + kTagBytes);
  return std::string(kPrefix) + key_id_ + ":" +
         Base64Encode(std::string_view(reinterpret_cast<char*>(nonce), kNonceBytes)) + ":" +
         Base64Encode(out);
}

Result<std::string> SecretBox::Open(std::string_view stored,
                                    std::string_view associated_data) const {
  if (!IsSealedSecret(stored)) return std::string(stored);
  std::vector<std::string_view> parts = Split(stored, ':');
  if (parts.size() != 4) return Status::InvalidArgument("a sealed secret must have 4 parts");
  if (!has_key()) {
    return Status::Unauthenticated(
        "a secret is stored encrypted but LESSONBOOK_DATA_KEY is not set");
  }
  if (parts[1] != key_id_) {
    return Status::Unauthenticated(
        "a secret was encrypted under another LESSONBOOK_DATA_KEY (key id " +
        std::string(parts[1]) + ", configured " + key_id_ + ")");
  }
  Result<std::string> nonce = Base64Decode(parts[2]);
  Result<std::string> sealed = Base64Decode(parts[3]);
  if (!nonce.ok() || !sealed.ok() || nonce->size() != kNonceBytes || sealed->size() < kTagBytes) {
    return Status::InvalidArgument("a sealed secret is malformed");
  }
  const std::size_t ct_len = sealed->size() - kTagBytes;
  std::string out(ct_len, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string tag = sealed->substr(ct_len);
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key_), Bytes(*nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), o, &len, Bytes(*sealed), static_cast<int>(ct_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1) {
    return Status::Unauthenticated("a sealed secret does not open");
  }
  int total = len;
  if (EVP_DecryptFinal_ex(ctx.get(), o + total, &len) != 1) {
    return Status::Unauthenticated(
        "a sealed secret does not open: altered, or stored for another workspace");
  }
  total += len;
  out.resize(static_cast<std::size_t>(total));
  return out;
}

bool WarnOnceIfSecretsUnencrypted(const Config& config) {
  if (!config.data_key.empty() || config.WebOpenWithoutToken()) return false;
  static std::once_flag once;
  std::call_once(once, [] {
    LogWarn("secrets.unencrypted",
            {{"reason",
              "bot tokens are stored without encryption: set LESSONBOOK_DATA_KEY (openssl rand "
              "-base64 32)"}});
  });
  return true;
}

}  // namespace lessonbook
