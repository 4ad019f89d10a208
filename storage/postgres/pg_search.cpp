// PgStore::SearchLessons: full-text search over the generated tsvector column (GIN-indexed).
//
// The workspace scope, the filters and the words are one WHERE clause of one query, so another
// workspace's rows are never scored. User words are bound parameters, each turned into a query
// by plainto_tsquery (so `"`, `*`, `:`, `&`, `|`, `!`, `<->` typed by a user are plain text, never
// query syntax) and joined with && (all words) or || (the fallback to any word). Relevance is
// ts_rank_cd with the column weights of the SQLite store's bm25; SearchHit::score is its
// negation, so lower is better in both stores. Snippets come from ts_headline.
//
// Three statements in one REPEATABLE READ snapshot: the count, the page's ids in order, and the
// page's rows with their snippets. Frequent words (bot/domain.h) are ranked among the newest
// kFrequentRankedAmong matches only, as in the SQLite store: two counts per word and the
// newest matches' lowest id first, in the same snapshot.
#include <algorithm>
#include <map>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/fts_query.h"
#include "storage/sqlite/snippet.h"
#include "storage/sqlite/text.h"

namespace lessonbook::pg {
namespace {

using sqlite::CleanText;
using sqlite::HasSearchableCharacter;

constexpr int kMaxLimit = 1000;
constexpr int kSnippetWords = 16;
constexpr const char* kConfig = "'lessonbook_english'";

enum class WordJoin { kAll, kAny };

// The WHERE clause (on lessons AS l) and its parameters; `tsquery` is the SQL of the words'
// query ("" without words).
struct Built {
  std::string where;
  std::string tsquery;
  PgParams params;

