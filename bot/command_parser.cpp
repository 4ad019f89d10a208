#include "bot/command_parser.h"

#include <date/date.h>

#include <algorithm>
#include <array>

#include "bot/text.h"
#include "bot/weekly_time.h"

namespace lessonbook {
namespace {

constexpr std::string_view kLeftQuote = "\xE2\x80\x9C";   // “
constexpr std::string_view kRightQuote = "\xE2\x80\x9D";  // ”

// A word of the command with where it stood in the original text.
struct Token {
  size_t begin = 0;
  size_t end = 0;
  std::string value;  // quotes removed
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The length of a quote character at s[i], or 0.
size_t QuoteAt(std::string_view s, size_t i) {
  if (s[i] == '"') return 1;
  if (s.substr(i, 3) == kLeftQuote || s.substr(i, 3) == kRightQuote) return 3;
  return 0;
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size()) break;
    Token t;
    t.begin = i;
    while (i < s.size() && !IsSpace(s[i])) {
      size_t q = QuoteAt(s, i);
      if (q == 0) {
        t.value += s[i++];
        continue;
      }
      i += q;  // a quoted run: up to the next quote (or the end)
      while (i < s.size() && QuoteAt(s, i) == 0) t.value += s[i++];
      if (i < s.size()) i += QuoteAt(s, i);
    }
    t.end = i;
    out.push_back(std::move(t));
  }
  return out;
}

// "key:value" -> key (lower case) and value; false when the word has no "key:" shape.
bool SplitOption(const std::string& word, std::string* key, std::string* value) {
  size_t colon = word.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = word[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  *key = AsciiLower(word.substr(0, colon));
  *value = word.substr(colon + 1);
  return true;
}

Result<Outcome> ParseOutcomeValue(std::string_view v) {
  if (auto o = ParseOutcome(AsciiLower(v))) return *o;
  return Status::InvalidArgument("outcome must be one of worked, flopped, change, insight — e.g. "
                                 "outcome:flopped (got \"" + Ellipsize(v, 40) + "\")");
}

Status ValidateDate(std::string_view v) {
  auto bad = [&] {
    return Status::InvalidArgument("since: takes a date as YYYY-MM-DD, e.g. since:2026-01-31 (got \"" +
                                   Ellipsize(v, 40) + "\")");
  };
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t k = 0; k < lens[p]; ++k) {
      char c = v[starts[p] + k];
      if (c < '0' || c > '9') return bad();
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  date::year_month_day ymd{date::year{parts[0]}, date::month{static_cast<unsigned>(parts[1])},
                           date::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) {
    return Status::InvalidArgument("since:" + std::string(v) + " is not a calendar date; use "
                                   "YYYY-MM-DD, e.g. since:2026-01-31");
  }
  return Status::Ok();
}

// Filter names people plausibly type for the real ones.
Status CheckMisspelledFilter(const std::string& key) {
  static const std::array<std::pair<const char*, const char*>, 14> kHints = {{
      {"tags", "tag:email"},          {"label", "tag:email"},
      {"outcomes", "outcome:worked"}, {"result", "outcome:worked"},
      {"status", "outcome:worked"},   {"author", "by:@ana"},
      {"user", "by:@ana"},            {"from", "by:@ana"},
      {"after", "since:2026-01-31"},  {"date", "since:2026-01-31"},
      {"order", "sort:evidence"},     {"sorted", "sort:evidence"},
      {"campaigns", "campaign:\"Q1 webinar\""}, {"in", "campaign:\"Q1 webinar\""},
  }};
  for (const auto& [wrong, right] : kHints) {
    if (key == wrong) {
      return Status::InvalidArgument(
          "\"" + key + ":\" is not a search filter; did you mean " + right +
          "? Filters: tag:x outcome:worked|flopped|change|insight campaign:\"…\" by:@user "
          "since:YYYY-MM-DD sort:relevance|evidence|newest");
    }
  }
  return Status::Ok();
}

bool IsShareFlag(const std::string& w) { return w == "--share" || w == "\xE2\x80\x94share"; }

// The text of `s` without the tokens marked as options, white space tidied.
std::string TextWithout(std::string_view s, const std::vector<Token>& tokens,
                        const std::vector<bool>& drop) {
  std::string out;
  size_t pos = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!drop[i]) continue;
    out += s.substr(pos, tokens[i].begin - pos);
    pos = tokens[i].end;
  }
  out += s.substr(pos);
  // Collapse runs of spaces left where options were taken out; keep line breaks.
  std::string tidy;
  for (char c : out) {
    if (c == '\t') c = ' ';
    if (c == ' ' && !tidy.empty() && (tidy.back() == ' ' || tidy.back() == '\n')) continue;
    if (c == '\n' && !tidy.empty() && tidy.back() == ' ') tidy.pop_back();
    tidy += c;
  }
  return Trim(tidy);
}

