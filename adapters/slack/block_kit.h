// Block Kit: the engine's neutral Message rendered for Slack — message blocks, the Add-a-lesson
// modal, the App Home view — and the values of a submitted modal read back. Every string from
// the engine is plain text: &, < and > are escaped (Slack's three control characters), lesson
// titles and highlighted search words are bold in mrkdwn, author ids in the context line become
// mentions (<@U…>). Slack's limits are respected: 3000 characters of section text, 2000 per
// context element, 75 per button label, 10 fields per section, 50 blocks per message (100 per
// view); longer text is cut with "…".
// Pure functions; safe from any thread.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "bot/message.h"

namespace lessonbook {

inline constexpr std::size_t kSlackSectionTextMax = 3000;
inline constexpr std::size_t kSlackMessageBlocksMax = 50;
inline constexpr std::size_t kSlackViewBlocksMax = 100;

// Replaces & < > with &amp; &lt; &gt;.
std::string EscapeSlackText(std::string_view text);
// At most max_chars code points of valid UTF-8 text, "…" ending a cut.
std::string TruncateChars(std::string_view text, std::size_t max_chars);
// Rich text as escaped mrkdwn: strong and highlighted spans in *bold*.
std::string MrkdwnOf(const RichText& text);

// The blocks of a message (a JSON array), at most kSlackMessageBlocksMax.
nlohmann::json MessageBlocks(const Message& message);
// {"text": fallback, "blocks": [...]}: the body of chat.postMessage / a response_url post /
// an inline slash-command answer, without routing fields.
nlohmann::json MessagePayload(const Message& message);
// The same as JSON text, with "response_type" (in_channel, ephemeral) when one is given: the
// bytes json::dump writes of MessagePayload with that member, written without building it (an
// inline answer to every slash command).
std::string MessagePayloadText(const Message& message, std::string_view response_type = "");
// A modal view ({"type": "modal", "callback_id": form_id, …}) with one input block per input:
// block_id and action_id are the input's id. private_metadata (<= 3000 chars) comes back with
// the submission.
nlohmann::json ModalView(const Form& form, std::string_view private_metadata);
// The App Home tab view ({"type": "home", "blocks": […]}) of a message.
nlohmann::json HomeView(const Message& message);

// Reads view.state.values of a view_submission: input id (block id) -> value; multi-selects
// are comma-joined. Unknown element types are skipped.
std::map<std::string, std::string> ViewStateValues(const nlohmann::json& state_values);

}  // namespace lessonbook
