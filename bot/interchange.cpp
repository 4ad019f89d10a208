#include "bot/interchange.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "bot/command_parser.h"
#include "bot/local_time.h"
#include "bot/text.h"

namespace lessonbook {
namespace {

using nlohmann::json;

Status LineError(size_t line, const std::string& what) {
  return Status::InvalidArgument("line " + std::to_string(line) + ": " + what);
}

// Validates and fills a lesson from named string values (the CSV path) or JSON (below).
struct Fields {
  std::string id, title, body, outcome, campaign, author, created_at, workspace;
  std::vector<std::string> tags;
  bool has_id = false;
};

Result<InterchangeLesson> Build(const Fields& f, Time now) {
  InterchangeLesson out;
  Lesson& l = out.lesson;
  if (f.has_id && !f.id.empty()) {
    auto id = ParseLessonId(f.id, "id");
    if (!id.ok()) return Status::InvalidArgument("id must be a positive whole number, got \"" + Ellipsize(f.id, 30) + "\"");
    l.id = *id;
  }
  l.title = Trim(f.title);
  if (l.title.empty()) return Status::InvalidArgument("title is missing or empty");
  for (const std::string* s : {&f.title, &f.body, &f.campaign, &f.author, &f.workspace}) {
    if (!IsValidUtf8(*s)) return Status::InvalidArgument("text is not valid UTF-8");
  }
  l.body = f.body;
  if (f.outcome.empty()) {
    l.outcome = Outcome::kInsight;
  } else if (auto o = ParseOutcome(AsciiLower(Trim(f.outcome)))) {
    l.outcome = *o;
  } else {
    return Status::InvalidArgument("outcome must be worked, flopped, change or insight, got \"" +
                                   Ellipsize(f.outcome, 30) + "\"");
  }
  for (const auto& t : f.tags) {
    if (Trim(t).empty()) continue;
    auto tag = NormalizeTag(t);
    if (!tag.ok()) return tag.status();
    if (std::find(l.tags.begin(), l.tags.end(), *tag) == l.tags.end()) l.tags.push_back(*tag);
  }
  l.campaign = f.campaign;
  l.author = f.author;
  if (Trim(f.created_at).empty()) {
    l.created_at = now;
  } else {
    auto t = ParseRfc3339(Trim(f.created_at));
    if (!t.ok()) return Status::InvalidArgument("created_at: " + t.status().message());
    l.created_at = *t;
  }
  l.updated_at = now;
  l.source = LessonSource::kImport;
  out.workspace = Trim(f.workspace);
  return out;
}

std::string CsvField(std::string_view v) {
  bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!v.empty() && (v.front() == ' ' || v.back() == ' '));
  if (!quote) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string JoinTags(const std::vector<std::string>& tags, char sep) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += sep;
    out += t;
  }
  return out;
}

// Reads one CSV record (RFC 4180: quoted fields may hold commas, quotes and line breaks).
// Returns false at the end of input. `line` counts physical lines read.
Result<bool> ReadCsvRecord(std::istream& in, std::vector<std::string>* fields, size_t* line) {
  fields->clear();
  std::string field;
  bool in_quotes = false, any = false, was_quoted = false;
  size_t start_line = *line + 1;
  int ch;
  while ((ch = in.get()) != EOF) {
    any = true;
    char c = static_cast<char>(ch);
    if (in_quotes) {
      if (c == '"') {
        if (in.peek() == '"') {
          in.get();
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++*line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty()) {
        return LineError(start_line, "a quote inside an unquoted field; quote the whole field "
                                     "and double the quote (\"\")");
      }
      in_quotes = true;
      was_quoted = true;
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\r') {
      // CRLF or a lone CR ends the record like LF.
      if (in.peek() == '\n') in.get();
      ++*line;
      fields->push_back(std::move(field));
      return true;
    } else if (c == '\n') {
      ++*line;
      fields->push_back(std::move(field));
      return true;
    } else {
      if (was_quoted) {
        return LineError(start_line, "text after a closing quote; double a quote inside a "
                                     "quoted field (\"\")");
      }
      field += c;
    }
  }
  if (in_quotes) return LineError(start_line, "a quoted field is never closed");
  if (!any) return false;
  ++*line;
  fields->push_back(std::move(field));
  return true;
}

}  // namespace

