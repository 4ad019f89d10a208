// The Book of Learning's HTML pages, rendered on the server from the views of bot/book_data.h:
// the Book (search form and filters, contents, chapters or ranked results, campaigns), a
// campaign's page, and the "this link has expired" page. No script, nothing from other origins,
// one style sheet of this server (with a print style). Every string is escaped (html::Escape).
// Pure functions: no sockets, no store. Thread-safe.
#pragma once

#include <string>

#include "bot/book_data.h"

namespace lessonbook {

// Where the pages link to. Defaults are the routes of adapters/web/book_routes.h.
struct BookPageLinks {
  std::string book = "/book";
  std::string campaign = "/book/campaign";    // ?id=N
  std::string download = "/book/download";    // ?format=md&<filters>
  std::string stylesheet = "/book/static/book.css";
  // Whether download links for the whole Book are shown (admins, the open local Book).
  bool may_export_everything = false;
};

std::string RenderBookPage(const BookView& view, const BookPageLinks& links);
std::string RenderCampaignPage(const CampaignView& view, const BookPageLinks& links);
// "This link has expired — ask /lessons book for a new one" (expired, altered, foreign or
// missing links all get this page).
std::string RenderLinkExpiredPage(const BookPageLinks& links);
// A short page saying what was not found (a campaign of another workspace, say).
std::string RenderNotFoundPage(const std::string& what, const BookPageLinks& links);

// The outcome as a reader sees it: "Worked", "Flopped", "Do differently", "Insight".
const char* OutcomeLabel(Outcome o);

}  // namespace lessonbook
