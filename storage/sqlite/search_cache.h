// SearchCache: recent search pages of this process, each kept with the lesson generation it was
// computed at (the `lesson_generations` counter that triggers bump in the same transaction as
// every lesson write, migration 0007). A page is served only while the database still holds that
// generation, so a write by this process, by `lessonbook import` or by another replica is never
// hidden: the next search reads the new generation and misses.
//
// Keys are built by the store from the normalized query (the MATCH expression, filters, sort,
// limit and offset). Least recently used pages are dropped beyond the capacity.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "bot/domain.h"

namespace lessonbook::sqlite {

class SearchCache {
 public:
  // Default: 512 pages (a page of 5 lessons is a few KiB). 0 disables the cache.
  explicit SearchCache(size_t capacity = 512) : capacity_(capacity) {}
  SearchCache(const SearchCache&) = delete;
  SearchCache& operator=(const SearchCache&) = delete;

  // The page stored under key at exactly `generation`, if any.
  std::optional<SearchPage> Get(const std::string& key, std::int64_t generation);
  // Stores page for key at generation, unless a page of a newer generation is stored already.
  void Put(const std::string& key, std::int64_t generation, const SearchPage& page);

  size_t size() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Entry {
    std::string key;
    std::int64_t generation = 0;
    SearchPage page;
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first; guarded by mu_
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;  // guarded by mu_
  std::uint64_t hits_ = 0;                                             // guarded by mu_
  std::uint64_t misses_ = 0;                                           // guarded by mu_
};

}  // namespace lessonbook::sqlite
