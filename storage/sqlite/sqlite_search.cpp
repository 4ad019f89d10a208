// SqliteStore::SearchLessons: full-text search over the FTS5 index, scoped inside the MATCH.
//
// Query shape (fast with 100,000 lessons): the FTS table ranks in a subquery that returns only
// the page's rowids (ORDER BY score LIMIT/OFFSET, joined to `lessons` only when a filter or the
// sort needs its columns); the page's lessons are then read by id and their snippets computed
// from their text and the words (storage/sqlite/snippet_maker.h), not on the shared index.
// A relevance search is scored by lb_bm25 (storage/sqlite/fts_rank.h), which also counts the
// rows it scores: that count is `total`. Other searches count all matches in a second query:
// from the FTS index alone, or, when exact filters (tags, author, dates) must be checked, joined
// to the narrow index of migration 0010 rather than to the lesson rows. A listing by tags is one
// index range of lesson_tags (migration 0011, TagPage); other listings by filters alone with many
// matches walk the newest-first index instead of sorting them (WalkNewestIndex).
//
// Frequent words (bot/domain.h): when more than kFrequentRankedAmong lessons match a relevance
// search and every word is in more than 1 in kFrequentWordOneIn of the workspace's lessons
// (counts kept per generation in TermCounts), the rowid of the kFrequentRankedAmong-th newest
// match is found first, with the total: from the words' bitmaps (storage/sqlite/word_rows.h,
// read at a word's second search of a generation, or its first in one that lasted) when the
// MATCH is the words alone, else in one walk of the index that scores nothing (`count(*),
// lb_kth_largest(rowid, 500)`, storage/sqlite/kth_largest.h); the ranking query gets
// `rowid >= it` inside the FTS scan, so bm25 scores 500 rows, not 80,000. With the bitmaps
// those rows are ranked in memory instead (RankFromKeptRows, storage/sqlite/frequent_rank.h):
// each word's weighted frequency per row is kept in its bitmap and the rows' lengths in
// RowLengths, so FTS5 walks no doclist at all; the scores are lb_bm25's to the bit. Middle
// words (each in more than 1 in kKeptWordOneIn of the workspace's lessons) are ranked over every
// match from their kept rows the same way. Kept rows hold frequencies only in workspaces of up
// to kFrequenciesKeptUpTo lessons.
//
// When the MATCH is the words alone (single-workspace scope) or the workspace scope and the
// words (no filter), lb_bm25 is fed every phrase's document count from TermCounts: bm25's own
// scores without its doclist walk per phrase (the scope's walk covers the workspace's every
// lesson).
//
// When no word of the search is in the ws, outcome or author column of any lesson (counted per
// generation), the words go without their `{title body tags campaign}` filter: the same rows and
// scores, without FTS5 decoding every row's positions to check its columns (WordColumns).
//
// Two things before that, in the same read transaction (migration 0007's lesson_generations):
// - pages are cached per (normalized query, lesson generation), so a repeated search costs one
//   small read until a lesson changes (any workspace's: bm25's statistics span them all);
// - when no other workspace ever had a lesson, the workspace scope is left out of the MATCH: it
//   would match every row, and FTS5 would walk its whole doclist for bm25's counts on every
//   query (4-5x the cost of a rare word at 10,000 lessons). Scores are the same (weight 0).
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/frequent_rank.h"
#include "storage/sqlite/fts_query.h"
#include "storage/sqlite/fts_rank.h"
#include "storage/sqlite/kth_largest.h"
#include "storage/sqlite/lessons_state.h"
#include "storage/sqlite/row_bitmap.h"
#include "storage/sqlite/row_lengths.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/search_cache.h"
#include "storage/sqlite/snippet.h"
#include "storage/sqlite/snippet_maker.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/term_counts.h"
#include "storage/sqlite/word_rows.h"

namespace lessonbook::sqlite {
namespace {

constexpr int kMaxLimit = 1000;
// A search's words may go without their column filter (WordColumns) when its first word is in
// more than 1 in this many of the workspace's lessons: the middle and common words.
constexpr std::int64_t kColumnsCheckedFromOneIn = 1000;
constexpr int kSnippetTokens = 16;
// A search whose every word is in more than 1 in this many of the workspace's lessons (middle and
// frequent words) is ranked from its words' kept rows when they hold their frequencies.
constexpr std::int64_t kKeptWordOneIn = 1000;
// Kept rows hold their frequencies only in a workspace of at most this many lessons. A bitmap
// spans the Book (with its ranks 19 KB at 100,000 lessons, 187 KB at 1,000,000) and the
// frequencies are 2 bytes a matching row: at 1M the frequent words' alone would be 108 MiB, most
// sets went without them past half the budget, reading them cost 2.6 times a bitmap's (85 ms for
// a word in 82% of the lessons), and a cold 1M mix loop was slower (3.1 → 3.6 ms a search, its
// peak memory 38 → 80 MB). Above it the kept rows are bitmaps only, as before.
constexpr std::int64_t kFrequenciesKeptUpTo = 250000;

// The exact filters checked in SQL on `l` (lessons): tags, author, since, until. Tags and author
// are also in the MATCH (which narrows fast) but a phrase match is not an exact match ("pages" is
// in "landing-pages"), so they are checked here too.
struct SqlFilters {
  std::vector<std::string> tags;  // normalized
  std::string author;
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;

