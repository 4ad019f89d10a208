// Bot Framework activities from Teams: the JSON the Bot Connector POSTs to /teams/messages, read
// into a plain struct, and the struct translated to the engine's Inbound.
//
// Fields read (Bot Framework Activity schema, Teams channelData): type, id, timestamp,
// serviceUrl, channelId, from{id,name,aadObjectId}, conversation{id,conversationType,tenantId},
// recipient{id,name}, text, value, name (invoke), replyToId, localTimezone,
// entities[] (mention: mentioned{id,name}, text "<at>…</at>"; clientInfo: timezone),
// channelData{tenant{id}, team{id}, channel{id}}, membersAdded[].id.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"
#include "bot/inbound.h"
#include "bot/status.h"

namespace lessonbook::teams {

struct Mention {
  std::string id;    // mentioned.id
  std::string name;  // mentioned.name
  std::string text;  // how it appears in the activity's text: "<at>Ana</at>"
};

struct Activity {
  std::string type;  // "message", "conversationUpdate", "invoke", …
  std::string id;
  std::string timestamp;
  std::string service_url;
  std::string channel_id;  // "msteams"
  std::string from_id;
  std::string from_name;
  std::string from_aad_object_id;
  std::string conversation_id;
  std::string conversation_type;  // "personal", "groupChat", "channel"
  std::string conversation_tenant_id;
  std::string recipient_id;  // the bot
  std::string recipient_name;
  std::string text;
  std::string value_json;  // the `value` member as JSON text; empty when absent
  std::string name;        // invoke name, e.g. "adaptiveCard/action"
  std::string reply_to_id;
  std::string local_timezone;
  std::vector<Mention> mentions;
  std::string tenant_id;  // channelData.tenant.id
  std::string team_id;    // channelData.team.id
  std::vector<std::string> members_added;

  // channelData.tenant.id, else conversation.tenantId.
  std::string Tenant() const { return tenant_id.empty() ? conversation_tenant_id : tenant_id; }
  bool IsPersonal() const { return conversation_type == "personal"; }
  // The bot itself joined the conversation (installed in a team, a chat or by a user).
  bool BotWasAdded() const;
};

// InvalidArgument unless the body is a JSON object with a type, a serviceUrl, a channelId, a
// conversation id and a sender id (all strings), within size limits.
Result<Activity> ParseActivity(std::string_view body);

// The words for the engine: the bot's own <at> mention removed, every other mention replaced by
// "<@user id>" (the engine reads by:<@id> as that user), &nbsp; as spaces, trimmed.
std::string CommandText(const Activity& activity);

// The Inbound for an activity that asks something of the bot:
//   message with text              -> MessageEvent{text, is_direct: personal chat}
//   message with a card's `value`  -> FormSubmitEvent (data verb "submit") or ActionEvent
//                                     (verb "action"); the answer replaces the card
//   invoke adaptiveCard/action     -> the same, from value.action.{verb,data}
//   conversationUpdate (bot added) -> InstalledEvent (the answer greets the conversation)
// NotFound for activities that carry nothing for the engine (typing, other updates, empty text).
Result<Inbound> ToInbound(const Activity& activity, WorkspaceId workspace);

}  // namespace lessonbook::teams