const std::vector<std::string>& InterchangeColumns() {
  static const std::vector<std::string> kColumns = {
      "id", "title", "body", "tags", "outcome", "campaign", "author", "created_at", "workspace"};
  return kColumns;
}

std::string ToJsonLine(const Lesson& l, std::string_view workspace) {
  json j;
  j["id"] = l.id;
  j["title"] = l.title;
  j["body"] = l.body;
  j["tags"] = l.tags;
  j["outcome"] = OutcomeName(l.outcome);
  j["campaign"] = l.campaign;
  j["author"] = l.author;
  j["created_at"] = FormatRfc3339(l.created_at);
  if (!workspace.empty()) j["workspace"] = std::string(workspace);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<InterchangeLesson> FromJsonLine(std::string_view line, Time now) {
  json j;
  try {
    j = json::parse(line);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) return Status::InvalidArgument("each line must be a JSON object {…}");
  Fields f;
  auto text = [&](const char* key, std::string* out) -> Status {
    if (!j.contains(key) || j[key].is_null()) return Status::Ok();
    if (!j[key].is_string()) return Status::InvalidArgument(std::string(key) + " must be a string");
    *out = j[key].get<std::string>();
    return Status::Ok();
  };
  if (j.contains("id") && !j["id"].is_null()) {
    f.has_id = true;
    if (j["id"].is_number_integer()) f.id = std::to_string(j["id"].get<long long>());
    else if (j["id"].is_string()) f.id = j["id"].get<std::string>();
    else return Status::InvalidArgument("id must be a whole number");
  }
  for (auto [key, out] : {std::pair{"title", &f.title}, {"body", &f.body},
                          {"outcome", &f.outcome}, {"campaign", &f.campaign},
                          {"author", &f.author}, {"created_at", &f.created_at},
                          {"workspace", &f.workspace}}) {
    if (Status s = text(key, out); !s.ok()) return s;
  }
  if (j.contains("tags") && !j["tags"].is_null()) {
    if (!j["tags"].is_array()) return Status::InvalidArgument("tags must be an array of strings");
    for (const auto& t : j["tags"]) {
      if (!t.is_string()) return Status::InvalidArgument("tags must be an array of strings");
      f.tags.push_back(t.get<std::string>());
    }
  }
  return Build(f, now);
}

std::string CsvHeaderLine() { return JoinTags(InterchangeColumns(), ','); }

std::string ToCsvLine(const Lesson& l, std::string_view workspace) {
  std::string out = std::to_string(l.id);
  for (const std::string& v :
       {l.title, l.body, JoinTags(l.tags, ';'), std::string(OutcomeName(l.outcome)), l.campaign,
        l.author, FormatRfc3339(l.created_at), std::string(workspace)}) {
    out += ',';
    out += CsvField(v);
  }
  return out;
}

Result<std::vector<InterchangeLesson>> ReadJsonl(std::istream& in, Time now) {
  std::vector<InterchangeLesson> out;
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (TrimView(line).empty()) continue;
    auto l = FromJsonLine(line, now);
    if (!l.ok()) return LineError(n, l.status().message());
    out.push_back(std::move(*l));
  }
  return out;
}