struct LessonOptions {
  std::vector<std::string> tags;
  bool tags_given = false;
  std::optional<Outcome> outcome;
  std::optional<std::string> campaign;
  std::string text;
  bool share = false;
};

// Takes #tags, tag:, outcome: and campaign: out of the words of add/edit.
Result<LessonOptions> ParseLessonOptions(std::string_view rest) {
  LessonOptions o;
  std::vector<Token> tokens = Tokenize(rest);
  std::vector<bool> drop(tokens.size(), false);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].value;
    std::string key, value;
    if (IsShareFlag(w)) {
      o.share = true;
      drop[i] = true;
    } else if (w.size() > 1 && w[0] == '#' && ((w[1] >= 'a' && w[1] <= 'z') ||
                                               (w[1] >= 'A' && w[1] <= 'Z'))) {
      auto tag = NormalizeTag(w);
      if (!tag.ok()) return tag.status();
      o.tags.push_back(*tag);
      o.tags_given = true;
      drop[i] = true;
    } else if (SplitOption(w, &key, &value) &&
               (key == "tag" || key == "outcome" || key == "campaign")) {
      if (key == "tag") {
        auto tag = NormalizeTag(value);
        if (!tag.ok()) return tag.status();
        o.tags.push_back(*tag);
        o.tags_given = true;
      } else if (key == "outcome") {
        auto out = ParseOutcomeValue(value);
        if (!out.ok()) return out.status();
        o.outcome = *out;
      } else {
        o.campaign = Trim(value);
      }
      drop[i] = true;
    }
  }
  o.text = TextWithout(rest, tokens, drop);
  // Keep tags unique, in the order given.
  std::vector<std::string> unique;
  for (auto& t : o.tags) {
    if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
  }
  if (unique.size() > 10) {
    return Status::InvalidArgument("a lesson takes at most 10 tags; keep the ones a reader would "
                                   "search for");
  }
  o.tags = std::move(unique);
  return o;
}

Result<ParsedCommand> ParseSearch(const std::vector<Token>& tokens, size_t start) {
  SearchCommand q;
  bool share = false;
  for (size_t i = start; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].value;
    std::string key, value;
    if (IsShareFlag(w)) {
      share = true;
      continue;
    }
    if (w.size() > 1 && w[0] == '#' && ((w[1] >= 'a' && w[1] <= 'z') ||
                                        (w[1] >= 'A' && w[1] <= 'Z'))) {
      auto tag = NormalizeTag(w);
      if (!tag.ok()) return tag.status();
      q.tags.push_back(*tag);
      continue;
    }
    if (SplitOption(w, &key, &value)) {
      if (key == "tag") {
        auto tag = NormalizeTag(value);
        if (!tag.ok()) return tag.status();
        q.tags.push_back(*tag);
        continue;
      }
      if (key == "outcome") {
        auto out = ParseOutcomeValue(value);
        if (!out.ok()) return out.status();
        q.outcome = *out;
        continue;
      }
      if (key == "campaign") {
        q.campaign = Trim(value);
        if (q.campaign.empty()) {
          return Status::InvalidArgument("campaign: needs a name, e.g. campaign:\"Q1 webinar\"");
        }
        continue;
      }
      if (key == "by") {
        q.by = Trim(value);
        if (q.by.empty() || q.by == "@") {
          return Status::InvalidArgument("by: needs a person, e.g. by:@ana");
        }
        continue;
      }
      if (key == "since") {
        Status s = ValidateDate(value);
        if (!s.ok()) return s;
        q.since = value;
        continue;
      }
      if (key == "sort") {
        std::string v = AsciiLower(value);
        if (v == "relevance") q.sort = SearchSort::kRelevance;
        else if (v == "evidence") q.sort = SearchSort::kEvidence;
        else if (v == "newest") q.sort = SearchSort::kNewest;
        else {
          return Status::InvalidArgument("sort: takes relevance, evidence or newest, e.g. "
                                         "sort:evidence (got \"" + Ellipsize(value, 40) + "\")");
        }
        continue;
      }
      Status s = CheckMisspelledFilter(key);
      if (!s.ok()) return s;
    }
    // A plain word (or a phrase: its words).
    for (auto& piece : SplitCommandWords(w)) q.words.push_back(piece);
  }
  return ParsedCommand{std::move(q), share};
}

