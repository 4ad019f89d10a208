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
// Thread-safety: RegisterFtsRank once per connection; the function runs on that connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;

namespace lessonbook::sqlite {

inline constexpr const char* kFtsRankFunction = "lb_bm25";
// The column weights of lessons_fts's rank setting (0001_init.sql), for lb_bm25.
inline constexpr const char* kFtsRankWeights = "0.0, 10.0, 1.0, 4.0, 2.0, 0.0, 0.0";

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

 private:
  static constexpr std::int64_t kMaxRowid = std::int64_t{1} << 24;  // beyond: not kept
  std::int64_t generation_ = -1;                                    // -1: none set, nothing kept
  std::vector<std::uint16_t> tokens_plus_one_;  // by rowid; 0: not known (or too long to keep)
};

// Registers lb_bm25 on db with *state (which must outlive db). Returns false when FTS5 is not
// available (then it is not registered).
bool RegisterFtsRank(sqlite3* db, FtsRankState* state);

// The phrase counts argument: one document count per phrase, in the query's phrase order (a
// negative count: not known).
std::string PhraseHitsArgument(const std::vector<std::int64_t>& hits);

}  // namespace lessonbook::sqlite
