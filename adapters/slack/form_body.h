// application/x-www-form-urlencoded bodies (slash commands, interactivity's payload= field).
// Pure; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"

namespace lessonbook {

// Decodes "a=1&b=x+y%21" into {a: "1", b: "x y!"}: '+' is a space, %XX a byte. A key given twice
// keeps its first value. InvalidArgument naming the field for a malformed %-escape ("%", "%4",
// "%G1") or a key that is empty; never a crash.
Result<std::map<std::string, std::string>> ParseFormBody(std::string_view body);

// A field of a form body as it stands in the body: key and value still encoded, views into it.
struct EncodedFormField {
  std::string_view key;
  std::string_view value;
  bool key_changes = false;  // the key holds a '+' or an escape: decoding changes it
};

// The fields of body in their order, with every %-escape checked and the same errors as
// ParseFormBody, but nothing decoded or copied: for a reader that wants a few known fields
// (a slash command reads 7 of its 13). Decode a value with FormDecode, which cannot fail on it.
Result<std::vector<EncodedFormField>> SplitFormBody(std::string_view body);

// Whether the field's key decodes to `name`: a plain comparison unless the key changes.
bool FormKeyIs(const EncodedFormField& field, std::string_view name);

// Decodes one form component. InvalidArgument for a malformed %-escape.
Result<std::string> FormDecode(std::string_view component);

}  // namespace lessonbook
