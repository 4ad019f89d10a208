// WordRows: the rows each frequent word of a search matches (RowBitmap), kept with the lesson
// generation they were read at, as TermCounts keeps counts. A search whose every word is frequent
// counts its matches and finds its kFrequentRankedAmong-th newest from these (bot/domain.h), so a
// word's doclist is walked once per write, not on every search that holds it. A set is served
// only at exactly its generation; a newer generation drops them all. Keys are built by the store,
// which reads a word's set on the word's second search of a generation: with a write between
// every two searches, reading sets would cost more than it saves (100k common set, a write
// before each search: 8.2 ms a search reading them at once, 6.7 ms counting in SQL). Once a
// generation has served searches of kAskedBeforeEager different words, sets are read at a word's
// first search (writes are then rare next to searches).
//
// The sets hold a bit per lesson id between a word's first and last match (12.5 KB a word at
// 100,000 lessons) and, for each lesson holding the word, its weighted frequency there (2 bytes),
// with which the store ranks the search too (storage/sqlite/frequent_rank.h): 53 KB for a word
// in 17% of 100,000 lessons. Past half the byte budget a set is kept without its frequencies
// (its searches count from it and rank in SQL: with 1,000,000 lessons the frequencies of a word
// in most lessons are 1.6 MB, and bitmaps for every frequent word matter more). Past the budget
// no more sets are kept until the next generation, and Full() tells the store to count the SQL
// way instead of reading sets it would not keep.
// Thread-safety: all methods may be called from any thread; the sets handed out are immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "storage/sqlite/row_bitmap.h"

namespace lessonbook::sqlite {

class WordRows {
 public:
  // Default budget: 32 MiB (about 60 words in 17% of the lessons at 1,000,000 lessons).
  explicit WordRows(size_t budget_bytes = size_t{32} << 20) : budget_(budget_bytes) {}
  WordRows(const WordRows&) = delete;
  WordRows& operator=(const WordRows&) = delete;

  // The set stored under key at exactly `generation`, if any.
  std::shared_ptr<const RowBitmap> Get(const std::string& key, std::int64_t generation);
  // Stores rows under key at generation (ignored when sets of a newer generation are kept, or
  // when it would go past the budget: Full(generation) is true from then on).
  void Put(const std::string& key, std::int64_t generation, std::shared_ptr<const RowBitmap> rows);
  // Whether a set read now for generation would keep its frequencies (under half the budget).
  bool KeepsValues(std::int64_t generation);
  // Whether a set of generation was refused for the budget, or Refuse was called (no more are
  // kept at it).
  bool Full(std::int64_t generation);
  // No more sets at generation: a word's lessons lay too far apart for a bitmap (lesson ids given
  // by an import), and every other search reading a set would only find that again.
  void Refuse(std::int64_t generation);
  // Whether key was asked about before at generation; notes it when not (and drops older notes).
  // The store reads a word's set on its second search of a generation, not its first. Once
  // kAskedBeforeEager different keys were asked about at one generation, every key counts as
  // asked before: writes are then rare next to searches, and a set read at a word's first search
  // saves that search's ranking in SQL and the second search's read (bench/README.md, "Sets
  // read at a word's first search once a generation has lasted").
  bool SearchedBefore(const std::string& key, std::int64_t generation);

  static constexpr size_t kAskedBeforeEager = 256;

 private:
  void UseGeneration(std::int64_t generation);  // REQUIRES: mu_ held

  const size_t budget_;
  std::mutex mu_;
  std::int64_t generation_ = -1;  // guarded by mu_
  size_t bytes_ = 0;              // guarded by mu_
  bool full_ = false;             // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<const RowBitmap>> rows_;  // guarded by mu_
  std::unordered_set<std::string> searched_;  // guarded by mu_; at most kAskedBeforeEager
};

}  // namespace lessonbook::sqlite
