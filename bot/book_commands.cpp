#include "bot/book_commands.h"

#include "bot/lesson_query.h"
#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/replies.h"

namespace lessonbook {
namespace {

std::string BaseUrl(const BookLinkOptions& o) {
  std::string base = o.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::string Days(std::chrono::seconds ttl) {
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(ttl).count();
  if (hours >= 24 && hours % 24 == 0) {
    return std::to_string(hours / 24) + (hours == 24 ? " day" : " days");
  }
  return std::to_string(hours) + (hours == 1 ? " hour" : " hours");
}

// Nothing to sign with or nowhere to point: say how to fix it.
std::optional<Message> NotSetUp(const BookLinkOptions& o) {
  if (o.key.empty() || BaseUrl(o).empty()) {
    return ErrorReply("Book links are not set up on this server: set LESSONBOOK_PUBLIC_URL to the "
                      "address people reach Lessonbook at and restart it.");
  }
  return std::nullopt;
}

BookLinkClaims Claims(BookLinkKind kind, const BookLinkOptions& o, const Workspace& ws,
                      const std::string& user_id, Time now) {
  BookLinkClaims c;
  c.kind = kind;
  c.workspace_id = ws.id;
  c.workspace_external_id = ws.external_id;
  c.user_id = user_id;
  c.expires_at = now + o.ttl;
  return c;
}

}  // namespace

bool ExportsEverything(const SearchCommand& s) { return s.words.empty() && !s.HasFilters(); }

Message BookLinkReply(const BookLinkOptions& o, const Workspace& ws, const std::string& user_id,
                      Time now) {
  if (auto m = NotSetUp(o)) return *m;
  BookLinkClaims c = Claims(BookLinkKind::kBook, o, ws, user_id, now);
  const std::string url = BaseUrl(o) + kBookPath + "?t=" + SignBookLink(c, o.key);
  LogInfo("book.link_issued", {{"ws", std::to_string(ws.id)}, {"kind", "book"}});
  Message m;
  m.text = "Your personal link to the Book of Learning (valid " + Days(o.ttl) + ", until " +
           FormatLocalDate(c.expires_at, ws.timezone) + "; it is for you only, don't forward it): " +
           url;
  m.visibility = Visibility::kPrivate;
  return m;
}

Message ExportLinkReply(const BookLinkOptions& o, const Workspace& ws, const std::string& user_id,
                        bool is_admin, const ExportCommand& e, Time now) {
  if (ExportsEverything(e.search) && !is_admin) {
    return ErrorReply("Only admins export the whole Book. Export what a search finds instead, e.g. "
                      "export " + e.format + " tag:email or export " + e.format +
                      " webinar outcome:flopped");
  }
  // A filter that cannot run (a date that does not exist) is refused now, not at download.
  if (auto q = BuildLessonQuery(e.search, ws, ws.platform); !q.ok()) {
    return ErrorReply(q.status().message());
  }
  if (auto m = NotSetUp(o)) return *m;
  BookLinkClaims c = Claims(BookLinkKind::kExport, o, ws, user_id, now);
  c.format = e.format;
  c.filter = e.filter;
  const std::string url = BaseUrl(o) + kBookExportPath + "?t=" + SignBookLink(c, o.key);
  LogInfo("book.link_issued", {{"ws", std::to_string(ws.id)}, {"kind", "export"},
                               {"format", e.format}});
  const char* what = e.format == "md" ? "Markdown" : (e.format == "csv" ? "CSV" : "JSONL");
  Message m;
  m.text = std::string("Your ") + what + " export" +
           (ExportsEverything(e.search) ? " of the whole Book" : " of \"" + e.filter + "\"") +
           " (link valid " + Days(o.ttl) + ", for you only): " + url;
  m.visibility = Visibility::kPrivate;
  return m;
}

}  // namespace lessonbook
