#include "bot/replies.h"

#include <algorithm>

#include "bot/local_time.h"
#include "bot/text.h"

namespace lessonbook {

Message ErrorReply(std::string text) {
  Message m;
  m.text = std::move(text);
  m.is_error = true;
  return m;
}

std::string AuthorLabel(std::string_view author) {
  if (author.empty()) return "";
  if (author.rfind("web:", 0) == 0) return "@" + std::string(author.substr(4));
  return "@" + std::string(author);
}

namespace {

std::string ContextLine(const Lesson& l, std::string_view timezone) {
  std::string c = OutcomeName(l.outcome);
  if (!l.tags.empty()) {
    c += " ·";
    for (const auto& t : l.tags) c += " #" + t;
  }
  if (!l.campaign.empty()) c += " · " + l.campaign;
  if (!l.author.empty()) c += " · " + AuthorLabel(l.author);
  c += " · " + FormatLocalDate(l.created_at, timezone);
  if (l.confirmations > 0 || l.contradictions > 0) {
    c += " · confirmed " + std::to_string(l.confirmations) + "×, contradicted " +
         std::to_string(l.contradictions) + "×";
  }
  return c;
}

}  // namespace

Section LessonSection(const Lesson& lesson, std::string_view timezone,
                      const std::vector<SnippetPart>* snippet) {
  Section s;
  s.text.push_back(Strong("#" + std::to_string(lesson.id) + " " + lesson.title));
  if (snippet != nullptr && !snippet->empty()) {
    s.text.push_back(Plain("\n"));
    for (const auto& part : *snippet) {
      Span span = Plain(part.text);
      span.highlight = part.highlighted;
      s.text.push_back(std::move(span));
    }
  } else if (!lesson.body.empty()) {
    s.text.push_back(Plain("\n" + Ellipsize(lesson.body, 600)));
  }
  s.context = ContextLine(lesson, timezone);
  return s;
}

Message LessonReply(std::string_view verb, const Lesson& lesson, std::string_view timezone) {
  Message m;
  m.text = std::string(verb) + " lesson #" + std::to_string(lesson.id) + ".";
  m.sections.push_back(LessonSection(lesson, timezone, nullptr));
  return m;
}

Message SearchReply(std::string_view query_text, const SearchPage& page, int offset,
                    std::string_view timezone, const std::string& more_value) {
  Message m;
  std::string q = Ellipsize(query_text, 80);
  if (page.total == 0) {
    m.text = "No lessons match \"" + q + "\". Try fewer or other words, drop a filter, or write "
             "the lesson down: add <what you learned> #tag outcome:worked";
    return m;
  }
  int shown_to = offset + static_cast<int>(page.hits.size());
  m.text = std::to_string(page.total) + (page.total == 1 ? " lesson" : " lessons") +
           " for \"" + q + "\"";
  if (offset > 0 || shown_to < page.total) {
    m.text += " (" + std::to_string(offset + 1) + "–" + std::to_string(shown_to) + ")";
  }
  if (page.any_words) {
    m.text += " — no lesson has all the words; these have some of them.";
  } else if (page.ranked_among > 0) {
    m.text += " — these words are in so many lessons that only the newest " +
              std::to_string(page.ranked_among) + " matches are ranked:";
  } else {
    m.text += ":";
  }
  for (const auto& hit : page.hits) m.sections.push_back(LessonSection(hit.lesson, timezone, &hit.snippet));
  // With frequent words, paging ends with the newest ranked_among matches.
  const int reachable = page.ranked_among > 0 ? std::min(page.total, page.ranked_among) : page.total;
  int more = reachable - shown_to;
  if (more > 0) {
    Section s;
    s.text.push_back(Plain(std::to_string(more) +
                           (page.ranked_among > 0 ? " more of the newest " +
                                                        std::to_string(page.ranked_among)
                                                  : std::string(" more")) +
                           " — refine with tag: or since:"));
    if (!more_value.empty()) s.buttons.push_back(Button{"More", "search_more", more_value});
    m.sections.push_back(std::move(s));
  }
  return m;
}

Message HelpReply(std::string_view topic) {
  struct Entry {
    const char* verb;
    const char* usage;
    const char* what;
  };
  static const Entry kEntries[] = {
      {"search", "search <words> [tag:x] [outcome:worked|flopped|change|insight] "
                 "[campaign:\"…\"] [by:@user] [since:YYYY-MM-DD] [sort:relevance|evidence|newest]",
       "Finds lessons (the default: just type words). Add --share to post the answer to the "
       "channel. Example: subject lines tag:email outcome:worked"},
      {"add", "add <lesson> [#tag…] [outcome:worked|flopped|change|insight] [campaign:\"…\"]",
       "Writes a lesson down. The first line (or sentence) is its title. Example: add Subject "
       "lines with numbers got 20% more opens #email outcome:worked"},
      {"edit", "edit <id> [new text] [#tag…] [outcome:…] [campaign:\"…\"]",
       "Changes your lesson (admins: any lesson); only what you give changes. Example: edit 42 "
       "outcome:flopped"},
      {"delete", "delete <id>", "Deletes your lesson (admins: any lesson). Example: delete 42"},
      {"campaign", "campaign new \"name\" ends:YYYY-MM-DD [with:@a,@b] [owner:@x] [channel:#c] "
                   "[goal:\"…\"] [learn:\"…\"] [metric:name=target] | list | show | end | edit",
       "Registers a campaign with its goals and what you hope to learn (campaign new alone opens a "
       "form). When it ends (or on campaign end), everyone in it gets a short post-mortem in a DM; "
       "their answers become lessons."},
      {"postmortem", "postmortem [\"campaign\"]",
       "Opens your post-mortem as a form, to answer or change your answers until it closes. In "
       "the DM, answer one question at a time; skip, back, later and stop work too."},
      {"settings", "settings [timezone Area/City | questions <set> | quiet-digest on|off | "
                   "admins add|remove @person | sections [tag=title, … | default]]",
       "Shows the workspace's settings; admins change them. settings sections sets the Book's "
       "chapters in order, e.g. settings sections seo=\"SEO and keyphrases\", email=Email, "
       "landing-pages=\"Landing pages\" (the whole list; default restores the standard one)."},
      {"digest", "digest subscribe [monday 09:00] [Europe/Berlin] | unsubscribe | preview | list",
       "Sends this channel a weekly digest of new lessons (Monday 09:00 in the workspace's "
       "timezone unless you say otherwise); preview shows this week's to you only."},
      {"book", "book",
       "Sends you (privately) a personal link to the Book of Learning web page: every lesson by "
       "chapter, the campaigns, search and filters; it works for 7 days."},
      {"export", "export md|csv|jsonl [search words and filters]",
       "Sends you (privately) a link to download lessons as Markdown, CSV or JSONL. Admins may "
       "export everything; everyone exports what a search finds. Example: export md tag:email"},
      {"help", "help [command]", "Shows this help, or one command's."},
  };
  Message m;
  std::string t = AsciiLower(topic);
  if (t == "find") t = "search";
  if (t == "remove" || t == "rm") t = "delete";
  for (const auto& e : kEntries) {
    if (t == e.verb) {
      m.text = std::string("Usage: ") + e.usage;
      Section s;
      s.text = {Strong(e.usage), Plain(std::string("\n") + e.what)};
      m.sections.push_back(std::move(s));
      return m;
    }
  }
  if (!t.empty()) {
    m.text = "There is no command \"" + Ellipsize(topic, 30) +
             "\". Commands: search, add, edit, delete, campaign, postmortem, digest, settings, book, export, help.";
    m.is_error = true;
    return m;
  }
  m.text = "Lessonbook keeps your team's Book of Learning: what worked, what flopped and why.";
  for (const auto& e : kEntries) {
    Section s;
    s.text = {Strong(e.usage), Plain(std::string("\n") + e.what)};
    m.sections.push_back(std::move(s));
  }
  return m;
}

}  // namespace lessonbook
