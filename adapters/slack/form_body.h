// application/x-www-form-urlencoded bodies (slash commands, interactivity's payload= field).
// Pure; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "bot/status.h"

namespace lessonbook {

// Decodes "a=1&b=x+y%21" into {a: "1", b: "x y!"}: '+' is a space, %XX a byte. A key given twice
// keeps its first value. InvalidArgument naming the field for a malformed %-escape ("%", "%4",
// "%G1") or a key that is empty; never a crash.
Result<std::map<std::string, std::string>> ParseFormBody(std::string_view body);

// Decodes one form component. InvalidArgument for a malformed %-escape.
Result<std::string> FormDecode(std::string_view component);

}  // namespace lessonbook