Result<ParsedCommand> ParseDigest(const std::vector<Token>& tokens) {
  const char* kUsage =
      "digest subscribe [monday 09:00] [Europe/Berlin], digest unsubscribe, digest preview or "
      "digest list";
  if (tokens.size() < 2) return Status::InvalidArgument(std::string("say what to do: ") + kUsage);
  std::string action = AsciiLower(tokens[1].value);
  DigestCommand d;
  if (action == "subscribe") {
    d.action = DigestCommand::Action::kSubscribe;
  } else if (action == "unsubscribe") {
    d.action = DigestCommand::Action::kUnsubscribe;
  } else if (action == "preview") {
    d.action = DigestCommand::Action::kPreview;
  } else if (action == "list") {
    d.action = DigestCommand::Action::kList;
  } else {
    return Status::InvalidArgument("\"" + Ellipsize(tokens[1].value, 30) +
                                   "\" is not a digest command; use " + kUsage);
  }
  if (d.action != DigestCommand::Action::kSubscribe && tokens.size() > 2) {
    return Status::InvalidArgument("digest " + action + " takes nothing more; " + kUsage);
  }
  for (size_t i = 2; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].value;
    if (int day = ParseWeekday(w); day != 0 && d.weekday == 0) {
      d.weekday = day;
    } else if (w.find(':') != std::string::npos && d.minute_of_day < 0) {
      auto minute = ParseClock(w);
      if (!minute.ok()) return minute.status();
      d.minute_of_day = *minute;
    } else if ((w.find('/') != std::string::npos || AsciiLower(w) == "utc") && d.timezone.empty()) {
      d.timezone = AsciiLower(w) == "utc" ? "UTC" : w;
    } else {
      return Status::InvalidArgument(
          "\"" + Ellipsize(w, 30) + "\" is not a weekday (monday … sunday), a time (09:00) or a "
          "timezone (Europe/Berlin); e.g. digest subscribe monday 09:00 Europe/Berlin");
    }
  }
  return ParsedCommand{d, false};
}

