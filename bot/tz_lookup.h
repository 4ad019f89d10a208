// The tz database lookup the local-time helpers share: the zone of an IANA name, or nullptr.
// Internal to bot/ (.cpp files that already use date/tz).
#pragma once

#include <date/tz.h>

#include <string>
#include <string_view>

namespace lessonbook {

inline const date::time_zone* FindZone(std::string_view name) {
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace lessonbook
