// Slack's request payloads turned into the engine's Inbound: the slash command's form fields and
// the JSON of Events API callbacks and block_actions interactions. Pure functions of their input
// (no store, no network), so they are unit-tested and fuzzed (tests/fuzz/) without a server.
// Thread-safety: pure; safe from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "bot/domain.h"
#include "bot/inbound.h"
#include "bot/status.h"

namespace lessonbook {

// The longest command text accepted from a slash command; longer message text is cut to it.
inline constexpr std::size_t kMaxSlackCommandText = 12000;

// The fields of a slash command's form body that Lessonbook uses.
struct SlashCommandForm {
  std::string team_id;
  std::string user_id;
  std::string user_name;
  std::string channel_id;
  std::string response_url;
  std::string trigger_id;
  std::string text;  // trimmed; "help" when empty
};

// Reads a slash command's application/x-www-form-urlencoded body. InvalidArgument for a
// malformed body, a missing team_id / user_id / channel_id / response_url, or a text longer than
// kMaxSlackCommandText.
Result<SlashCommandForm> ReadSlashCommandForm(std::string_view body);

// The bot's own user id in a team, when known ("" otherwise).
using BotUserLookup = std::function<std::string(const std::string& team_id)>;

// Turns a verified payload kept in the inbox (an Events API event_callback, or a block_actions
// interaction) into an Inbound for row.workspace_id. NotFound for payloads the engine has nothing
// to do with (other event types, bot messages, edits); InvalidArgument for malformed ones. Any
// JSON value in any field is handled: never an exception.
Result<Inbound> SlackPayloadToInbound(const InboxEvent& row, const BotUserLookup& bot_user_for);

// Removes the bot's own mentions (<@U123> or <@U123|name>) from an app_mention's text; without a
// known bot id, the mention the text starts with.
std::string StripBotMention(const std::string& text, const std::string& bot_user_id);

}  // namespace lessonbook
