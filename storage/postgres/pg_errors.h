// Every public PgStore method runs its body through Guarded(), so no exception crosses the
// Store interface: PgError and std::exception become a Status naming what was being done.
// Thread-safety: pure functions.
#pragma once

#include <exception>
#include <string_view>

#include "bot/status.h"

namespace lessonbook::pg {

// A Status for an exception thrown while `doing` something ("adding a lesson"): a lost or
// refused connection, a serialization failure or a deadlock -> Unavailable ("try again"),
// a constraint or invalid text -> InvalidArgument, anything else -> Internal.
Status StatusFromException(const std::exception& e, std::string_view doing);

template <typename Fn>
auto Guarded(std::string_view doing, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return StatusFromException(e, doing);
  }
}

}  // namespace lessonbook::pg
