#include "adapters/slack/form_body.h"

namespace lessonbook {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> FormDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) {
        return Status::InvalidArgument("a '%' escape is cut short");
      }
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return Status::InvalidArgument("'%' is not followed by two hex digits");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseFormBody(std::string_view body) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) {
      if (amp == body.size()) break;
      continue;
    }
    const std::size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    Result<std::string> key = FormDecode(raw_key);
    if (!key.ok()) return Status::InvalidArgument("malformed form body: " + key.status().message());
    if (key->empty()) return Status::InvalidArgument("malformed form body: a field has no name");
    Result<std::string> value = FormDecode(raw_value);
    if (!value.ok()) {
      return Status::InvalidArgument("malformed form body in field '" + *key +
                                     "': " + value.status().message());
    }
    out.emplace(std::move(*key), std::move(*value));
    if (amp == body.size()) break;
  }
  return out;
}

}  // namespace lessonbook