  bool empty() const { return tags.empty() && author.empty() && !since && !until; }

  std::string Where() const {
    std::string sql;
    for (size_t i = 0; i < tags.size(); ++i) {
      sql += " AND instr(' ' || l.tags || ' ', ?) > 0";
    }
    if (!author.empty()) sql += " AND l.author = ?";
    if (since) sql += " AND l.created_at >= ?";
    if (until) sql += " AND l.created_at < ?";
    return sql;
  }

  // Binds the Where() parameters from index *next on.
  void Bind(SQLite::Statement& s, int* next) const {
    for (const std::string& tag : tags) s.bind((*next)++, " " + tag + " ");
    if (!author.empty()) s.bind((*next)++, author);
    if (since) s.bind((*next)++, *since);
    if (until) s.bind((*next)++, *until);
  }
};

SqlFilters FiltersOf(const LessonQuery& q) {
  SqlFilters f;
  for (const std::string& tag : q.tags) {
    std::string t = NormalizeTag(tag);
    if (t.find_first_not_of(' ') != std::string::npos) f.tags.push_back(std::move(t));
  }
  f.author = ValidUtf8(q.author);
  if (q.since) f.since = Unix(*q.since);
  if (q.until) f.until = Unix(*q.until);
  return f;
}

// With no words bm25 ranks nothing useful: relevance lists newest first, evidence ties too.
std::string FtsOrderBy(SearchSort sort, bool has_words) {
  if (!has_words) {
    return sort == SearchSort::kEvidence
               ? "(l.confirmations - l.contradictions) DESC, l.created_at DESC, l.id DESC"
               : "l.created_at DESC, l.id DESC";
  }
  switch (sort) {
    case SearchSort::kEvidence:
      return "(l.confirmations - l.contradictions) DESC, rank, l.id";
    case SearchSort::kNewest:
      return "l.created_at DESC, l.id DESC";
    case SearchSort::kRelevance:
      break;
  }
  return "rank, lessons_fts.rowid";
}

std::string PlainOrderBy(SearchSort sort) {
  if (sort == SearchSort::kEvidence) {
    return "(l.confirmations - l.contradictions) DESC, l.created_at DESC, l.id DESC";
  }
  return "l.created_at DESC, l.id DESC";  // no words: newest first
}

struct RankedId {
  LessonId id;
  double score;
};

// A listing (no words) newest first, when walking the workspace's newest-first index is cheaper
// than joining every match and sorting it: the matches' rowids are taken from the FTS index once
// (IN: a set built in memory), the index is walked from the newest lesson and each entry is
// checked against that set and the exact filters, until the page is full. Listings by outcome,
// author or campaign take it (listings by tag have TagPage): a filter matching 13,000 of 100,000
// lessons cost ~1.5 ms this way instead of ~26 ms; a rare one (few matches) is cheaper joined,
// hence the choice on the expected walk.
bool WalkNewestIndex(bool has_words, const LessonQuery& q, int total,
                     const std::function<std::int64_t()>& workspace_lessons) {
  if (has_words || q.sort == SearchSort::kEvidence) return false;
  // Entries walked ≈ (offset + limit) × lessons / matches; rows joined and sorted = matches.
  const double walked = static_cast<double>(q.offset + q.limit) *
                        static_cast<double>(workspace_lessons()) / static_cast<double>(total);
  return walked < static_cast<double>(total);
}

// A search's matches from its words' kept rows (KeptRowsOf): how many, the kFrequentRankedAmong-th
// newest, and the words' sets (in the MATCH's phrase order).
struct KeptRows {
  CommonRows common;
  std::vector<std::shared_ptr<const RowBitmap>> words;

