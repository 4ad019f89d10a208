#include "adapters/web/book_page.h"

#include <algorithm>
#include <map>

#include "adapters/http/url.h"
#include "adapters/web/html.h"
#include "bot/local_time.h"
#include "bot/text.h"

namespace lessonbook {
namespace {

using html::Escape;
using html::EscapeMultiline;

std::string Head(const std::string& title, const BookPageLinks& links) {
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<title>" + Escape(title) + "</title>\n<link rel=\"stylesheet\" href=\"" +
         Escape(links.stylesheet) + "\">\n</head>\n<body>\n";
}

const char* kFoot = "</body>\n</html>\n";

std::string Plural(long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "web:ana" (the web chat's names) reads as "ana"; platform ids are shown as they are.
std::string AuthorName(const std::string& author) {
  if (author.rfind("web:", 0) == 0) return author.substr(4);
  return author.empty() ? "unknown" : author;
}

std::string Evidence(const Lesson& l) {
  if (l.confirmations == 0 && l.contradictions == 0) return "no evidence yet";
  return "evidence: " + Plural(l.confirmations, "confirmation", "confirmations") + ", " +
         Plural(l.contradictions, "contradiction", "contradictions");
}

using CampaignIds = std::map<std::string, std::int64_t>;  // lower-case name -> id

CampaignIds IdsOf(const std::vector<CampaignSummary>& campaigns) {
  CampaignIds ids;
  for (const auto& c : campaigns) ids.emplace(AsciiLower(c.name), c.id);
  return ids;
}

std::string CampaignHref(std::int64_t id, const BookPageLinks& links) {
  return links.campaign + "?id=" + std::to_string(id);
}

std::string LessonArticle(const Lesson& l, const std::vector<SnippetPart>* snippet,
                          const CampaignIds& ids, const std::string& timezone,
                          const BookPageLinks& links) {
  const char* outcome = OutcomeName(l.outcome);
  std::string out = "<article class=\"lesson\" id=\"lesson-" + std::to_string(l.id) +
                    "\">\n<h3><span class=\"badge " + std::string(outcome) + "\">" +
                    OutcomeLabel(l.outcome) + "</span> <span class=\"num\">#" +
                    std::to_string(l.id) + "</span> " + Escape(l.title) + "</h3>\n";
  if (snippet != nullptr && !snippet->empty()) {
    out += "<p class=\"body snippet\">";
    for (const SnippetPart& p : *snippet) {
      out += p.highlighted ? "<mark>" + Escape(p.text) + "</mark>" : Escape(p.text);
    }
    out += "</p>\n";
  } else if (!l.body.empty()) {
    out += "<p class=\"body\">" + EscapeMultiline(l.body) + "</p>\n";
  }
  out += "<p class=\"meta\">";
  if (!l.campaign.empty()) {
    auto it = ids.find(AsciiLower(Trim(l.campaign)));
    out += "<span class=\"campaign\">Campaign: ";
    out += it == ids.end() ? Escape(l.campaign)
                           : "<a href=\"" + Escape(CampaignHref(it->second, links)) + "\">" +
                                 Escape(l.campaign) + "</a>";
    out += "</span> · ";
  }
  out += "<span class=\"author\">by " + Escape(AuthorName(l.author)) + "</span> · <time>" +
         FormatLocalDate(l.created_at, timezone) + "</time> · <span class=\"evidence\">" +
         Evidence(l) + "</span>";
  if (!l.tags.empty()) {
    out += " · <span class=\"tags\">";
    for (std::size_t i = 0; i < l.tags.size(); ++i) {
      out += (i ? " #" : "#") + Escape(l.tags[i]);
    }
    out += "</span>";
  }
  out += "</p>\n</article>\n";
  return out;
}

std::string Option(const std::string& value, const std::string& label, const std::string& chosen) {
  return "<option value=\"" + Escape(value) + "\"" + (value == chosen ? " selected" : "") + ">" +
         Escape(label) + "</option>";
}

std::string SearchForm(const BookView& v, const BookPageLinks& links) {
  const BookFilter& f = v.filter;
  std::string out = "<form class=\"search\" method=\"get\" action=\"" + Escape(links.book) +
                    "\" role=\"search\">\n<div class=\"searchbox\"><label for=\"q\" "
                    "class=\"visually-hidden\">Search the Book</label><input type=\"search\" "
                    "id=\"q\" name=\"q\" value=\"" + Escape(f.text) +
                    "\" placeholder=\"Search lessons, e.g. subject lines\" maxlength=\"500\">"
                    "<button type=\"submit\" id=\"search-button\">Search</button></div>\n"
                    "<div class=\"filters\">\n";
  out += "<label>Section <select name=\"section\" id=\"section\">" + Option("", "All", f.section);
  for (const auto& s : v.sections) out += Option(s.tag, s.title, f.section);
  out += "</select></label>\n";
  out += "<label>Outcome <select name=\"outcome\" id=\"outcome\">" + Option("", "All", f.outcome);
  for (Outcome o : {Outcome::kWorked, Outcome::kFlopped, Outcome::kChange, Outcome::kInsight}) {
    out += Option(OutcomeName(o), OutcomeLabel(o), f.outcome);
  }
  out += "</select></label>\n";
  out += "<label>Campaign <select name=\"campaign\" id=\"campaign\">" +
         Option("", "All", f.campaign);
  bool chosen_listed = f.campaign.empty();
  for (const auto& c : v.campaigns) {
    out += Option(c.name, c.name, f.campaign);
    chosen_listed |= c.name == f.campaign;
  }
  if (!chosen_listed) out += Option(f.campaign, f.campaign, f.campaign);
  out += "</select></label>\n";
  out += "<label>From <input type=\"date\" name=\"from\" id=\"from\" value=\"" + Escape(f.from) +
         "\"></label>\n<label>To <input type=\"date\" name=\"to\" id=\"to\" value=\"" +
         Escape(f.to) + "\"></label>\n";
  out += "<button type=\"submit\" id=\"filter-button\">Filter</button>";
  if (!f.empty()) out += " <a class=\"clear\" href=\"" + Escape(links.book) + "\">Clear</a>";
  out += "\n</div>\n</form>\n";
  return out;
}

std::string FilterQuery(const BookFilter& f) {
  std::string q;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) q += std::string("&") + k + "=" + PercentEncode(v);
  };
  add("q", f.text);
  add("section", f.section);
  add("outcome", f.outcome);
  add("campaign", f.campaign);
  add("from", f.from);
  add("to", f.to);
  return q;
}

std::string Pager(const BookView& v, const BookPageLinks& links) {
  if (v.total <= v.page_size || v.page_size <= 0) return "";
  // Frequent words: pages end with the newest ranked_among matches (SearchPage::ranked_among).
  const int reachable = v.ranked_among > 0 ? std::min(v.total, v.ranked_among) : v.total;
  const int shown_to = std::min(reachable, v.offset + v.page_size);
  std::string out = "<nav class=\"pager\"><span>Lessons " + std::to_string(v.offset + 1) + "–" +
                    std::to_string(shown_to) + " of " + std::to_string(v.total) + "</span>";
  const std::string filters = FilterQuery(v.filter);
  if (v.offset > 0) {
    out += " <a rel=\"prev\" href=\"" +
           Escape(links.book + "?start=" + std::to_string(std::max(0, v.offset - v.page_size)) +
                  filters) +
           "\">← Previous</a>";
  }
  if (shown_to < reachable) {
    out += " <a rel=\"next\" href=\"" +
           Escape(links.book + "?start=" + std::to_string(shown_to) + filters) + "\">Next →</a>";
  }
  return out + "</nav>\n";
}

std::string Downloads(const BookView& v, const BookPageLinks& links) {
  if (v.filter.empty() && !links.may_export_everything) return "";
  const std::string filters = FilterQuery(v.filter);
  std::string out = "<p class=\"downloads\">Download " +
                    std::string(v.filter.empty() ? "the whole Book" : "these lessons") + ": ";
  const char* names[][2] = {{"md", "Markdown"}, {"csv", "CSV"}, {"jsonl", "JSONL"}};
  for (std::size_t i = 0; i < 3; ++i) {
    out += (i ? " · " : "") + std::string("<a href=\"") +
           Escape(links.download + "?format=" + names[i][0] + filters) + "\">" + names[i][1] +
           "</a>";
  }
  return out + "</p>\n";
}

}  // namespace

const char* OutcomeLabel(Outcome o) {
  switch (o) {
    case Outcome::kWorked: return "Worked";
    case Outcome::kFlopped: return "Flopped";
    case Outcome::kChange: return "Do differently";
    case Outcome::kInsight: return "Insight";
  }
  return "Insight";
}

std::string RenderBookPage(const BookView& v, const BookPageLinks& links) {
  const std::string& tz = v.workspace.timezone;
  const CampaignIds ids = IdsOf(v.campaigns);
  std::string out = Head("Book of Learning — " + v.workspace.name, links);
  out += "<header class=\"top\">\n<h1><a href=\"" + Escape(links.book) +
         "\">Book of Learning</a></h1>\n<p class=\"sub\">" + Escape(v.workspace.name) +
         " · what worked, what flopped and why</p>\n</header>\n";
  out += SearchForm(v, links);
  out += "<main>\n";
  if (!v.filter_error.empty()) {
    out += "<p class=\"notice error\" role=\"alert\">" + Escape(v.filter_error) + "</p>\n";
  } else if (v.ranked) {
    out += "<p class=\"notice\" id=\"result-count\">" +
           Plural(v.total, "lesson matches", "lessons match") + " “" + Escape(v.filter.text) +
           "”" + (v.any_words ? " (no lesson has all the words; these have some of them)" : "") +
           (v.ranked_among > 0 ? " (these words are in so many lessons that only the newest " +
                                     std::to_string(v.ranked_among) + " matches are ranked)"
                               : "") +
           ".</p>\n";
    out += "<section class=\"results\">\n";
    for (const SearchHit& h : v.hits) out += LessonArticle(h.lesson, &h.snippet, ids, tz, links);
    out += "</section>\n";
  } else {
    out += "<p class=\"notice\" id=\"result-count\">" +
           Plural(v.total, "lesson", "lessons") + (v.filter.empty() ? " in the Book" : " match the filters") +
           ".</p>\n";
    if (!v.chapters.empty()) {
      out += "<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n";
      for (const BookChapter& c : v.chapters) {
        const std::string anchor = c.tag.empty() ? "other" : c.tag;
        out += "<li><a href=\"#ch-" + Escape(anchor) + "\">" + Escape(c.title) + "</a> <span "
               "class=\"count\">" + std::to_string(c.lessons.size()) + "</span></li>\n";
      }
      out += "</ol>\n</nav>\n";
    }
    for (const BookChapter& c : v.chapters) {
      const std::string anchor = c.tag.empty() ? "other" : c.tag;
      out += "<section class=\"chapter\" id=\"ch-" + Escape(anchor) + "\">\n<h2>" +
             Escape(c.title) + "</h2>\n";
      for (const Lesson& l : c.lessons) out += LessonArticle(l, nullptr, ids, tz, links);
      out += "</section>\n";
    }
  }
  out += Pager(v, links);
  if (!v.campaigns.empty()) {
    out += "<section class=\"campaigns\" id=\"campaigns\">\n<h2>Campaigns</h2>\n<ul>\n";
    for (const CampaignSummary& c : v.campaigns) {
      out += "<li><a href=\"" + Escape(CampaignHref(c.id, links)) + "\">" + Escape(c.name) +
             "</a> <span class=\"status\">" + CampaignStatusName(c.status) + " · ends " +
             FormatLocalDate(c.ends_at, tz) + "</span></li>\n";
    }
    out += "</ul>\n</section>\n";
  }
  out += "</main>\n<footer>\n" + Downloads(v, links) +
         "<p class=\"print-hint\">Print this page (or save it as PDF) for a paper copy of the "
         "Book.</p>\n</footer>\n";
  return out + kFoot;
}

std::string RenderCampaignPage(const CampaignView& v, const BookPageLinks& links) {
  const Campaign& c = v.campaign;
  const std::string& tz = v.workspace.timezone;
  std::string out = Head(c.name + " — Book of Learning", links);
  out += "<header class=\"top\">\n<p class=\"crumbs\"><a href=\"" + Escape(links.book) +
         "\">← Book of Learning</a></p>\n<h1 id=\"campaign-name\">" + Escape(c.name) +
         "</h1>\n<p class=\"sub\">" + CampaignStatusName(c.status) + " · " +
         FormatLocalDate(c.starts_at, tz) + " to " + FormatLocalDate(c.ends_at, tz) +
         " · owner " + Escape(AuthorName(c.owner)) + "</p>\n</header>\n<main>\n";
  out += "<section class=\"campaign-facts\">\n<h2>Goals</h2>\n<p id=\"goals\">" +
         (c.goals.empty() ? std::string("<em>none written down</em>") : EscapeMultiline(c.goals)) +
         "</p>\n<h2>Learning goals</h2>\n<p id=\"learning-goals\">" +
         (c.learning_goals.empty() ? std::string("<em>none written down</em>")
                                   : EscapeMultiline(c.learning_goals)) +
         "</p>\n";
  out += "<h2>Metrics</h2>\n";
  if (c.metrics.empty()) {
    out += "<p><em>no metrics</em></p>\n";
  } else {
    out += "<table class=\"metrics\" id=\"metrics\">\n<thead><tr><th>Metric</th><th>Target</th>"
           "<th>Result</th></tr></thead>\n<tbody>\n";
    for (const CampaignMetric& m : c.metrics) {
      out += "<tr><td>" + Escape(m.name) + "</td><td>" + Escape(m.target) + "</td><td>" +
             (m.actual.empty() ? std::string("—") : Escape(m.actual)) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  out += "<h2>Participation</h2>\n<p id=\"participation\">";
  if (v.has_postmortem) {
    out += std::to_string(v.answered) + " of " + std::to_string(v.sessions) +
           " answered the post-mortem";
    if (v.skipped > 0) out += " (" + std::to_string(v.skipped) + " skipped)";
  } else {
    const bool ahead = c.status == CampaignStatus::kPlanned || c.status == CampaignStatus::kRunning;
    out += Plural(static_cast<long>(c.participants.size()), "participant", "participants") +
           (ahead ? "; the post-mortem opens when the campaign ends" : "; no post-mortem was held");
  }
  out += ".</p>\n</section>\n";
  out += "<section class=\"chapter\" id=\"campaign-lessons\">\n<h2>" +
         Plural(static_cast<long>(v.lessons.size()), "lesson", "lessons") + "</h2>\n";
  const CampaignIds ids = {{AsciiLower(c.name), c.id}};
  for (const Lesson& l : v.lessons) out += LessonArticle(l, nullptr, ids, tz, links);
  out += "</section>\n</main>\n";
  return out + kFoot;
}

std::string RenderLinkExpiredPage(const BookPageLinks& links) {
  std::string out = Head("Link expired — Book of Learning", links);
  out += "<main class=\"message\">\n<h1>This link has expired</h1>\n<p id=\"expired\">This link "
         "has expired — ask <code>/lessons book</code> for a new one.</p>\n<p>Links to the Book "
         "of Learning are personal and work for a few days. In Slack type <code>/lessons "
         "book</code>; in Teams send <code>book</code> to Lessonbook. A new link arrives that "
         "only you can see.</p>\n</main>\n";
  return out + kFoot;
}

std::string RenderNotFoundPage(const std::string& what, const BookPageLinks& links) {
  std::string out = Head("Not found — Book of Learning", links);
  out += "<main class=\"message\">\n<h1>Not found</h1>\n<p>" + Escape(what) +
         "</p>\n<p><a href=\"" + Escape(links.book) + "\">Back to the Book of Learning</a></p>\n"
         "</main>\n";
  return out + kFoot;
}

}  // namespace lessonbook
