#include "adapters/web/book_routes.h"

#include <algorithm>

#include "adapters/web/assets.h"
#include "adapters/web/book_page.h"
#include "adapters/web/html.h"
#include "bot/book_commands.h"
#include "bot/book_data.h"
#include "bot/config.h"
#include "bot/lesson_query.h"
#include "bot/log.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr int kMaxStart = 1000000;

HttpResponse Page(int status, std::string body) {
  HttpResponse r{status, "text/html; charset=utf-8", std::move(body), {}};
  return r;
}

HttpResponse WithBookHeaders(HttpResponse r) {
  r.headers["Content-Security-Policy"] = kBookContentSecurityPolicy;
  r.headers["Referrer-Policy"] = "no-referrer";
  r.headers["X-Frame-Options"] = "DENY";
  if (!r.headers.count("Cache-Control")) r.headers["Cache-Control"] = "no-store";
  return r;
}

std::string Param(const HttpRequest& r, const char* name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

std::string CookieValue(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part = std::string_view(header).substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

BookFilter FilterOf(const HttpRequest& r) {
  BookFilter f;
  f.text = Param(r, "q");
  f.section = Param(r, "section");
  f.outcome = Param(r, "outcome");
  f.campaign = Param(r, "campaign");
  f.from = Param(r, "from");
  f.to = Param(r, "to");
  return f;
}

// A whole number in [0, max], or -1.
long long ParseCount(const std::string& s, long long max) {
  if (s.empty() || s.size() > 12) return -1;
  long long n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n > max ? -1 : n;
}

const char* ContentTypeOf(const std::string& format) {
  if (format == "md") return "text/markdown; charset=utf-8";
  if (format == "csv") return "text/csv; charset=utf-8";
  return "application/x-ndjson; charset=utf-8";
}

bool IsAdmin(const Workspace& ws, const std::string& user) {
  return std::find(ws.admins.begin(), ws.admins.end(), user) != ws.admins.end();
}

}  // namespace

struct BookSite::Viewer {
  Workspace workspace;
  std::string user_id;
  bool may_export_everything = false;
};

BookSite::BookSite(Store& store, const Clock& clock, BookSiteOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

HttpResponse BookSite::Denied(const Status& why, const char* route) {
  LogInfo("book.denied", {{"route", route}, {"reason", why.message()}});
  const int status = why.code() == Status::Code::kPermissionDenied ? 410 : 403;
  return WithBookHeaders(Page(status, RenderLinkExpiredPage(BookPageLinks{})));
}

Result<Workspace> BookSite::WorkspaceOfLink(const BookLinkClaims& claims) {
  auto ws = store_.GetWorkspace(claims.workspace_id);
  if (!ws.ok()) {
    if (ws.status().code() == Status::Code::kNotFound) {
      return Status::Unauthenticated("the link's workspace is not here");
    }
    return ws.status();
  }
  // The row id alone is not enough: a removed and re-created workspace is another tenant.
  if (ws->external_id != claims.workspace_external_id) {
    return Status::Unauthenticated("the link belongs to another workspace");
  }
  return ws;
}

Result<BookSite::Viewer> BookSite::ViewerOf(const HttpRequest& request) {
  const std::string token = CookieValue(request.Header("cookie"), kBookCookie);
  Status problem = Status::Unauthenticated("no link and no session");
  if (!token.empty()) {
    auto claims = VerifyBookLink(token, options_.link_key, clock_.Now());
    if (claims.ok() && claims->kind == BookLinkKind::kBook) {
      auto ws = WorkspaceOfLink(*claims);
      if (ws.ok()) {
        return Viewer{*ws, claims->user_id, IsAdmin(*ws, claims->user_id)};
      }
      problem = ws.status();
    } else {
      problem = claims.ok() ? Status::Unauthenticated("not a Book link") : claims.status();
    }
  }
  if (options_.open_without_token && IsLoopbackHost(request.Header("host"))) {
    auto ws = store_.GetWorkspace(options_.open_workspace_id);
    if (!ws.ok()) return ws.status();
    return Viewer{*ws, "web:local", true};
  }
  return problem;
}

HttpResponse BookSite::Handle(const HttpRequest& request) {
  const std::string& path = request.path;
  if (path == "/book/static/book.css") {
    auto css = FindWebAsset("book.css");
    if (!css) return WithBookHeaders(HttpResponse::Text(404, "not found\n"));
    HttpResponse r{200, std::string(ContentTypeForAsset("book.css")), std::string(*css), {}};
    r.headers["Cache-Control"] = "no-cache";
    return WithBookHeaders(std::move(r));
  }
  if (path == "/book/export") return Export(Param(request, "t"));
  if (path == "/book" && request.query.count("t")) return OpenLink(Param(request, "t"));
  if (path != "/book" && path != "/book/campaign" && path != "/book/download") {
    return WithBookHeaders(Page(404, RenderNotFoundPage("There is no such page.", {})));
  }
  auto viewer = ViewerOf(request);
  if (!viewer.ok()) {
    if (viewer.status().code() == Status::Code::kUnavailable ||
        viewer.status().code() == Status::Code::kInternal) {
      LogError("book.store_failed", {{"error", viewer.status().ToString()}});
      return WithBookHeaders(HttpResponse::Text(503, "The Book is busy; try again in a moment.\n"));
    }
    return Denied(viewer.status(), path.c_str());
  }
  if (path == "/book/campaign") return Campaign(request, *viewer);
  if (path == "/book/download") return Download(request, *viewer);
  return Book(request, *viewer);
}

HttpResponse BookSite::OpenLink(const std::string& token) {
  auto claims = VerifyBookLink(token, options_.link_key, clock_.Now());
  if (!claims.ok()) return Denied(claims.status(), "/book");
  if (claims->kind != BookLinkKind::kBook) {
    return Denied(Status::Unauthenticated("an export link used as a Book link"), "/book");
  }
  auto ws = WorkspaceOfLink(*claims);
  if (!ws.ok()) return Denied(ws.status(), "/book");
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(claims->expires_at -
                                                                        clock_.Now())
                           .count();
  // A page (not a 30x) moves to the clean URL: a SameSite=Strict cookie set while following a
  // link from Slack or Teams (a cross-site navigation) is sent on the next, same-site one.
  std::string body =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"refresh\" content=\"0; url=/book\">\n<title>Book of Learning</title>\n"
      "<link rel=\"stylesheet\" href=\"/book/static/book.css\">\n</head>\n<body>\n"
      "<main class=\"message\"><h1>Book of Learning</h1><p><a href=\"/book\">Open the Book of "
      "Learning of " + html::Escape(ws->name) + "</a></p></main>\n</body>\n</html>\n";
  HttpResponse r = Page(200, std::move(body));
  r.headers["Set-Cookie"] = std::string(kBookCookie) + "=" + token +
                            "; Path=/book; Max-Age=" + std::to_string(seconds) +
                            "; HttpOnly; SameSite=Strict" +
                            (options_.secure_cookie ? "; Secure" : "");
  LogInfo("book.link_opened", {{"ws", std::to_string(ws->id)}});
  return WithBookHeaders(std::move(r));
}

HttpResponse BookSite::Book(const HttpRequest& request, const Viewer& viewer) {
  long long start = 0;
  if (request.query.count("start")) start = std::max(0LL, ParseCount(Param(request, "start"), kMaxStart));
  auto view = LoadBookView(store_, viewer.workspace, FilterOf(request), static_cast<int>(start));
  if (!view.ok()) {
    LogError("book.store_failed", {{"error", view.status().ToString()}});
    return WithBookHeaders(HttpResponse::Text(503, "The Book is busy; try again in a moment.\n"));
  }
  BookPageLinks links;
  links.may_export_everything = viewer.may_export_everything;
  return WithBookHeaders(Page(200, RenderBookPage(*view, links)));
}

HttpResponse BookSite::Campaign(const HttpRequest& request, const Viewer& viewer) {
  const long long id = ParseCount(Param(request, "id"), 1LL << 53);
  if (id <= 0) {
    return WithBookHeaders(Page(404, RenderNotFoundPage("There is no such campaign.", {})));
  }
  auto view = LoadCampaignView(store_, viewer.workspace, id);
  if (!view.ok()) {
    if (view.status().code() == Status::Code::kNotFound) {
      return WithBookHeaders(Page(404, RenderNotFoundPage("There is no such campaign.", {})));
    }
    LogError("book.store_failed", {{"error", view.status().ToString()}});
    return WithBookHeaders(HttpResponse::Text(503, "The Book is busy; try again in a moment.\n"));
  }
  return WithBookHeaders(Page(200, RenderCampaignPage(*view, {})));
}

HttpResponse BookSite::File(const Workspace& ws, const std::string& format,
                            const LessonQuery* query) {
  auto lessons = LessonsToExport(store_, ws, query);
  if (!lessons.ok()) {
    LogError("book.export_failed", {{"error", lessons.status().ToString()}});
    return WithBookHeaders(HttpResponse::Text(503, "The export failed; try again in a moment.\n"));
  }
  auto bytes = RenderExport(*lessons, ws, WorkspaceSections(store_, ws.id), format);
  if (!bytes.ok()) return WithBookHeaders(HttpResponse::Text(400, bytes.status().message() + "\n"));
  HttpResponse r{200, ContentTypeOf(format), std::move(*bytes), {}};
  r.headers["Content-Disposition"] =
      "attachment; filename=\"" + ExportFileName(ws, format, clock_.Now()) + "\"";
  LogInfo("book.exported", {{"ws", std::to_string(ws.id)}, {"format", format},
                            {"lessons", std::to_string(lessons->size())}});
  return WithBookHeaders(std::move(r));
}

HttpResponse BookSite::Download(const HttpRequest& request, const Viewer& viewer) {
  const std::string format = Param(request, "format");
  if (format != "md" && format != "csv" && format != "jsonl") {
    return WithBookHeaders(HttpResponse::Text(400, "format must be md, csv or jsonl\n"));
  }
  const BookFilter filter = FilterOf(request);
  if (filter.empty()) {
    if (!viewer.may_export_everything) {
      return WithBookHeaders(Page(403, RenderNotFoundPage(
          "Only admins download the whole Book; search or filter first, then download what "
          "you found.", {})));
    }
    return File(viewer.workspace, format, nullptr);
  }
  auto query = BuildBookQuery(filter, viewer.workspace);
  if (!query.ok()) return WithBookHeaders(HttpResponse::Text(400, query.status().message() + "\n"));
  return File(viewer.workspace, format, &*query);
}

HttpResponse BookSite::Export(const std::string& token) {
  auto claims = VerifyBookLink(token, options_.link_key, clock_.Now());
  if (!claims.ok()) return Denied(claims.status(), "/book/export");
  if (claims->kind != BookLinkKind::kExport) {
    return Denied(Status::Unauthenticated("a Book link used as an export link"), "/book/export");
  }
  auto ws = WorkspaceOfLink(*claims);
  if (!ws.ok()) return Denied(ws.status(), "/book/export");
  auto search = ParseSearchFilters(claims->filter);
  if (!search.ok()) return Denied(Status::Unauthenticated("the signed filter does not parse"), "/book/export");
  if (ExportsEverything(*search)) {
    // Checked again now: someone who is no longer an admin cannot use an old link.
    if (!IsAdmin(*ws, claims->user_id)) {
      return WithBookHeaders(Page(403, RenderNotFoundPage(
          "Only admins export the whole Book; ask for an export of a search instead, e.g. "
          "/lessons export md tag:email.", {})));
    }
    return File(*ws, claims->format, nullptr);
  }
  auto query = BuildLessonQuery(*search, *ws, ws->platform);
  if (!query.ok()) return WithBookHeaders(HttpResponse::Text(400, query.status().message() + "\n"));
  return File(*ws, claims->format, &*query);
}

void MountBook(HttpServer& server, BookSite& site) {
  auto handle = [&site](const HttpRequest& r) { return site.Handle(r); };
  for (const char* path : {"/book", "/book/campaign", "/book/download", "/book/export",
                           "/book/static/book.css"}) {
    server.Get(path, handle);
  }
}

}  // namespace lessonbook