Result<ParsedCommand> ParseCampaign(const std::vector<Token>& tokens) {
  const char* kUsage =
      "campaign new \"Q1 webinar\" ends:2026-12-15 with:@bo,@cy goal:\"300 MQLs\" "
      "learn:\"does a co-host raise attendance?\" metric:mqls=300, campaign list, campaign show "
      "\"Q1 webinar\", campaign end \"Q1 webinar\" or campaign edit \"Q1 webinar\" ends:…";
  CampaignCommand c;
  if (tokens.size() < 2) return ParsedCommand{c, false};  // "campaign": the list
  std::string action = AsciiLower(tokens[1].value);
  if (action == "new" || action == "create") c.action = CampaignCommand::Action::kNew;
  else if (action == "list") c.action = CampaignCommand::Action::kList;
  else if (action == "show") c.action = CampaignCommand::Action::kShow;
  else if (action == "end") c.action = CampaignCommand::Action::kEnd;
  else if (action == "edit") c.action = CampaignCommand::Action::kEdit;
  else {
    return Status::InvalidArgument("\"" + Ellipsize(tokens[1].value, 30) +
                                   "\" is not a campaign command; use " + kUsage);
  }
  std::vector<std::string> name_words;
  for (size_t i = 2; i < tokens.size(); ++i) {
    std::string key, value;
    const std::string& w = tokens[i].value;
    if (SplitOption(w, &key, &value)) {
      if (key == "ends" || key == "end" || key == "starts" || key == "channel" || key == "owner" ||
          key == "goal" || key == "goals" || key == "learn" || key == "learning") {
        if (key == "end") key = "ends";
        if (key == "goals") key = "goal";
        if (key == "learning") key = "learn";
        c.options[key] = Trim(value);
        continue;
      }
      if (key == "with") {
        c.with_given = true;
        std::string piece;
        for (char ch : value + ",") {
          if (ch != ',') {
            piece += ch;
          } else if (!Trim(piece).empty()) {
            c.with.push_back(Trim(piece));
            piece.clear();
          }
        }
        continue;
      }
      if (key == "metric" || key == "metrics") {
        std::string piece;
        for (char ch : value + ",") {
          if (ch != ',') {
            piece += ch;
            continue;
          }
          std::string m = Trim(piece);
          piece.clear();
          if (m.empty()) continue;
          size_t eq = m.find('=');
          std::string name = Trim(m.substr(0, eq));
          std::string target = eq == std::string::npos ? "" : Trim(m.substr(eq + 1));
          if (name.empty() || name.size() > 40) {
            return Status::InvalidArgument("metric: takes name=target, e.g. metric:mqls=300");
          }
          c.metrics.emplace_back(name, target);
        }
        continue;
      }
      return Status::InvalidArgument("\"" + key + ":\" is not a campaign option; use ends:, "
                                     "channel:, owner:, with:, goal:, learn: or metric:");
    }
    if (w.size() > 1 && w[0] == '@' && c.action != CampaignCommand::Action::kShow) {
      return Status::InvalidArgument("put people after with: (with:@bo,@cy) or owner:");
    }
    name_words.push_back(w);
  }
  for (const auto& w : name_words) c.name += (c.name.empty() ? "" : " ") + w;
  if (c.name.size() > 120) return Status::InvalidArgument("a campaign name is at most 120 bytes");
  if ((c.action == CampaignCommand::Action::kShow || c.action == CampaignCommand::Action::kEnd ||
       c.action == CampaignCommand::Action::kEdit) &&
      c.name.empty()) {
    return Status::InvalidArgument("say which campaign, e.g. campaign " + action +
                                   " \"Q1 webinar\"");
  }
  return ParsedCommand{std::move(c), false};
}

}  // namespace

std::vector<std::string> SplitCommandWords(std::string_view text) {
  std::vector<std::string> out;
  for (auto& t : Tokenize(text)) {
    // A quoted phrase is one token; split it into its words for the caller that wants words.
    size_t i = 0;
    const std::string& v = t.value;
    while (i < v.size()) {
      while (i < v.size() && IsSpace(v[i])) ++i;
      size_t b = i;
      while (i < v.size() && !IsSpace(v[i])) ++i;
      if (i > b) out.push_back(v.substr(b, i - b));
    }
  }
  return out;
}

Result<std::string> NormalizeTag(std::string_view tag) {
  std::string t = AsciiLower(TrimView(tag));
  if (!t.empty() && t[0] == '#') t.erase(0, 1);
  auto bad = [&] {
    return Status::InvalidArgument("a tag is a word of letters, digits and '-', starting with a "
                                   "letter, e.g. #email or #landing-pages (got \"" +
                                   Ellipsize(tag, 40) + "\")");
  };
  if (t.empty() || t.size() > 40) return bad();
  if (!((t[0] >= 'a' && t[0] <= 'z') || static_cast<unsigned char>(t[0]) >= 0x80)) return bad();
  for (unsigned char c : t) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80)) {
      return bad();
    }
  }
  if (!IsValidUtf8(t)) return bad();
  return t;
}

Result<LessonId> ParseLessonId(std::string_view word, std::string_view verb) {
  std::string_view w = TrimView(word);
  if (!w.empty() && w[0] == '#') w.remove_prefix(1);
  LessonId id = 0;
  bool ok = !w.empty() && w.size() <= 15;
  for (char c : w) {
    if (c < '0' || c > '9') ok = false;
    if (ok) id = id * 10 + (c - '0');
  }
  if (!ok || id <= 0) {
    return Status::InvalidArgument(std::string(verb) + " needs a lesson number, e.g. " +
                                   std::string(verb) + " 42 (search shows each lesson's #number)");
  }
  return id;
}

