#include "storage/sqlite/kth_largest.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <functional>

namespace lessonbook::sqlite {
namespace {

// The aggregate context: this header, then room for k values (one block, zeroed by SQLite on the
// first call and freed by it after xFinal). While the values come in ascending order (an FTS
// scan's rowids) they are kept in a ring, the last k seen being the k largest: O(1) a row. The
// first value out of order turns the ring into a min-heap of the k largest: O(log k) a row.
struct Kept {
  std::int64_t k;
  std::int64_t size;
  std::int64_t next;  // ring: where the next value goes (the oldest when full)
  std::int64_t last;  // ring: the last value kept
  bool heap;
  std::int64_t* values() { return reinterpret_cast<std::int64_t*>(this + 1); }
};

Kept* KeptOf(sqlite3_context* ctx, std::int64_t k) {
  const auto bytes = static_cast<int>(sizeof(Kept) + k * sizeof(std::int64_t));
  return static_cast<Kept*>(sqlite3_aggregate_context(ctx, bytes));
}

void Add(Kept* kept, std::int64_t x) {
  std::int64_t* first = kept->values();
  if (!kept->heap && (kept->size == 0 || x >= kept->last)) {
    first[kept->next] = x;
    kept->next = (kept->next + 1) % kept->k;
    kept->size = std::min(kept->size + 1, kept->k);
    kept->last = x;
    return;
  }
  if (!kept->heap) {
    std::make_heap(first, first + kept->size, std::greater<>());
    kept->heap = true;
  }
  if (kept->size < kept->k) {  // not full: every value is among the k largest so far
    first[kept->size++] = x;
    std::push_heap(first, first + kept->size, std::greater<>());
  } else if (x > first[0]) {  // full: x replaces the smallest of the k largest
    std::pop_heap(first, first + kept->size, std::greater<>());
    first[kept->size - 1] = x;
    std::push_heap(first, first + kept->size, std::greater<>());
  }
}

void Step(sqlite3_context* ctx, int, sqlite3_value** values) {
  if (sqlite3_value_type(values[1]) != SQLITE_INTEGER) {
    sqlite3_result_error(ctx, "lb_kth_largest: k must be an integer", -1);
    return;
  }
  const std::int64_t k = sqlite3_value_int64(values[1]);
  if (k < 1 || k > kMaxKthLargest) {
    sqlite3_result_error(ctx, "lb_kth_largest: k is out of range", -1);
    return;
  }
  Kept* kept = KeptOf(ctx, k);
  if (kept == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (kept->k == 0) kept->k = k;
  if (kept->k != k) {
    sqlite3_result_error(ctx, "lb_kth_largest: k changed between rows", -1);
    return;
  }
  if (sqlite3_value_type(values[0]) != SQLITE_NULL) Add(kept, sqlite3_value_int64(values[0]));
}

void Final(sqlite3_context* ctx) {
  auto* kept = static_cast<Kept*>(sqlite3_aggregate_context(ctx, 0));  // NULL: no row
  if (kept == nullptr || kept->k == 0 || kept->size < kept->k) {
    sqlite3_result_null(ctx);
    return;
  }
  // Full: the ring's oldest value, or the heap's top.
  sqlite3_result_int64(ctx, kept->values()[kept->heap ? 0 : kept->next]);
}

}  // namespace

bool RegisterKthLargest(sqlite3* db) {
  return sqlite3_create_function_v2(db, kKthLargestFunction, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                    nullptr, nullptr, Step, Final, nullptr) == SQLITE_OK;
}

}  // namespace lessonbook::sqlite
