// RankKeptRows: bm25's order of the rows every word of a frequent-word search matches, computed
// from the words' kept rows (RowBitmap with each row's weighted frequency of the word) instead of
// FTS5's index. Such a search ranks only its kFrequentRankedAmong newest matches (bot/domain.h);
// walking the words' doclists for those rows' positions was ~80% of its cost (0.5 ms at 100,000
// lessons), and scoring them from the kept values takes microseconds.
//
// The scores are lb_bm25's (storage/sqlite/fts_rank.h) to the last bit: the same per-phrase
// frequencies (the sum of the weights of the word's instances, an integer with these weights),
// the same IDFs, row lengths and average length, the same expression (Bm25Term) summed in the
// MATCH's phrase order; ties go by rowid, as the SQL's ORDER BY score, rowid.
//
// Thread-safety: a pure function of its arguments.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/sqlite/row_bitmap.h"

namespace lessonbook::sqlite {

struct RankedRow {
  std::int64_t rowid;
  double score;  // as lb_bm25's: lower ranks first
};

// The rows to rank and what bm25 needs of them.
struct KeptRanking {
  std::vector<const RowBitmap*> words;  // one per phrase, in the MATCH's order, each has_values()
  std::vector<double> idf;              // per phrase (Bm25Idf)
  double average_length = 0;            // FtsTotals::AverageLength()
  std::vector<std::int64_t> rows;       // every word holds each (CommonRowsFrom)
  std::vector<int> tokens;              // each row's length, as rows
};

// rows ordered by (score, rowid), from offset, at most limit of them.
std::vector<RankedRow> RankKeptRows(const KeptRanking& ranking, int offset, int limit);

}  // namespace lessonbook::sqlite