Result<ParsedCommand> ParseCommand(std::string_view raw) {
  if (!IsValidUtf8(raw)) {
    return Status::InvalidArgument("the command is not valid UTF-8 text; retype it or paste it "
                                   "as plain text");
  }
  std::string_view text = TrimView(raw);
  std::vector<Token> tokens = Tokenize(text);
  if (tokens.empty()) return ParsedCommand{HelpCommand{}, false};
  std::string verb = AsciiLower(tokens[0].value);
  std::string_view rest = TrimView(text.substr(tokens[0].end));

  if (verb == "help" || verb == "?" || verb == "-h" || verb == "--help") {
    std::string topic = tokens.size() > 1 ? AsciiLower(tokens[1].value) : "";
    return ParsedCommand{HelpCommand{topic}, false};
  }
  if (verb == "add" || verb == "new") {
    auto o = ParseLessonOptions(rest);
    if (!o.ok()) return o.status();
    AddCommand add{o->text, o->tags, o->outcome, o->campaign.value_or("")};
    return ParsedCommand{std::move(add), o->share};
  }
  if (verb == "edit") {
    if (tokens.size() < 2) {
      return Status::InvalidArgument("edit needs a lesson number and what to change, e.g. "
                                     "edit 42 outcome:flopped or edit 42 New wording #email");
    }
    auto id = ParseLessonId(tokens[1].value, "edit");
    if (!id.ok()) return id.status();
    auto o = ParseLessonOptions(TrimView(text.substr(tokens[1].end)));
    if (!o.ok()) return o.status();
    EditCommand e;
    e.id = *id;
    e.text = o->text;
    if (o->tags_given) e.tags = o->tags;
    e.outcome = o->outcome;
    e.campaign = o->campaign;
    if (e.text.empty() && !e.tags && !e.outcome && !e.campaign) {
      return Status::InvalidArgument("nothing to change: give new text, #tags, outcome: or "
                                     "campaign:, e.g. edit " + std::to_string(*id) +
                                     " outcome:flopped");
    }
    return ParsedCommand{std::move(e), o->share};
  }
  if (verb == "delete" || verb == "remove" || verb == "rm" || verb == "del") {
    if (tokens.size() != 2) {
      return Status::InvalidArgument("delete takes one lesson number, e.g. delete 42");
    }
    auto id = ParseLessonId(tokens[1].value, "delete");
    if (!id.ok()) return id.status();
    return ParsedCommand{DeleteCommand{*id}, false};
  }
  if (verb == "digest" || verb == "digests") return ParseDigest(tokens);
  if (verb == "campaign" || verb == "campaigns") return ParseCampaign(tokens);
  if (verb == "postmortem" || verb == "post-mortem") {
    std::string name;
    for (size_t i = 1; i < tokens.size(); ++i) name += (name.empty() ? "" : " ") + tokens[i].value;
    return ParsedCommand{PostmortemCommand{name}, false};
  }
  if (verb == "settings" || verb == "setting") {
    SettingsCommand sc;
    if (tokens.size() > 1) {
      sc.what = AsciiLower(tokens[1].value);
      sc.rest = Trim(text.substr(tokens[1].end));
    }
    for (size_t i = 2; i < tokens.size(); ++i) sc.args.push_back(tokens[i].value);
    return ParsedCommand{std::move(sc), false};
  }
  if (verb == "book") {
    if (tokens.size() > 1) {
      return Status::InvalidArgument("book takes nothing after it; to find lessons use search, "
                                     "to download them export md|csv|jsonl [filters]");
    }
    return ParsedCommand{BookCommand{}, false};
  }
  if (verb == "export") {
    std::string format = tokens.size() > 1 ? AsciiLower(tokens[1].value) : "";
    if (format == "markdown") format = "md";
    if (format == "json" || format == "ndjson") format = "jsonl";
    if (format != "md" && format != "csv" && format != "jsonl") {
      return Status::InvalidArgument("export needs a format: md, csv or jsonl, then optional search "
                                     "filters, e.g. export md tag:email");
    }
    auto search = ParseSearch(tokens, 2);
    if (!search.ok()) return search.status();
    ExportCommand e;
    e.format = format;
    e.search = std::get<SearchCommand>(search->command);
    e.filter = Trim(text.substr(tokens[1].end));
    return ParsedCommand{std::move(e), false};
  }
  if (verb == "search" || verb == "find") return ParseSearch(tokens, 1);
  return ParseSearch(tokens, 0);
}

}  // namespace lessonbook
