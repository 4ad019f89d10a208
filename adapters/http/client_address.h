// ClientAddress: who a request comes from, for per-client limits and logs. The peer's address,
// unless the peer is a trusted proxy (LESSONBOOK_TRUSTED_PROXIES): then X-Forwarded-For is read
// from the right (the hop the proxy itself added) and the first address that is not a trusted
// proxy is the client. A client cannot choose its address by sending its own X-Forwarded-For:
// only hops added behind trusted proxies are believed. Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "bot/ip_ranges.h"

namespace lessonbook {

// peer: the TCP peer's address; forwarded_for: the X-Forwarded-For header's value ("" when
// absent; several headers joined with ", "). When every hop is a trusted proxy, the left-most
// one; a hop that is not an address stops the walk at the last trusted address before it.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const IpRanges& trusted_proxies);

// The key a client address is rate-limited under: an IPv4 address as is, an IPv6 address by its
// /64 network (one subscriber usually holds a whole /64, so single addresses would be free to
// pick). Anything else is returned unchanged.
std::string RateLimitKey(std::string_view client);

}  // namespace lessonbook
