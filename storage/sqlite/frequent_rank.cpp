#include "storage/sqlite/frequent_rank.h"

#include <algorithm>

#include "storage/sqlite/fts_rank.h"

namespace lessonbook::sqlite {

std::vector<RankedRow> RankKeptRows(const KeptRanking& ranking, int offset, int limit) {
  std::vector<RankedRow> scored;
  scored.reserve(ranking.rows.size());
  for (size_t r = 0; r < ranking.rows.size(); ++r) {
    const std::int64_t rowid = ranking.rows[r];
    const double length = ranking.tokens[r];
    double score = 0.0;
    for (size_t i = 0; i < ranking.words.size(); ++i) {
      const double f = ranking.words[i]->Value(rowid);
      score += Bm25Term(ranking.idf[i], f, length, ranking.average_length);
    }
    scored.push_back({rowid, -1.0 * score});
  }
  const auto before = [](const RankedRow& a, const RankedRow& b) {
    return a.score < b.score || (a.score == b.score && a.rowid < b.rowid);
  };
  const size_t from = static_cast<size_t>(std::max(offset, 0));
  if (from >= scored.size() || limit <= 0) return {};
  const size_t to = std::min(scored.size(), from + static_cast<size_t>(limit));
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(to), scored.end(),
                    before);
  return std::vector<RankedRow>(scored.begin() + static_cast<std::ptrdiff_t>(from),
                                scored.begin() + static_cast<std::ptrdiff_t>(to));
}

}  // namespace lessonbook::sqlite
