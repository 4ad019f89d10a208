#include "storage/sqlite/row_lengths.h"

#include <algorithm>
#include <limits>

namespace lessonbook::sqlite {

void RowLengths::UseGeneration(std::int64_t generation) {
  if (generation == generation_) return;
  generation_ = generation;
  covered_.clear();
  totals_ = FtsTotals{};
  std::fill(plus_one_.begin(), plus_one_.end(), 0);
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
    if (r < covered->second || r >= static_cast<std::int64_t>(plus_one_.size())) return false;
    const std::uint16_t kept = plus_one_[static_cast<size_t>(r)];
    if (kept == 0) return false;
    (*tokens)[i] = kept - 1;
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
    if (rowid < 0 || rowid >= kMaxRowid || tokens < 0 ||
        tokens >= std::numeric_limits<std::uint16_t>::max()) {
      return;  // not kept: nor is the suffix below it
    }
    const auto at = static_cast<size_t>(rowid);
    if (at >= plus_one_.size()) {
      size_t size = std::max<size_t>(plus_one_.size(), 1024);
      while (size <= at) size *= 2;
      plus_one_.resize(size, 0);
    }
    plus_one_[at] = static_cast<std::uint16_t>(tokens + 1);
  }
  auto [it, fresh] = covered_.emplace(workspace, covered_from);
  if (!fresh) it->second = std::min(it->second, covered_from);
}

}  // namespace lessonbook::sqlite