  bool HaveValues() const {
    return std::all_of(words.begin(), words.end(), [](const auto& w) { return w->has_values(); });
  }
};

// Each row's length (bm25's) and the table's totals: kept in lengths, else the workspace's next
// rows below what is kept are read (lb_row_tokens on a walk of the workspace's scope, newest
// first, RowLengths::kReadAtOnce at most) and kept for the generation. False when rows are still
// not all kept: the index ranks this search, and the next one reads on.
bool RowLengthsOf(Connection& conn, RowLengths& lengths, std::int64_t generation, WorkspaceId ws,
                  const std::vector<std::int64_t>& rows, std::vector<int>* tokens,
                  FtsTotals* totals) {
  if (lengths.Get(generation, ws, rows, tokens, totals)) return true;
  const std::int64_t lowest = rows.back();  // rows are largest first
  const std::int64_t below = lengths.CoveredFrom(generation, ws);
  if (below <= lowest) return false;  // a row past RowLengths::kMaxRowid
  LessonQuery scope_only;
  scope_only.workspace_id = ws;
  CachedStatement read(conn, "SELECT lessons_fts.rowid, " + std::string(kRowTokensFunction) +
                                 "(lessons_fts) FROM lessons_fts WHERE lessons_fts MATCH ? AND "
                                 "lessons_fts.rowid >= ? AND lessons_fts.rowid < ? ORDER BY "
                                 "lessons_fts.rowid DESC LIMIT ?");
  read->bind(1, BuildLessonMatch(scope_only, {}, WordJoin::kAll, WorkspaceScope::kInMatch)
                    .expression);
  read->bind(2, lowest);
  read->bind(3, below);
  read->bind(4, RowLengths::kReadAtOnce);
  std::vector<std::pair<std::int64_t, int>> read_rows;
  while (read->executeStep()) {
    read_rows.emplace_back(read->getColumn(0).getInt64(), read->getColumn(1).getInt());
  }
  const std::optional<FtsTotals> read_totals = conn.Rank().Totals();
  if (!read_totals) return false;
  const bool read_all = static_cast<int>(read_rows.size()) < RowLengths::kReadAtOnce;
  const std::int64_t covered_from = read_all ? lowest : read_rows.back().first;
  lengths.Put(generation, ws, read_rows, covered_from, *read_totals);
  return lengths.Get(generation, ws, rows, tokens, totals);
}

// The page of a search of frequent or middle words ranked from its words' kept rows
// (frequent_rank.h): the rows from lowest up (every match when nullopt). counts: each phrase's
// document count, the workspace scope's first when it is in the MATCH (none, or others: false).
// False when a row's length is not kept yet (RowLengthsOf): the index ranks then.
bool RankFromKeptRows(Connection& conn, RowLengths& lengths, std::int64_t generation,
                      WorkspaceId workspace, const KeptRows& kept,
                      const std::vector<std::int64_t>& counts, std::optional<std::int64_t> lowest,
                      int offset, int limit, std::vector<RankedId>* page) {
  if (counts.size() < kept.words.size() || counts.size() > kept.words.size() + 1) return false;
  KeptRanking ranking;
  for (const auto& w : kept.words) ranking.words.push_back(w.get());
  ranking.rows = CommonRowsFrom(ranking.words, lowest.value_or(0));
  if (ranking.rows.empty()) return true;
  FtsTotals totals;
  if (!RowLengthsOf(conn, lengths, generation, workspace, ranking.rows, &ranking.tokens,
                    &totals)) {
    return false;
  }
  ranking.average_length = totals.AverageLength();
  for (size_t i = counts.size() - kept.words.size(); i < counts.size(); ++i) {
    ranking.idf.push_back(Bm25Idf(totals.rows, counts[i]));
  }
  for (const RankedRow& r : RankKeptRows(ranking, offset, limit)) {
    page->push_back({r.rowid, r.score});
  }
  return true;
}

// Counts the matches and returns the page's (id, score) in order, by the FTS index. A relevance
// search (words, SearchSort::kRelevance) is scored by lb_bm25, which also counts the rows it
// scores: when it scores every match (the usual case) that count is the total and no separate
// count walks the doclists again. When all_words_frequent() and more than kFrequentRankedAmong
// lessons match, only the newest kFrequentRankedAmong are ranked (*ranked_among is set then): the
// total and the lowest rowid to rank are counted first, in one walk (lb_kth_largest), or taken
// from the words' kept rows, which then rank the page too (RankFromKeptRows). phrase_counts()
// may give each phrase's document count (storage/sqlite/fts_rank.h): bm25 is then computed without
// walking the doclists for the IDFs.
int FtsPage(Connection& conn, RowLengths& lengths, std::int64_t generation,
            const std::string& match, bool has_words, const SqlFilters& filters,
            const LessonQuery& q, const std::function<bool()>& all_words_frequent,
            const std::function<bool()>& all_words_kept,
            const std::function<std::optional<KeptRows>(bool need_values)>& kept_rows,
            const std::function<std::vector<std::int64_t>()>& phrase_counts,
            const std::function<std::int64_t()>& workspace_lessons, std::vector<RankedId>* page,
            int* ranked_among) {
  const bool join = !filters.empty() || !has_words || q.sort != SearchSort::kRelevance;
  const std::string from = join ? " FROM lessons_fts JOIN lessons AS l ON l.id = lessons_fts.rowid"
                                : " FROM lessons_fts";
  const std::string where = " WHERE lessons_fts MATCH ?" + filters.Where();
  // What counting reads. Only exact filters need the lessons: a count of the index alone walks
  // its doclists (0.5 ms for 13,000 matches at 100,000 lessons); with filters each match is
  // checked in the narrow index of migration 0010 (~9 ms), not in its whole row (~25 ms).
  const std::string counted =
      filters.empty() ? " FROM lessons_fts"
                      : " FROM lessons_fts JOIN lessons AS l INDEXED BY lessons_filter_columns "
                        "ON l.id = lessons_fts.rowid";
  const auto count_matches = [&] {
    CachedStatement count(conn, "SELECT count(*)" + counted + where);
    int next = 1;
    count->bind(next++, match);
    filters.Bind(*count, &next);
    count->executeStep();
    return count->getColumn(0).getInt();
  };
  *ranked_among = 0;
  const bool by_score = has_words && q.sort == SearchSort::kRelevance;
  if (!by_score || q.limit <= 0) {
    const int total = count_matches();
    if (total == 0 || q.limit <= 0) return total;
    if (WalkNewestIndex(has_words, q, total, workspace_lessons)) {
      CachedStatement list(conn,
                           "SELECT l.id FROM lessons AS l WHERE l.workspace_id = ? AND l.id IN "
                           "(SELECT rowid FROM lessons_fts WHERE lessons_fts MATCH ?)" +
                               filters.Where() + " ORDER BY " + PlainOrderBy(q.sort) +
                               " LIMIT ? OFFSET ?");
      int next = 1;
      list->bind(next++, static_cast<std::int64_t>(q.workspace_id));
      list->bind(next++, match);
      filters.Bind(*list, &next);
      list->bind(next++, q.limit);
      list->bind(next, q.offset);
      while (list->executeStep()) page->push_back({list->getColumn(0).getInt64(), 0.0});
      return total;
    }
    // A listing (no words) is not ranked: bm25 would score every match for nothing.
    const std::string score = has_words ? "rank" : "0.0";
    CachedStatement listed(conn, "SELECT lessons_fts.rowid, " + score + from + where +
                                     " ORDER BY " + FtsOrderBy(q.sort, has_words) +
                                     " LIMIT ? OFFSET ?");
    int next = 1;
    listed->bind(next++, match);
    filters.Bind(*listed, &next);
    listed->bind(next++, q.limit);
    listed->bind(next, q.offset);
    while (listed->executeStep()) {
      page->push_back({listed->getColumn(0).getInt64(), listed->getColumn(1).getDouble()});
    }
    return total;
  }

  const std::vector<std::int64_t> counts = phrase_counts();
  int total = -1;  // -1: counted by lb_bm25 below
  int limit = q.limit;
  std::optional<std::int64_t> lowest;  // the newest kFrequentRankedAmong matches' lowest rowid
  if (all_words_frequent()) {
    // The number of matches and the kFrequentRankedAmong-th newest: from the words' kept rows
    // when kept_rows() has them, else in one walk of the index (kth_largest.h).
    std::optional<KeptRows> kept = filters.empty() ? kept_rows(false) : std::nullopt;
    std::optional<CommonRows> common;
    if (kept) common = kept->common;
    if (!common) {
      CachedStatement nth(conn, "SELECT count(*), " + std::string(kKthLargestFunction) +
                                    "(lessons_fts.rowid, ?)" + counted + where);
      int next = 1;
      nth->bind(next++, kFrequentRankedAmong);
      nth->bind(next++, match);
      filters.Bind(*nth, &next);
      nth->executeStep();
      common = CommonRows{nth->getColumn(0).getInt64(), std::nullopt};
      if (!nth->getColumn(1).isNull()) common->kth_largest = nth->getColumn(1).getInt64();
    }
    total = static_cast<int>(common->count);
    if (total > kFrequentRankedAmong && common->kth_largest) {
      lowest = *common->kth_largest;
      *ranked_among = kFrequentRankedAmong;
      limit = std::min(limit, kFrequentRankedAmong - q.offset);
      if (limit <= 0) return total;
    }
    if (kept && kept->HaveValues() &&
        RankFromKeptRows(conn, lengths, generation, q.workspace_id, *kept, counts, lowest,
                         q.offset, limit, page)) {
      return total;
    }
  } else if (filters.empty() && all_words_kept()) {
    // Middle words: every match ranked from the words' kept rows, when they hold frequencies.
    std::optional<KeptRows> kept = kept_rows(true);
    if (kept && kept->HaveValues() &&
        RankFromKeptRows(conn, lengths, generation, q.workspace_id, *kept, counts,
                         std::nullopt, q.offset, q.limit, page)) {
      return static_cast<int>(kept->common.count);
    }
  }
  const std::string hits = counts.empty() ? "" : PhraseHitsArgument(counts);
  CachedStatement ranked(conn, "SELECT lessons_fts.rowid, " + std::string(kFtsRankFunction) +
                                   "(lessons_fts, ?, " + kFtsRankWeights + ") AS score" + from +
                                   where + (lowest ? " AND lessons_fts.rowid >= ?" : "") +
                                   " ORDER BY score, lessons_fts.rowid LIMIT ? OFFSET ?");
  conn.Rank().scored_rows = 0;
  int next = 1;
  if (hits.empty()) {
    ranked->bind(next++);  // NULL: every phrase counted, as bm25
  } else {
    ranked->bind(next++, hits);
  }
  ranked->bind(next++, match);
  filters.Bind(*ranked, &next);
  if (lowest) ranked->bind(next++, *lowest);
  ranked->bind(next++, limit);
  ranked->bind(next, q.offset);
  // The sort takes every scored row before it returns the first: the count is complete then.
  while (ranked->executeStep()) {
    page->push_back({ranked->getColumn(0).getInt64(), ranked->getColumn(1).getDouble()});
  }
  return total >= 0 ? total : static_cast<int>(conn.Rank().scored_rows);
}

// A listing by tags: no words, no campaign (a phrase only the FTS index can match), not by
// evidence. Such a listing is one index range of lesson_tags (migration 0011).
bool ListsByTagIndex(const LessonQuery& q, const std::vector<std::string>& words,
                     const SqlFilters& filters) {
  return words.empty() && !filters.tags.empty() && q.campaign.empty() &&
         q.sort != SearchSort::kEvidence;
}

// Counts and pages a listing by tags from lesson_tags, newest first: the rows of the first tag in
// the date range, the other tags, outcome and author checked on those rows (exact, as the FTS
// path's filters; no lesson row is read). Tag-and-date listings at 100,000 lessons: ~1 ms an
// answer.
int TagPage(Connection& conn, const SqlFilters& filters, const LessonQuery& q,
            std::vector<RankedId>* page) {
  std::string where = " FROM lesson_tags AS t WHERE t.workspace_id = ? AND t.tag = ?";
  for (size_t i = 1; i < filters.tags.size(); ++i) {
    where +=
        " AND EXISTS (SELECT 1 FROM lesson_tags AS o WHERE o.workspace_id = t.workspace_id AND "
        "o.tag = ? AND o.created_at = t.created_at AND o.lesson_id = t.lesson_id)";
  }
  if (q.outcome) where += " AND t.outcome = ?";
  if (!filters.author.empty()) where += " AND t.author = ?";
  if (filters.since) where += " AND t.created_at >= ?";
  if (filters.until) where += " AND t.created_at < ?";
  const auto bind = [&](SQLite::Statement& s) {
    int next = 1;
    s.bind(next++, static_cast<std::int64_t>(q.workspace_id));
    for (const std::string& tag : filters.tags) s.bind(next++, tag);
    if (q.outcome) s.bind(next++, OutcomeName(*q.outcome));
    if (!filters.author.empty()) s.bind(next++, filters.author);
    if (filters.since) s.bind(next++, *filters.since);
    if (filters.until) s.bind(next++, *filters.until);
    return next;
  };
  int total = 0;
  {
    CachedStatement count(conn, "SELECT count(*)" + where);
    bind(*count);
    count->executeStep();
    total = count->getColumn(0).getInt();
  }
  if (total == 0 || q.limit <= 0) return total;
  CachedStatement list(conn, "SELECT t.lesson_id" + where +
                                 " ORDER BY t.created_at DESC, t.lesson_id DESC LIMIT ? OFFSET ?");
  int next = bind(*list);
  list->bind(next++, q.limit);
  list->bind(next, q.offset);
  while (list->executeStep()) page->push_back({list->getColumn(0).getInt64(), 0.0});
  return total;
}

// The same without the FTS index: a listing of the workspace's lessons (no words, no filter
// the index must check).
int PlainPage(Connection& conn, const SqlFilters& filters, const LessonQuery& q,
              std::vector<RankedId>* page) {
  const std::string from_where = " FROM lessons AS l WHERE l.workspace_id = ?" + filters.Where();
  int total = 0;
  {
    CachedStatement count(conn, "SELECT count(*)" + from_where);
    int next = 1;
    count->bind(next++, static_cast<std::int64_t>(q.workspace_id));
    filters.Bind(*count, &next);
    count->executeStep();
    total = count->getColumn(0).getInt();
  }
  if (total == 0 || q.limit <= 0) return total;
  CachedStatement list(
      conn, "SELECT l.id" + from_where + " ORDER BY " + PlainOrderBy(q.sort) + " LIMIT ? OFFSET ?");
  int next = 1;
  list->bind(next++, static_cast<std::int64_t>(q.workspace_id));
  filters.Bind(*list, &next);
  list->bind(next++, q.limit);
  list->bind(next, q.offset);
  while (list->executeStep()) page->push_back({list->getColumn(0).getInt64(), 0.0});
  return total;
}

// Each hit's snippet: its lesson's body (its title when it has none) cut around the search's
// words, with the words marked, as FTS5's snippet() marks them (snippet_maker.h).
void FtsSnippets(Connection& conn, const std::vector<std::string>& words,
                 std::vector<SearchHit>& hits) {
  std::vector<std::string_view> texts;
  for (const SearchHit& hit : hits) {
    texts.push_back(hit.lesson.body.empty() ? hit.lesson.title : hit.lesson.body);
  }
  const std::vector<std::string> marked =
      conn.Snippets().Snippets(texts, words, std::string_view(&kHighlightOpen, 1),
                               std::string_view(&kHighlightClose, 1), "…", kSnippetTokens);
  for (size_t i = 0; i < hits.size(); ++i) hits[i].snippet = SplitSnippet(marked[i]);
}

LessonQuery Clamped(const LessonQuery& query) {
  LessonQuery q = query;
  q.limit = std::clamp(q.limit, 0, kMaxLimit);
  q.offset = std::max(q.offset, 0);
  return q;
}

// The cache key: everything that decides a page, normalized the way the search uses it.
std::string CacheKey(const LessonQuery& query) {
  const LessonQuery q = Clamped(query);
  const std::vector<std::string> words = SearchableWords(q.words);
  const SqlFilters filters = FiltersOf(q);
  std::string key = BuildLessonMatch(q, words, WordJoin::kAll).expression;
  key += '\x1f';
  for (const std::string& t : filters.tags) key += t + '\x1e';
  key += '\x1f' + filters.author + '\x1f' + (filters.since ? std::to_string(*filters.since) : "-");
  key += '\x1f' + (filters.until ? std::to_string(*filters.until) : "-");
  key += '\x1f' + CleanText(q.campaign);
  key += '\x1f' + std::to_string(static_cast<int>(q.sort)) + '\x1f' + std::to_string(q.limit) +
         '\x1f' + std::to_string(q.offset);
  return key;
}

// How many of the workspace's lessons hold `word` (scope as the search's), and how many lessons
// it has: counted on the reader inside the search's snapshot, kept per generation.
std::int64_t CountOnce(TermCounts& counts, std::int64_t generation, const std::string& key,
                       const std::function<std::int64_t()>& count) {
  if (std::optional<std::int64_t> known = counts.Get(key, generation)) return *known;
  const std::int64_t n = count();
  counts.Put(key, generation, n);
  return n;
}

// How many rows of the FTS index match expression.
std::int64_t IndexCount(Connection& conn, const std::string& expression) {
  CachedStatement s(conn, "SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH ?");
  s->bind(1, expression);
  s->executeStep();
  return s->getColumn(0).getInt64();
}

// The key of a word of a workspace in TermCounts and WordRows.
std::string WordKey(WorkspaceId ws, const std::string& word) {
  return std::to_string(ws) + '\x1f' + word;
}

// The workspace's lessons holding word (in title, body, tags or campaign), read into a bitmap;
// null when they lie too far apart for one (RowBitmap::kMaxWords). columns as the search's (the
// same rows either way, WordColumns): without the column filter FTS5 does not decode every row's
// positions.
std::shared_ptr<const RowBitmap> ReadWordRows(Connection& conn, WorkspaceId ws,
                                              const std::string& word, WorkspaceScope scope,
                                              WordColumns columns, bool with_values) {
  LessonQuery scope_only;
  scope_only.workspace_id = ws;
  // An auxiliary function cannot be an aggregate's argument: it runs in a subquery that is not
  // flattened into the aggregate (LIMIT -1), a co-routine, with nothing materialized. Without
  // the values FTS5 need not decode the rows' positions (2.6 times faster).
  CachedStatement s(conn, with_values ? "SELECT " + std::string(kRowBitmapFunction) +
                                            "(r, w) FROM (SELECT rowid AS r, " +
                                            kPhraseWeightFunction + "(lessons_fts, " +
                                            kFtsRankWeights +
                                            ") AS w FROM lessons_fts WHERE lessons_fts MATCH ? "
                                            "LIMIT -1)"
                                      : "SELECT " + std::string(kRowBitmapFunction) +
                                            "(rowid) FROM lessons_fts WHERE lessons_fts MATCH ?");
  s->bind(1, BuildLessonMatch(scope_only, {word}, WordJoin::kAll, scope, columns).expression);
  s->executeStep();
  const SQLite::Column blob = s->getColumn(0);
  if (!blob.isNull() && !blob.isBlob()) return nullptr;  // too far apart
  std::optional<RowBitmap> read = RowBitmap::FromBlob(std::string_view(
      static_cast<const char*>(blob.getBlob()), static_cast<size_t>(blob.getBytes())));
  if (!read) throw SQLite::Exception("lb_row_bitmap returned a malformed set");  // a bug
  return std::make_shared<const RowBitmap>(std::move(*read));
}

// How many of the workspace's lessons hold every word, and the kFrequentRankedAmong-th newest of
// them, from the words' bitmaps kept in rows. A word's bitmap is read on its second search of a
// generation (the first counts in SQL, as cheap as that search alone), so writes between
// searches never cost more than before; in a generation that lasted, on its first
// (WordRows::SearchedBefore). Sets read now hold their frequencies when
// values_allowed and rows keeps them (WordRows::KeepsValues); need_values: nullopt rather than
// read sets without them (middle words gain nothing from those). nullopt: count in SQL.
std::optional<KeptRows> KeptRowsOf(Connection& conn, WordRows& rows, std::int64_t generation,
                                   WorkspaceId ws, const std::vector<std::string>& words,
                                   WorkspaceScope scope, WordColumns columns, bool need_values,
                                   bool values_allowed) {
  if (words.empty()) return std::nullopt;
  std::vector<std::shared_ptr<const RowBitmap>> sets(words.size());
  std::vector<size_t> missing;
  bool first_search = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string key = WordKey(ws, words[i]);
    sets[i] = rows.Get(key, generation);
    if (sets[i] != nullptr) continue;
    if (rows.Full(generation)) return std::nullopt;
    if (!rows.SearchedBefore(key, generation)) first_search = true;  // noted for the next one
    missing.push_back(i);
  }
  if (first_search) return std::nullopt;
  const bool with_values = values_allowed && rows.KeepsValues(generation);
  if (need_values && !missing.empty() && !with_values) return std::nullopt;
  for (size_t i : missing) {
    sets[i] = ReadWordRows(conn, ws, words[i], scope, columns, with_values);
    if (sets[i] == nullptr) {  // too far apart: no bitmaps until the next write
      rows.Refuse(generation);
      return std::nullopt;
    }
    rows.Put(WordKey(ws, words[i]), generation, sets[i]);
  }
  std::vector<const RowBitmap*> all;
  for (const auto& set : sets) all.push_back(set.get());
  return KeptRows{CountCommonRows(all, kFrequentRankedAmong), std::move(sets)};
}

// How many of the workspace's lessons hold word (in title, body, tags or campaign).
std::int64_t WordCount(Connection& conn, TermCounts& counts, std::int64_t generation,
                       WorkspaceId ws, const std::string& word, WorkspaceScope scope) {
  return CountOnce(counts, generation, WordKey(ws, word), [&] {
    LessonQuery scope_only;
    scope_only.workspace_id = ws;
    return IndexCount(conn, BuildLessonMatch(scope_only, {word}, WordJoin::kAll, scope).expression);
  });
}

// How many lessons of every workspace hold word: bm25's document count for the word's phrase
// when the workspace scope is in the MATCH (bm25 counts over the whole table).
std::int64_t TableWordCount(Connection& conn, TermCounts& counts, std::int64_t generation,
                            const std::string& word) {
  return CountOnce(counts, generation, "*\x1f" + word, [&] {
    return IndexCount(
        conn, BuildLessonMatch(LessonQuery{}, {word}, WordJoin::kAll, WorkspaceScope::kOmitted)
                  .expression);
  });
}

// How many lessons the workspace has, kept per generation.
std::int64_t WorkspaceLessons(Connection& conn, TermCounts& counts, std::int64_t generation,
                              WorkspaceId ws) {
  return CountOnce(counts, generation, std::to_string(ws), [&] {
    CachedStatement s(conn, "SELECT count(*) FROM lessons WHERE workspace_id = ?");
    s->bind(1, static_cast<std::int64_t>(ws));
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

// Whether no word is in the ws, outcome or author column of any lesson (counted once per
// generation), so the words may go without their column filter (WordColumns, fts_query.h).
WordColumns ColumnsOfWords(Connection& conn, TermCounts& counts, std::int64_t generation,
                           const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    const std::int64_t outside = CountOnce(counts, generation, "x\x1f" + word, [&] {
      return IndexCount(conn, OutsideTextMatch(word));
    });
    if (outside > 0) return WordColumns::kText;
  }
  return WordColumns::kAnyColumn;
}

// Whether every word is in more than 1 in one_in of the workspace's lessons.
bool AllWordsInMoreThan(Connection& conn, TermCounts& counts, std::int64_t generation,
                        const LessonQuery& q, const std::vector<std::string>& words,
                        WorkspaceScope scope, std::int64_t one_in) {
  const std::int64_t lessons = WorkspaceLessons(conn, counts, generation, q.workspace_id);
  for (const std::string& word : words) {
    const std::int64_t holding = WordCount(conn, counts, generation, q.workspace_id, word, scope);
    if (holding * one_in <= lessons) return false;
  }
  return true;
}

}  // namespace

Result<SearchPage> SqliteStore::Search(Connection& conn, const LessonQuery& query,
                                       WorkspaceScope scope, TermCounts& counts, WordRows& rows,
                                       RowLengths& lengths, std::int64_t generation) {
  SearchPage result;
  conn.Rank().UseGeneration(generation);  // lb_bm25's kept token counts are this snapshot's
  LessonQuery q = Clamped(query);
  if (!q.campaign.empty() && !HasSearchableCharacter(CleanText(q.campaign))) {
    return result;  // a campaign name without letters or digits matches no campaign
  }
  const std::vector<std::string> words = SearchableWords(q.words);
  const SqlFilters filters = FiltersOf(q);

  // The column filter is dropped only where it costs: its check counts each word outside the
  // text once per generation, more than a rare word's whole search saves (100k rare: +10% CPU).
  WordColumns columns = WordColumns::kText;
  if (!words.empty() && WordCount(conn, counts, generation, q.workspace_id, words.front(), scope) *
                                kColumnsCheckedFromOneIn >
                            WorkspaceLessons(conn, counts, generation, q.workspace_id)) {
    columns = ColumnsOfWords(conn, counts, generation, words);
  }
  LessonMatch match = BuildLessonMatch(q, words, WordJoin::kAll, scope, columns);
  std::vector<RankedId> page;
  const auto all_words_frequent = [&] {
    return AllWordsInMoreThan(conn, counts, generation, q, words, scope, kFrequentWordOneIn);
  };
  // Whether the workspace's kept rows may hold their frequencies.
  const auto frequencies_kept = [&] {
    return WorkspaceLessons(conn, counts, generation, q.workspace_id) <= kFrequenciesKeptUpTo;
  };
  const auto all_words_kept = [&] {
    return frequencies_kept() &&
           AllWordsInMoreThan(conn, counts, generation, q, words, scope, kKeptWordOneIn);
  };
  // Each phrase's document count, when the MATCH is the words alone over the whole table
  // (WorkspaceScope::kOmitted, no filter: the counts AllWordsInMoreThan keeps are then exactly
  // what bm25 counts) or the workspace scope and the words (the scope's count is the workspace's
  // lessons; each word's is counted over every workspace, as bm25 does).
  // Whether the MATCH is the words joined by `join` (and the scope) alone: no filter in it.
  const auto match_is_words = [&](WordJoin join) {
    LessonQuery words_only;
    words_only.workspace_id = q.workspace_id;
    return BuildLessonMatch(words_only, words, join, scope, columns).expression ==
           match.expression;
  };
  const auto phrase_counts = [&]() -> std::vector<std::int64_t> {
    if (!match_is_words(WordJoin::kAll) && !match_is_words(WordJoin::kAny)) return {};
    std::vector<std::int64_t> hits;
    if (scope == WorkspaceScope::kInMatch) {
      hits.push_back(WorkspaceLessons(conn, counts, generation, q.workspace_id));
      for (const std::string& word : words) {
        hits.push_back(TableWordCount(conn, counts, generation, word));
      }
    } else {
      for (const std::string& word : words) {
        hits.push_back(WordCount(conn, counts, generation, q.workspace_id, word, scope));
      }
    }
    return hits;
  };
  // The count and the bound from the words' kept rows, when the MATCH is the words (and the
  // scope) alone: the rows of an AND of words are the rows every word matches.
  const auto kept_rows = [&](bool need_values) -> std::optional<KeptRows> {
    if (!match_is_words(WordJoin::kAll)) return std::nullopt;
    return KeptRowsOf(conn, rows, generation, q.workspace_id, words, scope, columns, need_values,
                      frequencies_kept());
  };
  const auto workspace_lessons = [&] {
    return WorkspaceLessons(conn, counts, generation, q.workspace_id);
  };
  if (ListsByTagIndex(q, words, filters)) {
    result.total = TagPage(conn, filters, q, &page);
  } else if (match.scope_only) {
    result.total = PlainPage(conn, filters, q, &page);
  } else {
    result.total = FtsPage(conn, lengths, generation, match.expression, !words.empty(), filters,
                           q, all_words_frequent, all_words_kept, kept_rows, phrase_counts,
                           workspace_lessons, &page, &result.ranked_among);
    if (result.total == 0 && words.size() >= 2) {
      match = BuildLessonMatch(q, words, WordJoin::kAny, scope, columns);
      result.total = FtsPage(conn, lengths, generation, match.expression, !words.empty(),
                             filters, q, all_words_frequent, all_words_kept, kept_rows,
                             phrase_counts, workspace_lessons, &page, &result.ranked_among);
      result.any_words = result.total > 0;
    }
  }

  for (const RankedId& r : page) {
    std::optional<Lesson> lesson = LoadLesson(conn, q.workspace_id, r.id);
    if (!lesson) continue;  // cannot happen inside the read transaction
    SearchHit& hit = result.hits.emplace_back();
    hit.lesson = std::move(*lesson);
    hit.score = r.score;
  }
  if (!words.empty()) FtsSnippets(conn, words, result.hits);
  for (SearchHit& hit : result.hits) {
    if (hit.snippet.empty()) {  // no words to highlight: the start of the text
      const Lesson& l = hit.lesson;
      hit.snippet = PlainSnippet(l.body.empty() ? l.title : l.body, kSnippetTokens);
    }
  }
  return result;
}

Result<SearchPage> SqliteStore::SearchLessons(const LessonQuery& query) {
  return Guarded("searching lessons", [&]() -> Result<SearchPage> {
    ConnectionLease reader = pool_->Reader();
    // Generation, count, page and rows from one snapshot: a page computed here is right for
    // exactly the generation read here.
    ReadSnapshot snapshot(reader.conn());
    const LessonsState state = ReadLessonsState(reader.conn(), query.workspace_id);
    const WorkspaceScope scope = state.Scope();
    const std::string key = CacheKey(query);
    if (std::optional<SearchPage> cached = search_cache_->Get(key, state.generation)) {
      return std::move(*cached);
    }
    Result<SearchPage> page = Search(reader.conn(), query, scope, *term_counts_, *word_rows_,
                                       *row_lengths_, state.generation);
    if (page.ok()) search_cache_->Put(key, state.generation, *page);
    return page;
  });
}

}  // namespace lessonbook::sqlite
