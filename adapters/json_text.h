// JSON text written directly, for documents on hot paths where building an nlohmann::json
// (a std::map node per member) and dumping it costs more than the work around it: the Block Kit
// answer to every slash command and its outbox targets (adapters/slack/block_kit.h, targets.h),
// and the HTTP server's own error bodies, which need no document at all. The bytes are those of
// nlohmann's dump(-1, ' ', false, error_handler_t::replace), which every adapter writes with:
// UTF-8 kept as is, `"` `\` and control characters escaped, invalid UTF-8 replaced by U+FFFD.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace lessonbook {

// Appends text as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);
// Appends an object member of a string value: "key":"value", both written as AppendJsonString.
void AppendJsonMember(std::string& out, std::string_view key, std::string_view value);

}  // namespace lessonbook
