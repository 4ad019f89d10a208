// SecretBox: secrets at rest (bot tokens in the workspace row) sealed with AES-256-GCM under
// LESSONBOOK_DATA_KEY (32 bytes, base64). A sealed value is
//   v1:<key id>:<nonce>:<ciphertext+tag>
// with base64 nonce (12 bytes) and ciphertext+tag (16-byte tag last); the key id is the first 8
// hex characters of SHA-256(key), so a value sealed under another key is recognised. The
// associated data (the workspace id) binds a value to its row: copied to another row it does not
// open. Without a key, Seal stores the plain value and Open returns plain values as they are, so
// tokens stored before a key was configured stay readable.
// Thread-safety: const methods are safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "bot/status.h"

namespace lessonbook {

struct Config;

class SecretBox {
 public:
  // No key: Seal passes values through, Open reads plain values only.
  SecretBox() = default;
  // InvalidArgument when key_base64 is not base64 of exactly 32 bytes. "" gives a box without key.
  static Result<SecretBox> FromBase64Key(std::string_view key_base64);

  bool has_key() const { return !key_.empty(); }
  // First 8 hex characters of SHA-256 of the key; "" without a key.
  const std::string& key_id() const { return key_id_; }

  // The sealed form of plaintext (a fresh random nonce each time), or plaintext itself without
  // a key. Internal when the cipher fails.
  Result<std::string> Seal(std::string_view plaintext, std::string_view associated_data) const;
  // The plaintext of a stored value. A value not starting with "v1:" is plain and returned as it
  // is. Unauthenticated when it was sealed under another key, with other associated data, or
  // was altered, or when it is sealed and no key is configured; InvalidArgument when it is
  // malformed.
  Result<std::string> Open(std::string_view stored, std::string_view associated_data) const;

 private:
  std::string key_;  // 32 raw bytes
  std::string key_id_;
};

// True when a stored value is in the sealed "v1:" form.
bool IsSealedSecret(std::string_view stored);

// Logs a warning once per process when secrets would be stored without LESSONBOOK_DATA_KEY while
// the server is not in its loopback-only mode (platform credentials or a public URL are set).
// Returns true when it warned (now or before).
bool WarnOnceIfSecretsUnencrypted(const Config& config);

// Base64 (RFC 4648, with padding). Decode: InvalidArgument for anything else.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace lessonbook
