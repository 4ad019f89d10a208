// RowLengths: each lesson's length in tokens (bm25's, FTS5's docsize) and the FTS table's row and
// token totals, kept per lesson generation and shared by the store's connections, for ranking a
// frequent-word search from its words' kept rows (storage/sqlite/frequent_rank.h). FTS5 gives a
// row's length only inside a MATCH query (~0.4 µs a row read in a walk of the workspace's scope):
// kept here, a row's length is read once per write, not once per connection or search.
//
// What is kept for a workspace is a suffix of its rows: every row from covered_from up. A search
// needing older rows reads the next ones, newest first, at most kReadAtOnce per search (1 ms), so
// no one search pays for the whole Book (1,000,000 lessons: 0.4 s).
//
// A length is kept by rowid below kMaxRowid (2 bytes each: 200 KB at 100,000 lessons); past it,
// or past 65,534 tokens, it is never kept (the search then ranks in SQL). A newer generation drops
// them all.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "storage/sqlite/fts_rank.h"

namespace lessonbook::sqlite {

class RowLengths {
 public:
  static constexpr std::int64_t kMaxRowid = RowTokenCounts::kMaxRowid;
  static constexpr int kReadAtOnce = 2500;

  // Each row's length into *tokens (as rows) and the totals, when all are kept at generation.
  bool Get(std::int64_t generation, std::int64_t workspace, const std::vector<std::int64_t>& rows,
           std::vector<int>* tokens, FtsTotals* totals);
  // Where the workspace's kept suffix starts at generation (INT64_MAX: nothing kept).
  std::int64_t CoveredFrom(std::int64_t generation, std::int64_t workspace);
  // Keeps the workspace's rows (rowid, tokens), read at generation, which are all its rows from
  // covered_from below the suffix kept so far, and the table's totals.
  void Put(std::int64_t generation, std::int64_t workspace,
           const std::vector<std::pair<std::int64_t, int>>& rows, std::int64_t covered_from,
           FtsTotals totals);

 private:
  void UseGeneration(std::int64_t generation);  // REQUIRES: mu_ held

  std::mutex mu_;
  std::int64_t generation_ = -1;                     // guarded by mu_
  FtsTotals totals_;                                 // guarded by mu_
  std::map<std::int64_t, std::int64_t> covered_;     // guarded by mu_; workspace → covered_from
  RowTokenCounts tokens_;                            // guarded by mu_
};

}  // namespace lessonbook::sqlite
