#include "adapters/http/client_address.h"

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

}  // namespace lessonbook
