// libFuzzer target: the application/x-www-form-urlencoded parser of slash commands and
// interactivity (adapters/slack/form_body.h). Any bytes: a value or an InvalidArgument, never a
// crash; what parses re-decodes consistently.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/slack/form_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = lessonbook::ParseFormBody(body);
  if (form.ok()) {
    for (const auto& [key, value] : *form) {
      if (key.empty()) std::abort();  // the contract: empty keys are refused
      (void)value;
    }
  }
  auto one = lessonbook::FormDecode(body);
  if (one.ok() && one->size() > body.size()) std::abort();  // decoding never grows
  return 0;
}
