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

// The blob: first word index, number of rowids, then the words (native byte order: a blob never
// leaves the process that made it).
constexpr size_t kHeaderBytes = 2 * sizeof(std::int64_t);

// The aggregate context holds a pointer to the rowids seen (freed by Final, which SQLite calls
// once for every aggregate that stepped, also when the statement is reset early).
using Collected = std::vector<std::int64_t>*;

// No C++ exception may cross SQLite's C frames: running out of memory is SQLite's NOMEM.
void Step(sqlite3_context* ctx, int, sqlite3_value** values) {
  auto* slot = static_cast<Collected*>(sqlite3_aggregate_context(ctx, sizeof(Collected)));
  if (slot == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  try {
    if (*slot == nullptr) *slot = new std::vector<std::int64_t>;
    if (sqlite3_value_type(values[0]) == SQLITE_INTEGER) {
      (*slot)->push_back(sqlite3_value_int64(values[0]));
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
  const std::unique_ptr<std::vector<std::int64_t>> rowids(*slot);
  *slot = nullptr;
  try {
    const std::optional<RowBitmap> set = RowBitmap::Of(std::move(*rowids));
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

std::optional<RowBitmap> RowBitmap::FromBlob(std::string_view blob) {
  RowBitmap set;
  if (blob.empty()) return set;
  if (blob.size() < kHeaderBytes || (blob.size() - kHeaderBytes) % sizeof(std::uint64_t) != 0 ||
      (blob.size() - kHeaderBytes) / sizeof(std::uint64_t) > static_cast<size_t>(kMaxWords)) {
    return std::nullopt;
  }
  std::memcpy(&set.first_word_, blob.data(), sizeof(std::int64_t));
  std::memcpy(&set.size_, blob.data() + sizeof(std::int64_t), sizeof(std::int64_t));
  set.words_.resize((blob.size() - kHeaderBytes) / sizeof(std::uint64_t));
  std::memcpy(set.words_.data(), blob.data() + kHeaderBytes, blob.size() - kHeaderBytes);
  std::int64_t counted = 0;
  for (std::uint64_t w : set.words_) counted += std::popcount(w);
  if (set.first_word_ < 0 || counted != set.size_) return std::nullopt;
  return set;
}

std::string RowBitmap::ToBlob() const {
  if (words_.empty()) return "";
  std::string blob(kHeaderBytes + words_.size() * sizeof(std::uint64_t), '\0');
  std::memcpy(blob.data(), &first_word_, sizeof(std::int64_t));
  std::memcpy(blob.data() + sizeof(std::int64_t), &size_, sizeof(std::int64_t));
  std::memcpy(blob.data() + kHeaderBytes, words_.data(), words_.size() * sizeof(std::uint64_t));
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

bool RegisterRowBitmap(sqlite3* db) {
  return sqlite3_create_function_v2(db, kRowBitmapFunction, 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                    nullptr, nullptr, Step, Final, nullptr) == SQLITE_OK;
}

}  // namespace lessonbook::sqlite
