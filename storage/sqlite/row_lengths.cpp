#include "storage/sqlite/row_lengths.h"

#include <algorithm>
#include <limits>

namespace lessonbook::sqlite {

void RowLengths::UseGeneration(std::int64_t generation) {
  if (generation == generation_) return;
  generation_ = generation;
  covered_.clear();
  totals_ = FtsTotals{};
  tokens_.Clear();
}

bool RowLengths::Get(std::int64_t generation, std::int64_t workspace,
                     const std::vector<std::int64_t>& rows, std::vector<int>* tokens,
                     FtsTotals* totals) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_ || totals_.rows <= 0) return false;
  auto covered = covered_.find(workspace);
  if (covered == covered_.end()) return false;
  tokens->resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::int64_t r = rows[i];
    if (r < covered->second || !tokens_.Get(r, &(*tokens)[i])) return false;
  }
  *totals = totals_;
  return true;
}

std::int64_t RowLengths::CoveredFrom(std::int64_t generation, std::int64_t workspace) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return std::numeric_limits<std::int64_t>::max();
  auto covered = covered_.find(workspace);
  return covered == covered_.end() ? std::numeric_limits<std::int64_t>::max() : covered->second;
}

void RowLengths::Put(std::int64_t generation, std::int64_t workspace,
                     const std::vector<std::pair<std::int64_t, int>>& rows,
                     std::int64_t covered_from, FtsTotals totals) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation < generation_) return;
  UseGeneration(generation);
  totals_ = totals;
  for (const auto& [rowid, tokens] : rows) {
    if (!tokens_.Keep(rowid, tokens)) return;  // not kept: nor is the suffix below it
  }
  auto [it, fresh] = covered_.emplace(workspace, covered_from);
  if (!fresh) it->second = std::min(it->second, covered_from);
}

}  // namespace lessonbook::sqlite
