#include "storage/sqlite/row_bitmap.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <new>
#include <string>

namespace lessonbook::sqlite {
namespace {

// The blob: first word index, number of rowids, whether values follow the words, then the words
// and the values (native byte order: a blob never leaves the process that made it).
constexpr size_t kHeaderBytes = 3 * sizeof(std::int64_t);

// What the aggregate saw: the rowids, their values (while every one had a value in range).
struct Seen {
  std::vector<std::int64_t> rowids;
  std::vector<std::uint16_t> values;  // as rowids while with_values
  bool with_values = true;
};

// The aggregate context holds a pointer to what it saw (freed by Final, which SQLite calls once
// for every aggregate that stepped, also when the statement is reset early).
using Collected = Seen*;

// No C++ exception may cross SQLite's C frames: running out of memory is SQLite's NOMEM.
void Step(sqlite3_context* ctx, int n_values, sqlite3_value** values) {
  auto* slot = static_cast<Collected*>(sqlite3_aggregate_context(ctx, sizeof(Collected)));
  if (slot == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  try {
    if (*slot == nullptr) *slot = new Seen{{}, {}, n_values > 1};
    if (sqlite3_value_type(values[0]) != SQLITE_INTEGER) return;
    Seen& seen = **slot;
    seen.rowids.push_back(sqlite3_value_int64(values[0]));
    if (seen.with_values) {
      const double v = sqlite3_value_double(values[1]);
      const bool number = sqlite3_value_numeric_type(values[1]) == SQLITE_INTEGER ||
                          sqlite3_value_numeric_type(values[1]) == SQLITE_FLOAT;
      if (number && v >= 0 && v <= 65535 && v == static_cast<double>(static_cast<int>(v))) {
        seen.values.push_back(static_cast<std::uint16_t>(v));
      } else {
        seen.with_values = false;  // out of range: the set keeps no values
        seen.values = {};
      }
    }
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
}

void Final(sqlite3_context* ctx) {
  auto* slot = static_cast<Collected*>(sqlite3_aggregate_context(ctx, 0));  // NULL: no row
  if (slot == nullptr || *slot == nullptr) {
    sqlite3_result_null(ctx);
    return;
  }
  const std::unique_ptr<Seen> seen(*slot);
  *slot = nullptr;
  try {
    std::optional<RowBitmap> set;
    if (seen->with_values) {
      std::vector<RowBitmap::Row> rows;
      rows.reserve(seen->rowids.size());
      for (size_t i = 0; i < seen->rowids.size(); ++i) {
        rows.push_back({seen->rowids[i], seen->values[i]});
      }
      seen->rowids = {};
      seen->values = {};
      set = RowBitmap::WithValues(std::move(rows));
    } else {
      set = RowBitmap::Of(std::move(seen->rowids));
    }
    if (!set) {
      sqlite3_result_int(ctx, 0);  // too far apart for one bitmap
      return;
    }
    const std::string blob = set->ToBlob();
    sqlite3_result_blob64(ctx, blob.data(), blob.size(), SQLITE_TRANSIENT);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
}

}  // namespace

std::optional<RowBitmap> RowBitmap::Of(std::vector<std::int64_t> rowids) {
  std::erase_if(rowids, [](std::int64_t r) { return r < 0; });
  RowBitmap set;
  if (rowids.empty()) return set;
  if (!std::is_sorted(rowids.begin(), rowids.end())) std::sort(rowids.begin(), rowids.end());
  set.first_word_ = rowids.front() / 64;
  const std::int64_t words = rowids.back() / 64 - set.first_word_ + 1;
  if (words > kMaxWords) return std::nullopt;
  set.words_.assign(static_cast<size_t>(words), 0);
  for (std::int64_t r : rowids) {
    std::uint64_t& word = set.words_[static_cast<size_t>(r / 64 - set.first_word_)];
    const std::uint64_t bit = std::uint64_t{1} << (r % 64);
    if ((word & bit) == 0) ++set.size_;
    word |= bit;
  }
  return set;
}

std::optional<RowBitmap> RowBitmap::WithValues(std::vector<Row> rows) {
  std::erase_if(rows, [](const Row& r) { return r.rowid < 0; });
  RowBitmap set;
  if (rows.empty()) return set;
  const auto by_rowid = [](const Row& a, const Row& b) { return a.rowid < b.rowid; };
  if (!std::is_sorted(rows.begin(), rows.end(), by_rowid)) {
    std::stable_sort(rows.begin(), rows.end(), by_rowid);
  }
  set.first_word_ = rows.front().rowid / 64;
  const std::int64_t words = rows.back().rowid / 64 - set.first_word_ + 1;
  if (words > kMaxWords) return std::nullopt;
  set.words_.assign(static_cast<size_t>(words), 0);
  set.values_.reserve(rows.size());
  for (const Row& r : rows) {
    std::uint64_t& word = set.words_[static_cast<size_t>(r.rowid / 64 - set.first_word_)];
    const std::uint64_t bit = std::uint64_t{1} << (r.rowid % 64);
    if ((word & bit) != 0) continue;  // a duplicate keeps its first value
    ++set.size_;
    word |= bit;
    set.values_.push_back(r.value);
  }
  set.CountRanks();
  return set;
}

void RowBitmap::CountRanks() {
  ranks_.assign(words_.size(), 0);
  std::uint32_t before = 0;
  for (size_t i = 0; i < words_.size(); ++i) {
    ranks_[i] = before;
    before += static_cast<std::uint32_t>(std::popcount(words_[i]));
  }
}

RowBitmap RowBitmap::WithoutValues() const {
  RowBitmap set;
  set.first_word_ = first_word_;
  set.words_ = words_;
  set.size_ = size_;
  return set;
}

std::uint16_t RowBitmap::Value(std::int64_t rowid) const {
  const auto at = static_cast<size_t>(rowid / 64 - first_word_);
  const std::uint64_t below = (std::uint64_t{1} << (rowid % 64)) - 1;
  return values_[ranks_[at] + static_cast<size_t>(std::popcount(words_[at] & below))];
}

std::optional<RowBitmap> RowBitmap::FromBlob(std::string_view blob) {
  RowBitmap set;
  if (blob.empty()) return set;
  if (blob.size() < kHeaderBytes) return std::nullopt;
  std::int64_t with_values = 0;
  std::memcpy(&set.first_word_, blob.data(), sizeof(std::int64_t));
  std::memcpy(&set.size_, blob.data() + sizeof(std::int64_t), sizeof(std::int64_t));
  std::memcpy(&with_values, blob.data() + 2 * sizeof(std::int64_t), sizeof(std::int64_t));
  if (set.first_word_ < 0 || set.size_ < 0 || (with_values != 0 && with_values != 1)) {
    return std::nullopt;
  }
  const size_t rest = blob.size() - kHeaderBytes;
  const size_t value_bytes =
      with_values != 0 ? static_cast<size_t>(set.size_) * sizeof(std::uint16_t) : 0;
  if (value_bytes > rest || (rest - value_bytes) % sizeof(std::uint64_t) != 0 ||
      (rest - value_bytes) / sizeof(std::uint64_t) > static_cast<size_t>(kMaxWords)) {
    return std::nullopt;
  }
  set.words_.resize((rest - value_bytes) / sizeof(std::uint64_t));
  std::memcpy(set.words_.data(), blob.data() + kHeaderBytes, rest - value_bytes);
  std::int64_t counted = 0;
  for (std::uint64_t w : set.words_) counted += std::popcount(w);
  if (counted != set.size_) return std::nullopt;
  if (with_values != 0) {
    set.values_.resize(static_cast<size_t>(set.size_));
    std::memcpy(set.values_.data(), blob.data() + blob.size() - value_bytes, value_bytes);
    set.CountRanks();
  }
  return set;
}

std::string RowBitmap::ToBlob() const {
  if (words_.empty()) return "";
  const std::int64_t with_values = has_values() ? 1 : 0;
  const size_t word_bytes = words_.size() * sizeof(std::uint64_t);
  const size_t value_bytes = has_values() ? values_.size() * sizeof(std::uint16_t) : 0;
  std::string blob(kHeaderBytes + word_bytes + value_bytes, '\0');
  std::memcpy(blob.data(), &first_word_, sizeof(std::int64_t));
  std::memcpy(blob.data() + sizeof(std::int64_t), &size_, sizeof(std::int64_t));
  std::memcpy(blob.data() + 2 * sizeof(std::int64_t), &with_values, sizeof(std::int64_t));
  std::memcpy(blob.data() + kHeaderBytes, words_.data(), word_bytes);
  if (value_bytes > 0) {
    std::memcpy(blob.data() + kHeaderBytes + word_bytes, values_.data(), value_bytes);
  }
  return blob;
}

bool RowBitmap::Contains(std::int64_t rowid) const {
  if (rowid < 0) return false;
  const std::int64_t at = rowid / 64 - first_word_;
  if (at < 0 || at >= static_cast<std::int64_t>(words_.size())) return false;
  return (words_[static_cast<size_t>(at)] >> (rowid % 64) & 1) != 0;
}

CommonRows CountCommonRows(const std::vector<const RowBitmap*>& sets, std::int64_t k) {
    CommonRows result;
    // The words every set spans.
    std::int64_t from = sets.front()->first_word_;
    std::int64_t to = from + static_cast<std::int64_t>(sets.front()->words_.size());
    for (const RowBitmap* s : sets) {
      from = std::max(from, s->first_word_);
      to = std::min(to, s->first_word_ + static_cast<std::int64_t>(s->words_.size()));
    }
    // From the largest rowid down, so the k-th largest is met on the way.
    for (std::int64_t w = to - 1; w >= from; --w) {
      std::uint64_t common = ~std::uint64_t{0};
      for (const RowBitmap* s : sets) common &= s->words_[static_cast<size_t>(w - s->first_word_)];
      if (common == 0) continue;
      const int here = std::popcount(common);
      if (!result.kth_largest && result.count + here >= k) {
        for (std::int64_t skip = k - result.count - 1; skip > 0; --skip) {
          common &= ~(std::uint64_t{1} << (63 - std::countl_zero(common)));
        }
        result.kth_largest = w * 64 + (63 - std::countl_zero(common));
      }
      result.count += here;
    }
    return result;
}

std::vector<std::int64_t> CommonRowsFrom(const std::vector<const RowBitmap*>& sets,
                                         std::int64_t lowest) {
  std::vector<std::int64_t> out;
  std::int64_t from = sets.front()->first_word_;
  std::int64_t to = from + static_cast<std::int64_t>(sets.front()->words_.size());
  for (const RowBitmap* s : sets) {
    from = std::max(from, s->first_word_);
    to = std::min(to, s->first_word_ + static_cast<std::int64_t>(s->words_.size()));
  }
  from = std::max(from, std::max<std::int64_t>(lowest, 0) / 64);
  for (std::int64_t w = to - 1; w >= from; --w) {
    std::uint64_t common = ~std::uint64_t{0};
    for (const RowBitmap* s : sets) common &= s->words_[static_cast<size_t>(w - s->first_word_)];
    while (common != 0) {
      const int bit = 63 - std::countl_zero(common);
      common &= ~(std::uint64_t{1} << bit);
      const std::int64_t rowid = w * 64 + bit;
      if (rowid < lowest) return out;
      out.push_back(rowid);
    }
  }
  return out;
}

bool RegisterRowBitmap(sqlite3* db) {
  for (int args : {1, 2}) {
    if (sqlite3_create_function_v2(db, kRowBitmapFunction, args,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr,
                                   nullptr, Step, Final, nullptr) != SQLITE_OK) {
      return false;
    }
  }
  return true;
}

}  // namespace lessonbook::sqlite
