// ParseStoreLocation: SQLite paths and URIs, PostgreSQL URIs.
#include "storage/store_location.h"

namespace lessonbook {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<StoreLocation> ParseStoreLocation(std::string_view location) {
  const std::string_view kForms =
      "; use a file path, sqlite://PATH (sqlite:///ABSOLUTE/PATH) or "
      "postgres://USER:PASSWORD@HOST:PORT/DATABASE";
  if (location.empty()) {
    return Status::InvalidArgument("the database location is empty" + std::string(kForms));
  }
  if (StartsWith(location, "postgres://") || StartsWith(location, "postgresql://")) {
    return StoreLocation{StoreLocation::Kind::kPostgres, std::string(location)};
  }
  if (StartsWith(location, "sqlite://")) {
    std::string_view path = location.substr(9);
    if (path.empty()) {
      return Status::InvalidArgument("sqlite:// needs a file path after it" + std::string(kForms));
    }
    return StoreLocation{StoreLocation::Kind::kSqlite, std::string(path)};
  }
  const size_t scheme = location.find("://");
  if (scheme != std::string_view::npos) {
    // Only the scheme is named: the rest may hold a password.
    return Status::InvalidArgument("unknown database scheme \"" +
                                   std::string(location.substr(0, scheme)) + "://\"" +
                                   std::string(kForms));
  }
  return StoreLocation{StoreLocation::Kind::kSqlite, std::string(location)};
}

}  // namespace lessonbook
