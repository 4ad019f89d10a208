#include "bot/book_data.h"

#include <algorithm>
#include <sstream>

#include "bot/interchange.h"
#include "bot/local_time.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr int kMaxCampaignsListed = 500;
constexpr int kSearchBatch = 1000;  // the store's largest page

// The chapter of a lesson: the first section (in book order) among its tags; else "Other".
std::size_t ChapterOf(const Lesson& l, const std::vector<BookSection>& sections) {
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (std::find(l.tags.begin(), l.tags.end(), sections[i].tag) != l.tags.end()) return i;
  }
  return sections.size();
}

}  // namespace

Result<BookView> LoadBookView(Store& store, const Workspace& ws, const BookFilter& filter,
                              int offset) {
  BookView v;
  v.workspace = ws;
  v.filter = filter;
  v.sections = WorkspaceSections(store, ws.id);
  v.offset = std::max(offset, 0);
  auto campaigns = store.ListCampaigns(ws.id, kMaxCampaignsListed);
  if (!campaigns.ok()) return campaigns.status();
  for (const Campaign& c : *campaigns) v.campaigns.push_back({c.id, c.name, c.status, c.ends_at});

  auto query = BuildBookQuery(filter, ws);
  if (!query.ok()) {
    v.filter_error = query.status().message();
    return v;
  }
  v.ranked = !query->words.empty();
  v.page_size = v.ranked ? kBookSearchPageSize : kBookPageSize;
  query->limit = v.page_size;
  query->offset = v.offset;
  auto page = store.SearchLessons(*query);
  if (!page.ok()) return page.status();
  v.total = page->total;
  v.any_words = page->any_words;
  v.ranked_among = page->ranked_among;
  if (v.ranked) {
    v.hits = std::move(page->hits);
    return v;
  }
  std::vector<BookChapter> chapters(v.sections.size() + 1);
  for (std::size_t i = 0; i < v.sections.size(); ++i) {
    chapters[i].tag = v.sections[i].tag;
    chapters[i].title = v.sections[i].title;
  }
  chapters.back().title = "Other lessons";
  for (SearchHit& h : page->hits) {
    chapters[ChapterOf(h.lesson, v.sections)].lessons.push_back(std::move(h.lesson));
  }
  for (BookChapter& c : chapters) {
    if (!c.lessons.empty()) v.chapters.push_back(std::move(c));
  }
  return v;
}

Result<CampaignView> LoadCampaignView(Store& store, const Workspace& ws, std::int64_t id) {
  auto campaign = store.GetCampaign(ws.id, id);
  if (!campaign.ok()) return campaign.status();
  CampaignView v;
  v.workspace = ws;
  v.campaign = std::move(*campaign);
  auto pm = store.PostmortemOfCampaign(ws.id, v.campaign.id);
  if (pm.ok()) {
    v.has_postmortem = true;
    auto sessions = store.ListSessions(pm->id);
    if (!sessions.ok()) return sessions.status();
    for (const PromptSession& s : *sessions) {
      if (s.workspace_id != ws.id) continue;
      ++v.sessions;
      if (s.state == PromptState::kDone) ++v.answered;
      if (s.state == PromptState::kSkipped) ++v.skipped;
    }
  } else if (pm.status().code() != Status::Code::kNotFound) {
    return pm.status();
  }
  LessonQuery q;
  q.workspace_id = ws.id;
  q.campaign = v.campaign.name;
  q.sort = SearchSort::kNewest;
  q.limit = kSearchBatch;
  auto page = store.SearchLessons(q);
  if (!page.ok()) return page.status();
  // The phrase matches longer names too ("Q1 webinar" in "Q1 webinar EMEA"): keep exact ones.
  const std::string name = AsciiLower(v.campaign.name);
  for (SearchHit& h : page->hits) {
    if (AsciiLower(Trim(h.lesson.campaign)) == name) v.lessons.push_back(std::move(h.lesson));
  }
  return v;
}

Result<std::vector<Lesson>> LessonsToExport(Store& store, const Workspace& ws,
                                            const LessonQuery* query, std::size_t max_lessons) {
  std::vector<Lesson> out;
  if (query == nullptr) {
    Status s = store.ForEachLesson(ws.id, [&](const Lesson& l) {
      if (out.size() >= max_lessons) return Status::Ok();
      out.push_back(l);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }
  std::optional<LessonQuery> q = *query;
  q->workspace_id = ws.id;
  q->limit = kSearchBatch;
  for (int offset = 0; out.size() < max_lessons; offset += kSearchBatch) {
    q->offset = offset;
    auto page = store.SearchLessons(*q);
    if (!page.ok()) return page.status();
    if (page->ranked_among > 0) {
      // Frequent words rank only the newest matches: an export lists every match, newest first.
      q->sort = SearchSort::kNewest;
      out.clear();
      offset = -kSearchBatch;
      continue;
    }
    for (SearchHit& h : page->hits) {
      if (out.size() < max_lessons) out.push_back(std::move(h.lesson));
    }
    if (static_cast<int>(page->hits.size()) < kSearchBatch) break;
  }
  return out;
}

Result<std::string> RenderExport(const std::vector<Lesson>& lessons, const Workspace& ws,
                                 const std::vector<BookSection>& sections,
                                 const std::string& format) {
  std::ostringstream out;
  if (format == "md") {
    WriteMarkdownBook(out, lessons, sections, ws.timezone);
  } else if (format == "csv") {
    out << CsvHeaderLine() << "\n";
    for (const Lesson& l : lessons) out << ToCsvLine(l, ws.external_id) << "\n";
  } else if (format == "jsonl") {
    for (const Lesson& l : lessons) out << ToJsonLine(l, ws.external_id) << "\n";
  } else {
    return Status::InvalidArgument("the format must be md, csv or jsonl");
  }
  return out.str();
}

std::string ExportFileName(const Workspace& ws, const std::string& format, Time now) {
  std::string name;
  for (char c : AsciiLower(ws.external_id)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') name += c;
    else if (!name.empty() && name.back() != '-') name += '-';
  }
  if (name.size() > 40) name.resize(40);
  std::string ext = format == "md" || format == "csv" || format == "jsonl" ? format : "txt";
  return "lessonbook-" + (name.empty() ? std::string("book") : name) + "-" +
         FormatLocalDate(now, ws.timezone) + "." + ext;
}

}  // namespace lessonbook
