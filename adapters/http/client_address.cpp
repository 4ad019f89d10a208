#include "adapters/http/client_address.h"

#include <cstdio>

namespace lessonbook {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const IpRanges& trusted_proxies) {
  if (trusted_proxies.empty() || !trusted_proxies.Contains(peer)) return std::string(peer);
  std::string_view client = peer;
  std::string_view rest = forwarded_for;
  while (!Trim(rest).empty()) {
    const std::size_t comma = rest.rfind(',');
    const std::string_view hop =
        Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (!ParseIpAddress(hop)) break;  // garbage: believe nothing further left
    client = hop;
    if (!trusted_proxies.Contains(hop)) break;
  }
  return std::string(client);
}

std::string RateLimitKey(std::string_view client) {
  auto address = ParseIpAddress(client);
  if (!address || address->is_v4) return std::string(client);
  char buf[64];
  const auto& b = address->bytes;
  std::snprintf(buf, sizeof buf, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3],
                b[4], b[5], b[6], b[7]);
  return buf;
}

}  // namespace lessonbook
