#include "adapters/teams/conversation_ref.h"

#include <nlohmann/json.hpp>

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

void Put(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

std::string Get(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string EncodeConversationRef(const ConversationRef& ref) {
  json j = json::object();
  Put(j, "service_url", ref.service_url);
  Put(j, "conversation", ref.conversation_id);
  Put(j, "type", ref.conversation_type);
  Put(j, "tenant", ref.tenant_id);
  Put(j, "bot", ref.bot_id);
  Put(j, "user", ref.user_id);
  Put(j, "reply_to", ref.reply_to_id);
  Put(j, "update", ref.update_id);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ConversationRef> DecodeConversationRef(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::InvalidArgument("not a Teams conversation reference");
  ConversationRef ref;
  ref.service_url = Get(j, "service_url");
  ref.conversation_id = Get(j, "conversation");
  ref.conversation_type = Get(j, "type");
  ref.tenant_id = Get(j, "tenant");
  ref.bot_id = Get(j, "bot");
  ref.user_id = Get(j, "user");
  ref.reply_to_id = Get(j, "reply_to");
  ref.update_id = Get(j, "update");
  if (ref.service_url.empty() || (ref.conversation_id.empty() && ref.user_id.empty())) {
    return Status::InvalidArgument(
        "a Teams conversation reference needs a service URL and a "
        "conversation or a user");
  }
  return ref;
}

}  // namespace lessonbook::teams
