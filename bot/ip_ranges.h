// IpRanges: a set of IPv4 / IPv6 addresses and CIDR ranges, parsed strictly from the
// comma-separated text of LESSONBOOK_TRUSTED_PROXIES ("10.0.0.0/8, 192.168.1.7, ::1,
// fd00::/8"). Plain address arithmetic, no I/O and no name lookups.
// Thread-safety: immutable after Parse; Contains may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"

namespace lessonbook {

// An IP address as 16 bytes: IPv4 is kept IPv4-mapped (::ffff:a.b.c.d), so "127.0.0.1" and
// "::ffff:127.0.0.1" are the same address.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool is_v4 = false;
};

// A dotted-quad IPv4 or an IPv6 address (no zone, no brackets, no port); nullopt otherwise.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

class IpRanges {
 public:
  IpRanges() = default;

  // "" is the empty set. Each comma-separated entry is an address or address/prefix (IPv4 0..32,
  // IPv6 0..128) with no bits set after the prefix. InvalidArgument naming the bad entry and the
  // right form, e.g. "'10.0.0.1/8' has bits set after the /8 prefix: use 10.0.0.0/8".
  static Result<IpRanges> Parse(std::string_view text);

  // True when the address (text as a peer address or X-Forwarded-For hop) is in one of the
  // ranges; false for anything that is not an address.
  bool Contains(std::string_view address) const;
  bool Contains(const IpAddress& address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    IpAddress base;
    int prefix_bits = 128;  // over the 16-byte form (an IPv4 /8 is 96 + 8)
  };
  std::vector<Range> ranges_;
};

}  // namespace lessonbook
