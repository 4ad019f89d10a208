// lb_kth_largest(x, k): an SQL aggregate, the k-th largest of the integers x (NULL when fewer than
// k rows). With count(*) in the same SELECT a frequent-word search learns its number of matches
// and the rowid of its k-th newest match in one walk of the FTS index, where a count and an
// `ORDER BY rowid DESC LIMIT 1 OFFSET k - 1` walked it twice (the backwards walk cost as much as
// the count: ~24% of the samples of the 100k common-word benchmark, bench/README.md).
//
// k is read from the first row: 1 to kMaxKthLargest, the same for every row. It keeps the k
// largest values seen inside SQLite's aggregate context (freed by SQLite): a ring while they come
// in ascending order (an FTS scan: O(1) a row), a min-heap from the first value out of order
// (O(log k) a row), so any order gives the right answer.
//
// Thread-safety: registered once per connection; runs on that connection.
#pragma once

struct sqlite3;

namespace lessonbook::sqlite {

inline constexpr const char* kKthLargestFunction = "lb_kth_largest";
inline constexpr int kMaxKthLargest = 100000;

// Registers lb_kth_largest on db. Returns false when SQLite refuses it.
bool RegisterKthLargest(sqlite3* db);

}  // namespace lessonbook::sqlite
