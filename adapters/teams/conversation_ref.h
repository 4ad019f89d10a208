// ConversationRef: where a Teams answer goes, carried through the engine as the Inbound's opaque
// reply_to and stored as the outbox row's target. Encoded as a small JSON object.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "bot/status.h"

namespace lessonbook::teams {

struct ConversationRef {
  std::string service_url;        // the Bot Connector for the conversation (from the activity)
  std::string conversation_id;    // empty: a 1:1 chat with user_id, created when needed
  std::string conversation_type;  // "personal", "groupChat", "channel"
  std::string tenant_id;
  std::string bot_id;       // the bot's account id ("28:<app id>")
  std::string user_id;      // who asked ("29:…"): private answers go to their 1:1 chat
  std::string reply_to_id;  // the activity answered: replies thread under it
  std::string update_id;    // the card that was submitted: replaced in place by the answer
};

std::string EncodeConversationRef(const ConversationRef& ref);
// InvalidArgument when the text is not an encoded reference with a service URL.
Result<ConversationRef> DecodeConversationRef(std::string_view text);

}  // namespace lessonbook::teams
