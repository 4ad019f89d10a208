// Turning exceptions from SQLiteCpp (and the standard library) into a Status a person can act on.
// Every public SqliteStore method runs its body through Guarded(), so no exception crosses the
// Store interface. Thread-safety: pure functions.
#pragma once

#include <exception>
#include <string_view>

#include "bot/status.h"

namespace lessonbook::sqlite {

// A Status for an exception thrown while `doing` something ("adding a lesson"): busy/locked
// database -> Unavailable ("...locked by another process; try again"), disk full or read-only ->
// Unavailable, a constraint -> InvalidArgument, anything else -> Internal. The message names
// what was being done and SQLite's reason.
Status StatusFromException(const std::exception& e, std::string_view doing);

// Runs fn (returning Status or Result<T>) and converts any exception it throws.
template <typename Fn>
auto Guarded(std::string_view doing, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return StatusFromException(e, doing);
  }
}

}  // namespace lessonbook::sqlite
