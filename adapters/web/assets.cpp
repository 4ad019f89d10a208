#include "adapters/web/assets.h"

#include <string>

namespace lessonbook {

std::optional<std::string_view> FindWebAsset(std::string_view name) {
  constexpr std::string_view kDir = "adapters/web/static/";
  for (const auto& [path, bytes] : embedded::WebAssets()) {
    if (path.size() == kDir.size() + name.size() && path.substr(0, kDir.size()) == kDir &&
        path.substr(kDir.size()) == name) {
      return bytes;
    }
  }
  return std::nullopt;
}

std::string_view ContentTypeForAsset(std::string_view name) {
  auto ends_with = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  if (ends_with(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

}  // namespace lessonbook