Result<std::vector<InterchangeLesson>> ReadCsv(std::istream& in, Time now) {
  std::vector<InterchangeLesson> out;
  std::vector<std::string> record;
  size_t line = 0;
  auto first = ReadCsvRecord(in, &record, &line);
  if (!first.ok()) return first.status();
  if (!*first) return out;
  if (!record.empty() && record[0].rfind("\xEF\xBB\xBF", 0) == 0) record[0].erase(0, 3);  // BOM
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < record.size(); ++i) col[AsciiLower(Trim(record[i]))] = i;
  if (!col.count("title")) {
    return LineError(1, "the header must name the columns, with at least title: " + CsvHeaderLine());
  }
  for (;;) {
    size_t record_line = line + 1;
    auto more = ReadCsvRecord(in, &record, &line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (record.size() == 1 && TrimView(record[0]).empty()) continue;  // blank line
    auto get = [&](const char* name) {
      auto it = col.find(name);
      return it == col.end() || it->second >= record.size() ? std::string() : record[it->second];
    };
    Fields f;
    f.has_id = col.count("id") > 0;
    f.id = Trim(get("id"));
    f.title = get("title");
    f.body = get("body");
    f.outcome = get("outcome");
    f.campaign = get("campaign");
    f.author = get("author");
    f.created_at = get("created_at");
    f.workspace = get("workspace");
    std::string tags = get("tags");
    size_t pos = 0;
    while (pos <= tags.size()) {
      size_t semi = tags.find(';', pos);
      f.tags.push_back(tags.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos));
      if (semi == std::string::npos) break;
      pos = semi + 1;
    }
    auto l = Build(f, now);
    if (!l.ok()) return LineError(record_line, l.status().message());
    out.push_back(std::move(*l));
  }
  return out;
}

void WriteMarkdownBook(std::ostream& out, const std::vector<Lesson>& lessons,
                       const std::vector<BookSection>& sections, std::string_view timezone) {
  // Markdown special characters in lesson text are escaped so a lesson cannot break the page.
  auto esc = [](std::string_view s) {
    std::string r;
    for (char c : s) {
      if (std::string_view("\\`*_[]<>#|").find(c) != std::string_view::npos) r += '\\';
      r += (c == '\n' ? ' ' : c);
    }
    return r;
  };
  auto body = [&](std::string_view s) {
    std::string r;
    for (char c : s) {
      if (std::string_view("\\`*_[]<>#|").find(c) != std::string_view::npos) r += '\\';
      r += c;
      if (c == '\n') r += "  ";
    }
    return r;
  };
  std::vector<std::vector<const Lesson*>> chapters(sections.size() + 1);
  for (const auto& l : lessons) {
    size_t chapter = sections.size();
    for (size_t i = 0; i < sections.size() && chapter == sections.size(); ++i) {
      if (std::find(l.tags.begin(), l.tags.end(), sections[i].tag) != l.tags.end()) chapter = i;
    }
    chapters[chapter].push_back(&l);
  }
  out << "# Book of Learning\n\n"
      << lessons.size() << (lessons.size() == 1 ? " lesson" : " lessons")
      << ": what worked, what flopped and why.\n\n## Contents\n\n";
  for (size_t i = 0; i <= sections.size(); ++i) {
    if (chapters[i].empty()) continue;
    std::string title = i < sections.size() ? sections[i].title : "Other lessons";
    out << "- " << title << " (" << chapters[i].size() << ")\n";
  }
  for (size_t i = 0; i <= sections.size(); ++i) {
    if (chapters[i].empty()) continue;
    out << "\n## " << (i < sections.size() ? sections[i].title : "Other lessons") << "\n";
    for (const Lesson* l : chapters[i]) {
      out << "\n### #" << l->id << " " << esc(l->title) << "\n\n";
      out << "**" << OutcomeName(l->outcome) << "**";
      for (size_t t = 0; t < l->tags.size(); ++t) out << (t == 0 ? " · " : " ") << esc("#" + l->tags[t]);
      if (!l->campaign.empty()) out << " · " << esc(l->campaign);
      if (!l->author.empty()) out << " · " << esc(l->author);
      out << " · " << FormatLocalDate(l->created_at, timezone) << "\n";
      if (!l->body.empty()) out << "\n" << body(l->body) << "\n";
    }
  }
}

}  // namespace lessonbook
