// JSON field readers for platform payloads, which are untrusted input: a missing field, a field of
// another type or a value that is not an object reads as empty, never as an exception.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lessonbook {

// The string at key; "" when j is not an object or the field is absent or not a string.
inline std::string JsonString(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The value at key; null when j is not an object or the field is absent.
inline const nlohmann::json& JsonMember(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

}  // namespace lessonbook
