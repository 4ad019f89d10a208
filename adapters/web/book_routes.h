// BookSite: the Book of Learning on the HTTP server.
//   GET /book[?q&section&outcome&campaign&from&to&start]  the Book (chapters, or search results)
//   GET /book?t=<token>             a personal link from `book`: sets the session cookie and
//                                   moves to the clean URL /book
//   GET /book/campaign?id=N         a campaign's page
//   GET /book/download?format=md|csv|jsonl&<filters>   the current view as a file
//   GET /book/export?t=<token>      an export link from `export` (format and filters signed)
//   GET /book/static/book.css       the style sheet (screen and print)
//
// Access: a valid signed link (bot/book_link.h) opens its workspace's Book, and its token is
// kept in an HttpOnly, SameSite=Strict cookie (Path=/book) until the link expires, so search,
// filters and campaign pages keep working. Without a cookie the Book is open only when the
// Config allows it (no platform credentials, no public URL) and the Host is loopback: then it
// is the local web chat's workspace. Expired links get 410, altered, foreign, incomplete or
// missing ones 403, both with the "this link has expired — ask /lessons book for a new one"
// page. Members download what a search or filter returns; the whole Book needs an admin.
// Every answer has a strict Content-Security-Policy (no script at all, nothing from elsewhere).
//
// Thread-safety: Handle may be called from many threads at once.
#pragma once

#include <string>

#include "adapters/adapter.h"
#include "adapters/http/server.h"
#include "bot/book_link.h"
#include "bot/clock.h"
#include "bot/domain.h"

namespace lessonbook {

class Store;

inline constexpr const char* kBookContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
inline constexpr const char* kBookCookie = "lessonbook_book";

struct BookSiteOptions {
  // The key links are signed with (LoadBookLinkKey). Empty: no link is accepted.
  std::string link_key;
  // Default: off. Config::WebOpenWithoutToken(): a loopback Host may read open_workspace_id.
  bool open_without_token = false;
  WorkspaceId open_workspace_id = 0;
  // Default: off. Adds Secure to the cookie (set when LESSONBOOK_PUBLIC_URL is https).
  bool secure_cookie = false;
};

class BookSite {
 public:
  BookSite(Store& store, const Clock& clock, BookSiteOptions options);
  BookSite(const BookSite&) = delete;
  BookSite& operator=(const BookSite&) = delete;

  // Answers any of the routes above (by request.path); 404 for other paths.
  HttpResponse Handle(const HttpRequest& request);

 private:
  struct Viewer;
  HttpResponse OpenLink(const std::string& token);
  HttpResponse Book(const HttpRequest& request, const Viewer& viewer);
  HttpResponse Campaign(const HttpRequest& request, const Viewer& viewer);
  HttpResponse Download(const HttpRequest& request, const Viewer& viewer);
  HttpResponse Export(const std::string& token);
  HttpResponse File(const Workspace& ws, const std::string& format, const LessonQuery* query);
  Result<Viewer> ViewerOf(const HttpRequest& request);
  Result<Workspace> WorkspaceOfLink(const BookLinkClaims& claims);
  HttpResponse Denied(const Status& why, const char* route);

  Store& store_;
  const Clock& clock_;
  const BookSiteOptions options_;
};

// Registers the routes on the server. REQUIRES: called before server.Run(); site outlives it.
void MountBook(HttpServer& server, BookSite& site);

}  // namespace lessonbook
