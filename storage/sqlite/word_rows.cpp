#include "storage/sqlite/word_rows.h"

namespace lessonbook::sqlite {

std::shared_ptr<const RowBitmap> WordRows::Get(const std::string& key, std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return nullptr;
  auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : it->second;
}

void WordRows::Put(const std::string& key, std::int64_t generation,
                   std::shared_ptr<const RowBitmap> rows) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation < generation_ || rows == nullptr) return;
  UseGeneration(generation);
  if (rows_.count(key) != 0) return;
  if (rows->has_values() && bytes_ + rows->bytes() > budget_ / 2) {
    rows = std::make_shared<const RowBitmap>(rows->WithoutValues());
  }
  if (full_ || bytes_ + rows->bytes() > budget_) {
    full_ = true;
    return;
  }
  bytes_ += rows->bytes();
  rows_.emplace(key, std::move(rows));
}

bool WordRows::KeepsValues(std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  return generation != generation_ || bytes_ < budget_ / 2;
}

bool WordRows::Full(std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  return generation == generation_ && full_;
}

void WordRows::Refuse(std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation < generation_) return;
  UseGeneration(generation);
  full_ = true;
}

bool WordRows::SearchedBefore(const std::string& key, std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation < generation_) return false;
  UseGeneration(generation);
  if (searched_.size() >= kAskedBeforeEager) return true;
  return !searched_.insert(key).second;
}

void WordRows::UseGeneration(std::int64_t generation) {
  if (generation == generation_) return;
  generation_ = generation;
  rows_.clear();
  searched_.clear();
  bytes_ = 0;
  full_ = false;
}

}  // namespace lessonbook::sqlite
