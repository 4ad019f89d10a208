// lb_bm25: FTS5's bm25 (same formula, same arithmetic) that takes each phrase's document count
// from the caller instead of counting it. FTS5's own bm25 walks the whole doclist of every phrase
// of the query once per query to count the rows holding it (for the IDF) before it scores a row:
// for frequent words that walk is most of a search's cost. Counts known from TermCounts (kept per
// lesson generation) are passed as text ("812,-1,40000": one per phrase in the query's order,
// -1 not known); a phrase without one is counted as bm25 does.
//
// It also counts the rows it scores, in its connection's FtsRankState: a query that scores every
// match before sorting them (ORDER BY score LIMIT n) gets the number of matches for free. And it
// keeps each row's token count (FTS5's docsize, which bm25 needs for every row and FTS5 reads
// with a blob lookup each time: ~80% of lb_bm25's cost) for the lesson generation the search
// sets, so a row scored again at that generation costs no lookup.
//
//   SELECT rowid, lb_bm25(lessons_fts, ?1, 0.0, 10.0, ...) AS score ... ORDER BY score
//   with ?1 = PhraseHitsArgument(counts) (or NULL: every phrase counted, exactly bm25).
//
// Two more auxiliary functions serve the frequent words' kept rows (storage/sqlite/row_bitmap.h),
// which are ranked in memory with the same arithmetic (Bm25Idf, Bm25Term):
//   lb_phrase_weight(lessons_fts, weights...): the row's instances of the query's phrases, each
//     weighted by its column's weight (bm25's per-phrase frequency, for a single word's MATCH);
//   lb_row_tokens(lessons_fts): the row's token count (bm25's length; MATCH queries only).
// They and lb_bm25 note the table's row and token totals (bm25's average length) in the
// FtsRankState.
//
// Thread-safety: RegisterFtsRank once per connection; the functions run on that connection.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace lessonbook::sqlite {

inline constexpr const char* kFtsRankFunction = "lb_bm25";
inline constexpr const char* kPhraseWeightFunction = "lb_phrase_weight";
inline constexpr const char* kRowTokensFunction = "lb_row_tokens";
// The column weights of lessons_fts's rank setting (0001_init.sql), for lb_bm25.
inline constexpr const char* kFtsRankWeights = "0.0, 10.0, 1.0, 4.0, 2.0, 0.0, 0.0";

// bm25's constants (FTS5's).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;

// As FTS5's bm25: IDF = log((N - n + 0.5) / (n + 0.5)), at least 1e-6, for a phrase in n of N rows.
inline double Bm25Idf(std::int64_t rows, std::int64_t hits) {
  const double idf =
      std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
  return idf <= 0.0 ? 1e-6 : idf;
}

// One phrase's share of a row's score (before bm25's final sign): frequency f (weighted), the
// row's length in tokens and the table's average length. lb_bm25 and the in-memory ranking use
// this one expression, so their scores are the same doubles.
inline double Bm25Term(double idf, double f, double length, double avgdl) {
  return idf * ((f * (kBm25K1 + 1.0)) / (f + kBm25K1 * (1 - kBm25B + kBm25B * length / avgdl)));
}

// The FTS table's row count and total tokens (all columns), as bm25 reads them.
struct FtsTotals {
  std::int64_t rows = 0;
  std::int64_t tokens = 0;
  double AverageLength() const { return static_cast<double>(tokens) / static_cast<double>(rows); }
};

// Rows' token counts by rowid: 2 bytes a row up to the largest rowid kept. Rowids from
// kMaxRowid and counts from 65,535 on are never kept.
class RowTokenCounts {
 public:
  static constexpr std::int64_t kMaxRowid = std::int64_t{1} << 24;

  bool Get(std::int64_t rowid, int* tokens) const;
  // False when rowid or tokens are out of range (then nothing is kept).
  bool Keep(std::int64_t rowid, int tokens);
  void Clear() { std::fill(plus_one_.begin(), plus_one_.end(), 0); }

 private:
  std::vector<std::uint16_t> plus_one_;  // by rowid; 0: not kept
};

// What lb_bm25 keeps per connection (one thread at a time, as the connection).
class FtsRankState {
 public:
  // Before a search: the lesson generation its read snapshot sees (lesson_generations row 0,
  // bumped by every lesson write). Token counts kept at another generation are dropped.
  void UseGeneration(std::int64_t generation);
  // Set to 0 before a query; lb_bm25 adds one per row it scores.
  std::int64_t scored_rows = 0;

  // The kept token count of rowid at the current generation, if any.
  bool TokensOf(std::int64_t rowid, int* tokens) const;
  void Keep(std::int64_t rowid, int tokens);

  // The table's totals noted by one of the functions at the current generation.
  std::optional<FtsTotals> Totals() const { return totals_; }
  void KeepTotals(FtsTotals totals) {
    if (generation_ >= 0) totals_ = totals;
  }

 private:
  std::optional<FtsTotals> totals_;  // at generation_
  std::int64_t generation_ = -1;  // -1: none set, nothing kept
  RowTokenCounts tokens_;         // at generation_
};

// Registers lb_bm25 on db with *state (which must outlive db). Returns false when FTS5 is not
// available (then it is not registered).
bool RegisterFtsRank(sqlite3* db, FtsRankState* state);

// The phrase counts argument: one document count per phrase, in the query's phrase order (a
// negative count: not known).
std::string PhraseHitsArgument(const std::vector<std::int64_t>& hits);

}  // namespace lessonbook::sqlite
