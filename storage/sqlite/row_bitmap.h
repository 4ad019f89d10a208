// RowBitmap: a set of FTS rowids as one bit per rowid, so the matches of several frequent words
// are counted, and their k-th largest rowid found, by ANDing words of 64 bits: ~3 µs at 100,000
// lessons where walking the words' doclists together cost ~0.7 ms (bench/README.md).
//
// A bitmap is made by the SQL aggregate lb_row_bitmap(rowid [, value]), which returns it as a blob:
//   SELECT lb_row_bitmap(rowid, lb_phrase_weight(lessons_fts, ...)) FROM lessons_fts WHERE ...
// (NULL for no row, the integer 0 when the rowids are too far apart for one: kMaxWords). It spans
// only the 64-bit words from its smallest to its largest rowid. With a value per row (an integer
// 0..65535: a frequent word's weighted frequency in the row, which bm25 needs) the set keeps them
// too, two bytes a row, so the newest rows of several words can be ranked without the index
// (storage/sqlite/frequent_rank.h); a value out of that range keeps none.
//
// Thread-safety: a RowBitmap is immutable once made; the aggregate is registered once per
// connection and runs on that connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace lessonbook::sqlite {

inline constexpr const char* kRowBitmapFunction = "lb_row_bitmap";

// How many rowids are in every one of a set of bitmaps, and the k-th largest of those.
struct CommonRows {
  std::int64_t count = 0;
  std::optional<std::int64_t> kth_largest;  // nullopt when fewer than k
};

class RowBitmap;

// REQUIRES: sets is not empty and holds no null; k >= 1.
CommonRows CountCommonRows(const std::vector<const RowBitmap*>& sets, std::int64_t k);

class RowBitmap {
 public:
  // At most this many 64-bit words (32 MiB, rowids spread over 268 million ids): lesson ids are
  // given by imports, so two matches may lie far apart.
  static constexpr std::int64_t kMaxWords = std::int64_t{1} << 22;

  // A rowid and its value.
  struct Row {
    std::int64_t rowid;
    std::uint16_t value;
  };

  // The bitmap of rowids in any order (duplicates and negatives ignored: FTS rowids are lesson
  // ids, from 1); nullopt when they span more than kMaxWords words.
  static std::optional<RowBitmap> Of(std::vector<std::int64_t> rowids);
  // The same with a value per rowid (a duplicate keeps its first value); has_values().
  static std::optional<RowBitmap> WithValues(std::vector<Row> rows);
  // The bitmap lb_row_bitmap returned; nullopt when blob is not one (NULL from no row is empty).
  static std::optional<RowBitmap> FromBlob(std::string_view blob);
  // The blob lb_row_bitmap returns for this set.
  std::string ToBlob() const;

  std::int64_t size() const { return size_; }
  bool Contains(std::int64_t rowid) const;
  bool has_values() const { return !ranks_.empty(); }
  // The same rowids without their values (the bits' bytes only).
  RowBitmap WithoutValues() const;
  // REQUIRES: has_values() and Contains(rowid).
  std::uint16_t Value(std::int64_t rowid) const;
  // Memory this set holds, for a cache's budget.
  size_t bytes() const {
    return words_.capacity() * sizeof(std::uint64_t) + values_.capacity() * sizeof(std::uint16_t) +
           ranks_.capacity() * sizeof(std::uint32_t);
  }

 private:
  friend CommonRows CountCommonRows(const std::vector<const RowBitmap*>& sets, std::int64_t k);
  friend std::vector<std::int64_t> CommonRowsFrom(const std::vector<const RowBitmap*>& sets,
                                                  std::int64_t lowest);
  void CountRanks();

  std::int64_t first_word_ = 0;        // words_[0] holds rowids first_word_ * 64 ...
  std::vector<std::uint64_t> words_;  // bit b of words_[i]: rowid (first_word_ + i) * 64 + b
  std::int64_t size_ = 0;
  std::vector<std::uint16_t> values_;  // one per rowid, in rowid order (with values only)
  std::vector<std::uint32_t> ranks_;   // ranks_[i]: rowids in words_[0..i) (with values only)
};

// The rowids every set holds from lowest up, largest first. REQUIRES: as CountCommonRows.
std::vector<std::int64_t> CommonRowsFrom(const std::vector<const RowBitmap*>& sets,
                                         std::int64_t lowest);

// Registers lb_row_bitmap on db. Returns false when SQLite refuses it.
bool RegisterRowBitmap(sqlite3* db);

}  // namespace lessonbook::sqlite
