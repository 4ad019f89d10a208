// libFuzzer target: an Events API callback as stored in the inbox (adapters/slack/payloads.h
// SlackPayloadToInbound): app_mention, message.im, app_home_opened, anything else. Any JSON in
// any field: an Inbound, NotFound or InvalidArgument, never an exception or a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "adapters/slack/payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lessonbook::InboxEvent row;
  row.platform = lessonbook::Platform::kSlack;
  row.event_id = "Ev0FUZZ";
  row.workspace_id = 1;
  row.payload.assign(reinterpret_cast<const char*>(data), size);
  auto in = lessonbook::SlackPayloadToInbound(
      row, [](const std::string& team) { return team == "T0001" ? "UBOT" : ""; });
  if (in.ok() && in->workspace_id != 1) std::abort();
  return 0;
}
