#include "bot/ip_ranges.h"

#include <arpa/inet.h>

#include <cstring>

namespace lessonbook {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool InPrefix(const IpAddress& a, const IpAddress& base, int bits) {
  const int whole = bits / 8;
  if (std::memcmp(a.bytes.data(), base.bytes.data(), static_cast<std::size_t>(whole)) != 0) {
    return false;
  }
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a.bytes[static_cast<std::size_t>(whole)] & mask) ==
         (base.bytes[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpAddress out;
  in_addr v4{};
  if (s.find(':') == std::string::npos) {
    // inet_pton accepts only the strict dotted quad (no octal, no short forms).
    if (inet_pton(AF_INET, s.c_str(), &v4) != 1) return std::nullopt;
    out.bytes[10] = 0xFF;
    out.bytes[11] = 0xFF;
    std::memcpy(out.bytes.data() + 12, &v4, 4);
    out.is_v4 = true;
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  std::memcpy(out.bytes.data(), &v6, 16);
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  out.is_v4 = std::memcmp(out.bytes.data(), kMapped, 12) == 0;
  return out;
}

Result<IpRanges> IpRanges::Parse(std::string_view text) {
  IpRanges out;
  if (Trim(text).empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string_view entry =
        Trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    const std::string shown(entry);
    const std::string form = " (an IP address or CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32)";
    if (entry.empty()) {
      return Status::InvalidArgument("an empty entry between commas" + form);
    }
    const std::size_t slash = entry.find('/');
    auto address = ParseIpAddress(entry.substr(0, slash));
    if (!address) {
      return Status::InvalidArgument("'" + shown + "' is not an IP address" + form);
    }
    const int max_bits =
        address->is_v4 && entry.substr(0, slash).find(':') == entry.npos ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      if (digits.empty() || digits.size() > 3) {
        return Status::InvalidArgument("'" + shown + "' has no valid prefix length" + form);
      }
      bits = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') {
          return Status::InvalidArgument("'" + shown + "' has no valid prefix length" + form);
        }
        bits = bits * 10 + (c - '0');
      }
      if (bits > max_bits) {
        return Status::InvalidArgument("'" + shown + "': the prefix must be 0.." +
                                       std::to_string(max_bits));
      }
    }
    Range range;
    range.base = *address;
    range.prefix_bits = bits + (max_bits == 32 ? 96 : 0);
    // Strict: no host bits after the prefix, so a typo does not silently trust a wider range.
    for (int bit = range.prefix_bits; bit < 128; ++bit) {
      if (address->bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8))) {
        IpAddress fixed = *address;
        for (int b = range.prefix_bits; b < 128; ++b) {
          fixed.bytes[static_cast<std::size_t>(b / 8)] &=
              static_cast<std::uint8_t>(~(0x80 >> (b % 8)));
        }
        char buf[INET6_ADDRSTRLEN] = {0};
        if (max_bits == 32) {
          inet_ntop(AF_INET, fixed.bytes.data() + 12, buf, sizeof buf);
        } else {
          inet_ntop(AF_INET6, fixed.bytes.data(), buf, sizeof buf);
        }
        return Status::InvalidArgument("'" + shown + "' has bits set after the /" +
                                       std::to_string(bits) + " prefix: use " + buf + "/" +
                                       std::to_string(bits));
      }
    }
    out.ranges_.push_back(range);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool IpRanges::Contains(std::string_view address) const {
  auto parsed = ParseIpAddress(address);
  return parsed && Contains(*parsed);
}

bool IpRanges::Contains(const IpAddress& address) const {
  for (const Range& r : ranges_) {
    if (InPrefix(address, r.base, r.prefix_bits)) return true;
  }
  return false;
}

}  // namespace lessonbook
