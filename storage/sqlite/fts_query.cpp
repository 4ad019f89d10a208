#include "storage/sqlite/fts_query.h"

#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {
namespace {

void AppendFilter(std::string* out, std::string_view column, std::string_view value) {
  out->append(" AND ");
  out->append(column);
  out->append(":");
  out->append(QuoteFtsString(value));
}

}  // namespace

std::string QuoteFtsString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::vector<std::string> SearchableWords(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& w : words) {
    std::string clean = CleanText(w);
    if (HasSearchableCharacter(clean)) out.push_back(std::move(clean));
  }
  return out;
}

std::string NormalizeTag(std::string_view tag) {
  while (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
  std::string out = CleanText(tag);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '\t') c = '-';
  }
  return out;
}

std::string OutsideTextMatch(std::string_view word) {
  return "{ws outcome author} : " + QuoteFtsString(word);
}

LessonMatch BuildLessonMatch(const LessonQuery& query, const std::vector<std::string>& words,
                             WordJoin join, WorkspaceScope scope, WordColumns columns) {
  LessonMatch match;
  std::string& e = match.expression;
  if (scope == WorkspaceScope::kInMatch) {
    e = "ws:" + QuoteFtsString("w" + std::to_string(query.workspace_id));
  }
  const size_t scope_size = e.size();
  for (const std::string& tag : query.tags) {
    std::string clean = NormalizeTag(tag);
    if (HasSearchableCharacter(clean)) AppendFilter(&e, "tags", clean);
  }
  if (query.outcome) AppendFilter(&e, "outcome", OutcomeName(*query.outcome));
  if (!query.campaign.empty()) AppendFilter(&e, "campaign", CleanText(query.campaign));
  std::string author = CleanText(query.author);
  if (HasSearchableCharacter(author)) AppendFilter(&e, "author", author);
  if (!words.empty()) {
    e.append(columns == WordColumns::kText ? " AND {title body tags campaign} : (" : " AND (");
    for (size_t i = 0; i < words.size(); ++i) {
      if (i > 0) e.append(join == WordJoin::kAll ? " AND " : " OR ");
      e.append(QuoteFtsString(words[i]));
    }
    e.append(")");
  }
  match.scope_only = e.size() == scope_size;
  if (scope == WorkspaceScope::kOmitted && e.rfind(" AND ", 0) == 0) e.erase(0, 5);
  return match;
}

}  // namespace lessonbook::sqlite