  std::string Bind(std::string_view v) {
    params.Add(v);
    return "$" + std::to_string(params.size());
  }
  std::string Bind(std::int64_t v) {
    params.Add(v);
    return "$" + std::to_string(params.size());
  }
};

Built BuildWhere(const LessonQuery& q, const std::vector<std::string>& words, WordJoin join) {
  Built b;
  b.where = "l.workspace_id = " + b.Bind(q.workspace_id);
  if (!words.empty()) {
    b.tsquery = "(";
    for (size_t i = 0; i < words.size(); ++i) {
      if (i > 0) b.tsquery += join == WordJoin::kAll ? " && " : " || ";
      b.tsquery += std::string("plainto_tsquery(") + kConfig + ", " + b.Bind(words[i]) + ")";
    }
    b.tsquery += ")";
    b.where += " AND l.search @@ " + b.tsquery;
  }
  // Tags exactly (a tag is a whole space-separated entry: "pages" is not "landing-pages").
  for (const std::string& tag : q.tags) {
    std::string t = sqlite::NormalizeTag(tag);
    if (t.find_first_not_of(' ') == std::string::npos) continue;
    b.where += " AND strpos(' ' || l.tags || ' ', " + b.Bind(" " + t + " ") + ") > 0";
  }
  if (q.outcome) b.where += " AND l.outcome = " + b.Bind(OutcomeName(*q.outcome));
  if (!q.campaign.empty()) {  // the campaign's words as a phrase, stemmed like the index
    b.where += std::string(" AND to_tsvector(") + kConfig + ", l.campaign) @@ phraseto_tsquery(" +
               kConfig + ", " + b.Bind(CleanText(q.campaign)) + ")";
  }
  const std::string author = sqlite::ValidUtf8(q.author);
  if (!author.empty()) b.where += " AND l.author = " + b.Bind(author);
  if (q.since) b.where += " AND l.created_at >= " + b.Bind(Unix(*q.since));
  if (q.until) b.where += " AND l.created_at < " + b.Bind(Unix(*q.until));
  return b;
}

// With no words there is no relevance: newest first, evidence ties too (as in SQLite).
std::string OrderBy(SearchSort sort, bool has_words) {
  if (!has_words) {
    return sort == SearchSort::kEvidence
               ? "(l.confirmations - l.contradictions) DESC, l.created_at DESC, l.id DESC"
               : "l.created_at DESC, l.id DESC";
  }
  switch (sort) {
    case SearchSort::kEvidence:
      return "(l.confirmations - l.contradictions) DESC, rank DESC, l.id";
    case SearchSort::kNewest:
      return "l.created_at DESC, l.id DESC";
    case SearchSort::kRelevance:
      break;
  }
  return "rank DESC, l.id";
}

struct RankedId {
  LessonId id;
  double score;
};

// Frequent words (bot/domain.h): true when every word is in more than 1 in kFrequentWordOneIn
// of the workspace's lessons. `total` lessons hold all the words (and the filters), so each word
// is in at least that many: when they are already more than 1 in kFrequentWordOneIn, no word
// needs counting (a frequent word's count reads most of the table).
bool AllWordsFrequent(PgConnection& conn, const LessonQuery& q,
                      const std::vector<std::string>& words, std::int64_t total) {
  PgParams ws;
  ws.Add(std::int64_t{q.workspace_id});
  const std::int64_t lessons =
      conn.Exec("SELECT count(*) FROM lessons WHERE workspace_id = $1", ws).Int(0, 0);
  if (total * kFrequentWordOneIn > lessons) return true;
  // Each word is counted only up to the first lesson past the bound: enough to know it is
  // frequent, without reading all of a near-stopword's lessons.
  const std::int64_t enough = lessons / kFrequentWordOneIn + 1;
  for (const std::string& word : words) {
    PgParams p;
    p.Add(std::int64_t{q.workspace_id});
    p.Add(word);
    p.Add(enough);
    const std::int64_t holding =
        conn.Exec(std::string("SELECT count(*) FROM (SELECT 1 FROM lessons WHERE workspace_id = $1 "
                              "AND search @@ plainto_tsquery(") +
                      kConfig + ", $2) LIMIT $3) AS holding",
                  p)
            .Int(0, 0);
    if (holding * kFrequentWordOneIn <= lessons) return false;
  }
  return true;
}

// Counts the matches and returns the page's (id, score) in order; with frequent words only the
// newest kFrequentRankedAmong matches are ranked (*ranked_among is set then), as in SQLite: one
// statement takes them newest first (the primary key read backwards, stopping at the last one
// needed) and ranks them.
int Page(PgConnection& conn, Built b, const LessonQuery& q, const std::vector<std::string>& words,
         std::vector<RankedId>* page, int* ranked_among) {
  *ranked_among = 0;
  const int total = static_cast<int>(
      conn.Exec("SELECT count(*) FROM lessons AS l WHERE " + b.where, b.params).Int(0, 0));
  if (total == 0 || q.limit <= 0) return total;
  const bool has_words = !b.tsquery.empty();
  std::string from = "lessons AS l WHERE " + b.where;
  std::int64_t limit_value = q.limit;
  if (total > kFrequentRankedAmong && has_words && q.sort == SearchSort::kRelevance &&
      AllWordsFrequent(conn, q, words, total)) {
    *ranked_among = kFrequentRankedAmong;
    limit_value = std::min<std::int64_t>(limit_value, kFrequentRankedAmong - q.offset);
    if (limit_value <= 0) return total;
    from = "(SELECT l.id, l.search FROM lessons AS l WHERE " + b.where +
           " ORDER BY l.id DESC LIMIT " + b.Bind(std::int64_t{kFrequentRankedAmong}) + ") AS l";
  }
  const std::string rank = has_words ? "ts_rank_cd(l.search, " + b.tsquery + ")" : "0";
  const std::string limit = b.Bind(limit_value);
  const std::string offset = b.Bind(std::int64_t{q.offset});
  PgResult r = conn.Exec("SELECT l.id, " + rank + " AS rank FROM " + from +
                             " ORDER BY " + OrderBy(q.sort, has_words) + " LIMIT " + limit +
                             " OFFSET " + offset,
                         b.params);
  for (int i = 0; i < r.rows(); ++i) page->push_back({r.Int(i, 0), -r.Double(i, 1)});
  return total;
}

bool HasAlnum(std::string_view s) { return HasSearchableCharacter(s); }

// ts_headline's fragment as snippet parts, with "…" where the text goes on before or after it.
std::vector<SnippetPart> HeadlineSnippet(const std::string& source, const std::string& marked) {
  std::string plain;
  for (char c : marked) {
    if (c != sqlite::kHighlightOpen && c != sqlite::kHighlightClose) plain.push_back(c);
  }
  if (plain.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  std::string out = marked;
  const size_t at = source.find(plain);
  if (at != std::string::npos) {
    if (HasAlnum(std::string_view(source).substr(0, at))) out = "…" + out;
    if (HasAlnum(std::string_view(source).substr(at + plain.size()))) out += "…";
  }
  return sqlite::SplitSnippet(out);
}

}  // namespace

Result<SearchPage> PgStore::Search(PgConnection& conn, const LessonQuery& query) {
  SearchPage result;
  LessonQuery q = query;
  q.limit = std::clamp(q.limit, 0, kMaxLimit);
  q.offset = std::max(q.offset, 0);
  if (!q.campaign.empty() && !HasSearchableCharacter(CleanText(q.campaign))) {
    return result;  // a campaign name without letters or digits matches no campaign
  }
  const std::vector<std::string> words = sqlite::SearchableWords(q.words);

  Built built = BuildWhere(q, words, WordJoin::kAll);
  std::vector<RankedId> page;
  result.total = Page(conn, built, q, words, &page, &result.ranked_among);
  if (result.total == 0 && words.size() >= 2) {
    built = BuildWhere(q, words, WordJoin::kAny);
    result.total = Page(conn, built, q, words, &page, &result.ranked_among);
    result.any_words = result.total > 0;
  }
  if (page.empty()) return result;

  // The page's rows and snippets in one statement; the ids come back in any order.
  std::string ids = "{";
  for (size_t i = 0; i < page.size(); ++i) {
    if (i > 0) ids += ",";
    ids += std::to_string(page[i].id);
  }
  ids += "}";
  const std::string ids_param = built.Bind(ids);
  std::string snippet = "''";
  if (!words.empty()) {
    const std::string options = built.Bind(
        std::string("StartSel=") + sqlite::kHighlightOpen + ", StopSel=" +
        sqlite::kHighlightClose + ", MaxWords=" + std::to_string(kSnippetWords) +
        ", MinWords=" + std::to_string(kSnippetWords / 2) + ", MaxFragments=1");
    snippet = std::string("ts_headline(") + kConfig +
              ", CASE WHEN l.body = '' THEN l.title ELSE l.body END, " + built.tsquery + ", " +
              options + ")";
  }
  std::string columns;
  for (std::string_view rest = kLessonColumns; !rest.empty();) {
    const size_t comma = rest.find(", ");
    columns += (columns.empty() ? "l." : ", l.") + std::string(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  PgResult rows = conn.Exec("SELECT " + columns + ", " + snippet + " FROM lessons AS l WHERE " +
                                built.where + " AND l.id = ANY(" + ids_param + "::bigint[])",
                            built.params);
  std::map<LessonId, int> row_of;
  for (int i = 0; i < rows.rows(); ++i) row_of[rows.Int(i, 0)] = i;
  for (const RankedId& r : page) {
    auto it = row_of.find(r.id);
    if (it == row_of.end()) continue;  // cannot happen inside the snapshot
    SearchHit hit;
    hit.lesson = ReadLesson(rows, it->second);
    hit.score = r.score;
    const std::string& source = hit.lesson.body.empty() ? hit.lesson.title : hit.lesson.body;
    if (!words.empty()) hit.snippet = HeadlineSnippet(source, rows.Text(it->second, 13));
    if (hit.snippet.empty()) hit.snippet = sqlite::PlainSnippet(source, kSnippetWords);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

Result<SearchPage> PgStore::SearchLessons(const LessonQuery& query) {
  return Guarded("searching lessons", [&]() -> Result<SearchPage> {
    PgLease lease = pool_->Lease();
    // Count, page and rows from one snapshot.
    PgTransaction snapshot(lease.conn(), "ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return Search(lease.conn(), query);
  });
}

}  // namespace lessonbook::pg
