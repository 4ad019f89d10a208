// TermCounts: how many of a workspace's lessons hold a word, and how many lessons it has, kept
// with the lesson generation they were counted at (migration 0007's counter, bumped by every
// lesson write). Search asks it whether all of a query's words are frequent (bot/domain.h,
// kFrequentWordOneIn), so a frequent word's doclist is walked once per write, not once per
// search. A count is served only at exactly its generation; a newer generation drops them all.
// Keys are built by the store.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace lessonbook::sqlite {

class TermCounts {
 public:
  // Default: 8192 counts; when full, all are dropped (they are recounted on demand).
  explicit TermCounts(size_t capacity = 8192) : capacity_(capacity) {}
  TermCounts(const TermCounts&) = delete;
  TermCounts& operator=(const TermCounts&) = delete;

  // The count stored under key at exactly `generation`, if any.
  std::optional<std::int64_t> Get(const std::string& key, std::int64_t generation);
  // Stores count for key at generation (ignored when counts of a newer generation are kept).
  void Put(const std::string& key, std::int64_t generation, std::int64_t count);

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::int64_t generation_ = -1;                          // guarded by mu_
  std::unordered_map<std::string, std::int64_t> counts_;  // guarded by mu_
};

}  // namespace lessonbook::sqlite
