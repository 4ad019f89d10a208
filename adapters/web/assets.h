// The web chat's static files (adapters/web/static/*), embedded into the binary by CMake
// (lessonbook_embed in CMakeLists.txt), so the server needs no files at run time.
// Thread-safety: read-only data, safe from any thread.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace lessonbook {
namespace embedded {

// (path relative to the repository root, e.g. "adapters/web/static/chat.js", bytes).
// Defined in the file CMake generates.
const std::vector<std::pair<std::string_view, std::string_view>>& WebAssets();

}  // namespace embedded

// The bytes of adapters/web/static/<name> ("index.html"), or nullopt.
std::optional<std::string_view> FindWebAsset(std::string_view name);

// "text/html; charset=utf-8" etc. by extension; "application/octet-stream" when unknown.
std::string_view ContentTypeForAsset(std::string_view name);

}  // namespace lessonbook
