// libFuzzer target: POST /slack/interactivity's body as the route reads it: the form body, its
// payload= field as JSON, a block_actions payload to an Inbound (SlackPayloadToInbound) and a
// view_submission's state values (ViewStateValues).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "adapters/slack/block_kit.h"
#include "adapters/slack/form_body.h"
#include "adapters/slack/payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = lessonbook::ParseFormBody(body);
  if (!form.ok()) return 0;
  auto it = form->find("payload");
  if (it == form->end()) return 0;
  lessonbook::InboxEvent row;
  row.platform = lessonbook::Platform::kSlack;
  row.event_id = "action:fuzz";
  row.workspace_id = 7;
  row.payload = it->second;
  (void)lessonbook::SlackPayloadToInbound(row, nullptr);
  const nlohmann::json payload = nlohmann::json::parse(it->second, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return 0;
  auto view = payload.find("view");
  if (view == payload.end() || !view->is_object()) return 0;
  auto state = view->find("state");
  if (state == view->end() || !state->is_object()) return 0;
  auto values = state->find("values");
  if (values != state->end()) (void)lessonbook::ViewStateValues(*values);
  return 0;
}
