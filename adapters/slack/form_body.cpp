#include "adapters/slack/form_body.h"

namespace lessonbook {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes s into *out, or only checks it when out is null; *changes, when given, says whether s
// holds a '+' or an escape (whether decoding changes it). Runs of plain bytes are copied whole.
Status Decode(std::string_view s, std::string* out, bool* changes = nullptr) {
  if (out != nullptr) out->reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] != '%' && s[j] != '+') ++j;
    if (out != nullptr) out->append(s.data() + i, j - i);
    if (j == s.size()) break;
    if (changes != nullptr) *changes = true;
    if (s[j] == '+') {
      if (out != nullptr) out->push_back(' ');
      i = j + 1;
      continue;
    }
    if (j + 2 >= s.size()) return Status::InvalidArgument("a '%' escape is cut short");
    const int hi = HexValue(s[j + 1]);
    const int lo = HexValue(s[j + 2]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("'%' is not followed by two hex digits");
    if (out != nullptr) out->push_back(static_cast<char>(hi * 16 + lo));
    i = j + 3;
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> FormDecode(std::string_view s) {
  std::string out;
  if (Status st = Decode(s, &out); !st.ok()) return st;
  return out;
}

bool FormKeyIs(const EncodedFormField& field, std::string_view name) {
  if (!field.key_changes) return field.key == name;
  Result<std::string> key = FormDecode(field.key);
  return key.ok() && *key == name;
}

Result<std::vector<EncodedFormField>> SplitFormBody(std::string_view body) {
  std::vector<EncodedFormField> out;
  out.reserve(16);
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
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    bool key_changes = false;
    if (Status st = Decode(key, nullptr, &key_changes); !st.ok()) {
      return Status::InvalidArgument("malformed form body: " + st.message());
    }
    if (key.empty()) return Status::InvalidArgument("malformed form body: a field has no name");
    if (Status st = Decode(value, nullptr); !st.ok()) {
      return Status::InvalidArgument("malformed form body in field '" + *FormDecode(key) +
                                     "': " + st.message());
    }
    out.push_back({key, value, key_changes});
    if (amp == body.size()) break;
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseFormBody(std::string_view body) {
  Result<std::vector<EncodedFormField>> fields = SplitFormBody(body);
  if (!fields.ok()) return fields.status();
  std::map<std::string, std::string> out;
  for (const EncodedFormField& f : *fields) out.emplace(*FormDecode(f.key), *FormDecode(f.value));
  return out;
}

}  // namespace lessonbook
