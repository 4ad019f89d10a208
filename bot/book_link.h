// Book links: the personal, signed links `/lessons book` and `/lessons export` hand out. A token
// carries who may read which workspace's Book (and, for an export, the format and the search
// filters) until when, signed with HMAC-SHA256 so none of it can be altered:
//   <base64url(JSON claims)>.<base64url(HMAC-SHA256(key, "lessonbook-book-link-v1." + claims))>
// Verification recomputes the MAC and compares in constant time before reading the claims.
// Pure functions (OpenSSL only): no HTTP, no store, `now` passed in. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

enum class BookLinkKind { kBook, kExport };

struct BookLinkClaims {
  BookLinkKind kind = BookLinkKind::kBook;
  WorkspaceId workspace_id = 0;
  std::string workspace_external_id;  // binds the link to that workspace, not only its row id
  std::string user_id;
  Time expires_at{};
  std::string format;  // exports: "md", "csv" or "jsonl"
  std::string filter;  // exports: the search words and filters as typed ("tag:email")
};

// Default: 7 days (LESSONBOOK_BOOK_LINK_DAYS).
inline constexpr std::chrono::hours kDefaultBookLinkTtl{24 * 7};

// What the engine needs to hand out links.
struct BookLinkOptions {
  // Default: none (book and export then answer that links are not set up). LoadBookLinkKey.
  std::string key;
  // Default: 7 days. How long a link works.
  std::chrono::seconds ttl = kDefaultBookLinkTtl;
  // Default: none. Where the server is reached: LESSONBOOK_PUBLIC_URL, else the local address.
  std::string base_url;
};

// The signed token. REQUIRES: key is not empty.
std::string SignBookLink(const BookLinkClaims& claims, std::string_view key);

// The claims of a token signed with key that has not expired at now. Unauthenticated when the
// token is malformed, incomplete or its signature does not match (altered, or signed with another
// key); PermissionDenied when it has expired. The messages are for logs, not for people.
Result<BookLinkClaims> VerifyBookLink(std::string_view token, std::string_view key, Time now);

// The 32-byte link key derived from LESSONBOOK_DATA_KEY (base64 of 32 bytes) with HKDF-SHA256,
// so every replica configured with the same data key signs and accepts the same links.
// InvalidArgument when the data key is not base64 of 32 bytes.
Result<std::string> DeriveBookLinkKey(std::string_view data_key_base64);

// The link key this server uses: derived from the data key when one is set, else a random
// 32-byte key created once and kept in the store (so links survive restarts and work on every
// process sharing the database).
Result<std::string> LoadBookLinkKey(Store& store, std::string_view data_key_base64);

// base64url without padding (RFC 4648 §5), as tokens use it.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace lessonbook
