#include "storage/sqlite/term_counts.h"

namespace lessonbook::sqlite {

std::optional<std::int64_t> TermCounts::Get(const std::string& key, std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return std::nullopt;
  auto it = counts_.find(key);
  if (it == counts_.end()) return std::nullopt;
  return it->second;
}

void TermCounts::Put(const std::string& key, std::int64_t generation, std::int64_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation < generation_) return;
  if (generation > generation_ || counts_.size() >= capacity_) {
    counts_.clear();
    generation_ = generation;
  }
  counts_[key] = count;
}

}  // namespace lessonbook::sqlite
