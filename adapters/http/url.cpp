#include "adapters/http/url.h"

#include <cctype>

namespace lessonbook {

std::string Url::Origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  return scheme + "://" + h + (default_port ? "" : ":" + std::to_string(port));
}

Result<Url> ParseUrl(std::string_view text) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("\"" + std::string(text.substr(0, 200)) +
                                   "\" is not a usable "
                                   "URL: " +
                                   why);
  };
  Url u;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return bad("it has no scheme (https://…)");
  u.scheme = std::string(text.substr(0, sep));
  for (auto& c : u.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.scheme != "http" && u.scheme != "https") return bad("only http and https are supported");
  std::string_view rest = text.substr(sep + 3);
  size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!u.target.empty() && u.target[0] != '/') u.target = "/" + u.target;
  size_t hash = u.target.find('#');
  if (hash != std::string::npos) u.target.erase(hash);
  if (authority.find('@') != std::string_view::npos) return bad("user info is not allowed");
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address is not closed with ]");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("junk after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) return bad("it has no host");
  for (char c : u.host) {
    if (c <= ' ' || c == '/' || c == '\\' || c == '%' || static_cast<unsigned char>(c) >= 0x7f) {
      return bad("the host has characters a host cannot have");
    }
  }
  if (port_text.empty()) {
    u.port = u.scheme == "https" ? 443 : 80;
  } else {
    int p = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || p > 65535) return bad("the port is not a number");
      p = p * 10 + (c - '0');
    }
    if (p <= 0 || p > 65535) return bad("the port is out of range");
    u.port = p;
  }
  return u;
}

std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string FormEncode(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(k) + "=" + PercentEncode(v);
  }
  return out;
}

}  // namespace lessonbook
