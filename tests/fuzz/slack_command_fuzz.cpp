// libFuzzer target: a slash command's form body to the fields Lessonbook uses
// (adapters/slack/payloads.h ReadSlashCommandForm), then the command text through the command
// parser, as a request from Slack would go.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/slack/payloads.h"
#include "bot/command_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = lessonbook::ReadSlashCommandForm(body);
  if (!form.ok()) return 0;
  if (form->team_id.empty() || form->text.empty() ||
      form->text.size() > lessonbook::kMaxSlackCommandText) {
    std::abort();
  }
  (void)lessonbook::ParseCommand(form->text);
  return 0;
}
