// libFuzzer target: the command grammar (bot/command_parser.h): search queries with their
// filters, add/edit/delete, campaign, digest, settings, quoting with straight and curly quotes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bot/command_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)lessonbook::ParseCommand(text);
  (void)lessonbook::SplitCommandWords(text);
  (void)lessonbook::NormalizeTag(text);
  (void)lessonbook::ParseLessonId(text, "edit");
  return 0;
}
