// URLs for the outbound HTTP clients: split into origin and path, and percent-encoding of path
// segments and form values.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "bot/status.h"

namespace lessonbook {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path and query, at least "/"

  // "https://host:port" (the port only when it is not the default).
  std::string Origin() const;
};

// InvalidArgument for anything but an absolute http(s) URL with a host.
Result<Url> ParseUrl(std::string_view url);

// Percent-encodes everything but RFC 3986 unreserved characters (for a path segment or a form
// value: Teams conversation ids hold ':' '@' ';' and must be encoded in paths).
std::string PercentEncode(std::string_view s);

// application/x-www-form-urlencoded, keys in map order.
std::string FormEncode(const std::map<std::string, std::string>& fields);

}  // namespace lessonbook
