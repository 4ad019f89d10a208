// lb_bm25: FTS5's bm25 (same formula, same arithmetic) that takes each phrase's document count
// from the caller instead of counting it. FTS5's own bm25 walks the whole doclist of every phrase
// of the query once per query to count the rows holding it (for the IDF) before it scores a row:
// for frequent words that walk is most of a search's cost. Counts known from TermCounts (kept per
// lesson generation) are passed as text ("812,-1,40000": one per phrase in the query's order,
// -1 not known); a phrase without one is counted as bm25 does.
//
// It also counts the rows it scores, in a counter of its connection: a query that scores every
// match before sorting them (ORDER BY score LIMIT n) gets the number of matches for free.
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

// Registers lb_bm25 on db, counting the rows it scores in *scored_rows (which must outlive db).
// Returns false when FTS5 is not available (then it is not registered).
bool RegisterFtsRank(sqlite3* db, std::int64_t* scored_rows);

// The phrase counts argument: one document count per phrase, in the query's phrase order (a
// negative count: not known).
std::string PhraseHitsArgument(const std::vector<std::int64_t>& hits);

}  // namespace lessonbook::sqlite
