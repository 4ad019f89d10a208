// What the Book of Learning's pages and exports show, read from the Store for one workspace:
// the Book (chapters, or ranked search results), a campaign's page, and export files. The HTML
// is made elsewhere (adapters/web/book_page.h); this holds no HTTP and no markup.
// Every read is scoped to the given workspace. Thread-safe as the Store is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bot/command_parser.h"
#include "bot/domain.h"
#include "bot/lesson_query.h"
#include "bot/sections.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

struct BookChapter {
  std::string tag;    // "" for "Other lessons"
  std::string title;
  std::vector<Lesson> lessons;
};

struct CampaignSummary {
  std::int64_t id = 0;
  std::string name;
  CampaignStatus status = CampaignStatus::kRunning;
  Time ends_at{};
};

struct BookView {
  Workspace workspace;
  BookFilter filter;
  std::string filter_error;  // a mistake in the filters, said plainly; nothing is listed then
  bool ranked = false;       // words were given: hits in relevance order, not chapters
  bool any_words = false;    // no lesson had all the words; hits have some of them
  std::vector<SearchHit> hits;        // when ranked
  std::vector<BookChapter> chapters;  // when not ranked (only chapters with lessons)
  int total = 0;             // lessons matching in all
  int ranked_among = 0;      // frequent words: only the newest this many are ranked and paged
                             // (SearchPage::ranked_among); 0: all
  int offset = 0;            // of this page
  int page_size = 0;
  std::vector<BookSection> sections;
  std::vector<CampaignSummary> campaigns;  // newest end first
};

// Default page sizes: the Book (chapters) shows up to 1000 lessons a page, search 100.
inline constexpr int kBookPageSize = 1000;
inline constexpr int kBookSearchPageSize = 100;

Result<BookView> LoadBookView(Store& store, const Workspace& ws, const BookFilter& filter,
                              int offset);

struct CampaignView {
  Workspace workspace;
  Campaign campaign;
  bool has_postmortem = false;
  int sessions = 0;   // participants asked in the post-mortem
  int answered = 0;   // of them, finished
  int skipped = 0;    // of them, stopped or skipped
  std::vector<Lesson> lessons;  // the campaign's lessons, newest first
};

// NotFound when the workspace has no campaign with that id (another workspace's id included).
Result<CampaignView> LoadCampaignView(Store& store, const Workspace& ws, std::int64_t campaign_id);

// The lessons of an export: every lesson of the workspace when query is null, else what the
// query finds (all of it, in its order). At most `max_lessons`. REQUIRES: query scoped to ws.
Result<std::vector<Lesson>> LessonsToExport(Store& store, const Workspace& ws,
                                            const LessonQuery* query,
                                            std::size_t max_lessons = 100000);

// The export file's bytes: "md" (the Markdown book), "csv" or "jsonl" (the interchange format,
// with the workspace's external id in the workspace column). The Markdown book's chapters are
// `sections` (WorkspaceSections).
Result<std::string> RenderExport(const std::vector<Lesson>& lessons, const Workspace& ws,
                                 const std::vector<BookSection>& sections,
                                 const std::string& format);

// "lessonbook-acme-2026-11-23.md": a file name of safe characters.
std::string ExportFileName(const Workspace& ws, const std::string& format, Time now);

}  // namespace lessonbook
