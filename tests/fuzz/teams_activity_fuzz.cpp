// libFuzzer target: a Bot Framework activity as POST /teams/messages carries it, after the token
// (adapters/teams/activity.h): ParseActivity, CommandText (mention handling) and ToInbound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/teams/activity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto activity = lessonbook::teams::ParseActivity(body);
  if (!activity.ok()) return 0;
  (void)lessonbook::teams::CommandText(*activity);
  (void)lessonbook::teams::ToInbound(*activity, 3);
  return 0;
}
