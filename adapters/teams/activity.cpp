#include "adapters/teams/activity.h"

#include <nlohmann/json.hpp>

#include "adapters/teams/conversation_ref.h"

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxIdBytes = 512;
constexpr std::size_t kMaxTextBytes = 28 * 1024;  // Teams' own message limit is about 28 KB
constexpr std::size_t kMaxValueBytes = 64 * 1024;
constexpr std::size_t kMaxFormValues = 100;

const json* Member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

// obj[key] when it is a string; "" when absent or null; an error for any other type.
Status ReadString(const json& obj, const char* key, std::size_t max, std::string* out) {
  const json* v = Member(obj, key);
  if (v == nullptr || v->is_null()) {
    out->clear();
    return Status::Ok();
  }
  if (!v->is_string()) return Status::InvalidArgument(std::string(key) + " must be a string");
  *out = v->get<std::string>();
  if (out->size() > max) return Status::InvalidArgument(std::string(key) + " is too long");
  return Status::Ok();
}

std::string Nested(const json& j, const char* outer, const char* inner) {
  const json* o = Member(j, outer);
  if (o == nullptr) return "";
  const json* v = Member(*o, inner);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = s->find(from); at != std::string::npos;
       at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

std::string Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string ValueAsString(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

ConversationRef RefFor(const Activity& a) {
  ConversationRef ref;
  ref.service_url = a.service_url;
  ref.conversation_id = a.conversation_id;
  ref.conversation_type = a.conversation_type;
  ref.tenant_id = a.Tenant();
  ref.bot_id = a.recipient_id;
  return ref;
}

// A card's submitted data: {"verb": "submit", "form_id", "state", <inputs>…} or
// {"verb": "action", "action_id", "value"}.
Result<std::variant<FormSubmitEvent, ActionEvent>> CardEvent(const json& data) {
  if (!data.is_object()) return Status::NotFound("the card data is not an object");
  std::string verb;
  Status s = ReadString(data, "verb", kMaxIdBytes, &verb);
  if (!s.ok()) return s;
  if (verb == "submit") {
    FormSubmitEvent form;
    if (!(s = ReadString(data, "form_id", kMaxIdBytes, &form.form_id)).ok()) return s;
    if (!(s = ReadString(data, "state", kMaxValueBytes, &form.state)).ok()) return s;
    if (form.form_id.empty()) return Status::InvalidArgument("the card data has no form_id");
    if (data.size() > kMaxFormValues)
      return Status::InvalidArgument("the card has too many inputs");
    for (const auto& [key, v] : data.items()) {
      if (key == "verb" || key == "form_id" || key == "state" || key == "msteams") continue;
      form.values[key] = ValueAsString(v);
    }
    return std::variant<FormSubmitEvent, ActionEvent>(std::move(form));
  }
  if (verb == "action") {
    ActionEvent action;
    if (!(s = ReadString(data, "action_id", kMaxIdBytes, &action.action_id)).ok()) return s;
    if (!(s = ReadString(data, "value", kMaxValueBytes, &action.value)).ok()) return s;
    if (action.action_id.empty()) return Status::InvalidArgument("the card data has no action_id");
    return std::variant<FormSubmitEvent, ActionEvent>(std::move(action));
  }
  return Status::NotFound("the card data has no Lessonbook verb");
}

}  // namespace

bool Activity::BotWasAdded() const {
  for (const std::string& id : members_added) {
    if (!id.empty() && id == recipient_id) return true;
  }
  return false;
}

Result<Activity> ParseActivity(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("the activity is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("the activity is not a JSON object");
  Activity a;
  struct Top {
    const char* key;
    std::string* out;
    std::size_t max;
  };
  for (const Top& t : {Top{"type", &a.type, 64}, Top{"id", &a.id, kMaxIdBytes},
                       Top{"timestamp", &a.timestamp, 64}, Top{"serviceUrl", &a.service_url, 2048},
                       Top{"channelId", &a.channel_id, 64}, Top{"text", &a.text, kMaxTextBytes},
                       Top{"name", &a.name, 128}, Top{"replyToId", &a.reply_to_id, kMaxIdBytes},
                       Top{"localTimezone", &a.local_timezone, 64}}) {
    Status s = ReadString(j, t.key, t.max, t.out);
    if (!s.ok()) return s;
  }
  struct Sub {
    const char* outer;
    const char* inner;
    std::string* out;
  };
  for (const Sub& s :
       {Sub{"from", "id", &a.from_id}, Sub{"from", "name", &a.from_name},
        Sub{"from", "aadObjectId", &a.from_aad_object_id},
        Sub{"conversation", "id", &a.conversation_id},
        Sub{"conversation", "conversationType", &a.conversation_type},
        Sub{"conversation", "tenantId", &a.conversation_tenant_id},
        Sub{"recipient", "id", &a.recipient_id}, Sub{"recipient", "name", &a.recipient_name}}) {
    *s.out = Nested(j, s.outer, s.inner);
    if (s.out->size() > kMaxIdBytes) {
      return Status::InvalidArgument(std::string(s.outer) + "." + s.inner + " is too long");
    }
  }
  if (a.type.empty() || a.service_url.empty() || a.channel_id.empty() ||
      a.conversation_id.empty() || a.from_id.empty()) {
    return Status::InvalidArgument(
        "the activity needs type, serviceUrl, channelId, conversation.id and from.id");
  }
  if (const json* value = Member(j, "value"); value != nullptr && !value->is_null()) {
    a.value_json = value->dump(-1, ' ', false, json::error_handler_t::replace);
    if (a.value_json.size() > kMaxValueBytes) return Status::InvalidArgument("value is too long");
  }
  if (const json* cd = Member(j, "channelData"); cd != nullptr && cd->is_object()) {
    a.tenant_id = Nested(*cd, "tenant", "id");
    a.team_id = Nested(*cd, "team", "id");
  }
  if (const json* entities = Member(j, "entities"); entities != nullptr && entities->is_array()) {
    for (const json& e : *entities) {
      if (!e.is_object()) continue;
      const json* type = Member(e, "type");
      if (type == nullptr || !type->is_string()) continue;
      if (*type == "mention") {
        Mention m;
        m.id = Nested(e, "mentioned", "id");
        m.name = Nested(e, "mentioned", "name");
        const json* text = Member(e, "text");
        if (text != nullptr && text->is_string()) m.text = text->get<std::string>();
        if (!m.id.empty() && !m.text.empty()) a.mentions.push_back(std::move(m));
      } else if (*type == "clientInfo" && a.local_timezone.empty()) {
        const json* tz = Member(e, "timezone");
        if (tz != nullptr && tz->is_string() && tz->get<std::string>().size() <= 64) {
          a.local_timezone = tz->get<std::string>();
        }
      }
    }
  }
  if (const json* added = Member(j, "membersAdded"); added != nullptr && added->is_array()) {
    for (const json& m : *added) {
      const json* id = Member(m, "id");
      if (id != nullptr && id->is_string()) a.members_added.push_back(id->get<std::string>());
    }
  }
  return a;
}

std::string CommandText(const Activity& activity) {
  std::string text = activity.text;
  for (const Mention& m : activity.mentions) {
    if (m.id == activity.recipient_id) {
      ReplaceAll(&text, m.text, " ");  // only the bot's own mention
    }
  }
  for (const Mention& m : activity.mentions) {
    if (m.id != activity.recipient_id) ReplaceAll(&text, m.text, "<@" + m.id + ">");
  }
  ReplaceAll(&text, "&nbsp;", " ");
  ReplaceAll(&text, "\xC2\xA0", " ");  // U+00A0
  return Trim(text);
}

Result<Inbound> ToInbound(const Activity& a, WorkspaceId workspace) {
  Inbound in;
  in.workspace_id = workspace;
  in.platform = Platform::kTeams;
  in.user_id = a.from_id;
  in.user_name = a.from_name;
  in.channel_id = a.conversation_id;
  in.request_key = "teams:" + a.conversation_id + ":" + a.id;
  ConversationRef conversation = RefFor(a);
  in.channel_target = EncodeConversationRef(conversation);
  ConversationRef reply = conversation;
  reply.user_id = a.from_id;

  const bool card = (a.type == "message" && !a.value_json.empty()) ||
                    (a.type == "invoke" && a.name == "adaptiveCard/action");
  if (card) {
    json value = json::parse(a.value_json, nullptr, false);
    json data = value;
    if (a.type == "invoke") {  // Universal Actions: value.action {type, verb, data}
      const json* action = Member(value, "action");
      data = action != nullptr && action->contains("data") ? (*action)["data"] : json::object();
      if (action != nullptr && data.is_object() && !data.contains("verb")) {
        data["verb"] = Nested(value, "action", "verb");
      }
    }
    auto event = CardEvent(data);
    if (!event.ok()) return event.status();
    if (std::holds_alternative<FormSubmitEvent>(*event)) {
      in.event = std::get<FormSubmitEvent>(std::move(*event));
      reply.update_id = a.reply_to_id;  // the card that was submitted
    } else {
      in.event = std::get<ActionEvent>(std::move(*event));
      reply.reply_to_id = a.reply_to_id;
    }
    in.reply_to = EncodeConversationRef(reply);
    return in;
  }
  if (a.type == "message") {
    std::string text = CommandText(a);
    if (text.empty()) return Status::NotFound("the message has no text for the bot");
    in.event = MessageEvent{std::move(text), a.IsPersonal()};
    reply.reply_to_id = a.id;
    in.reply_to = EncodeConversationRef(reply);
    return in;
  }
  if (a.type == "conversationUpdate" && a.BotWasAdded()) {
    in.event = InstalledEvent{a.from_id};
    in.reply_to = in.channel_target;  // the greeting is for the whole conversation
    return in;
  }
  return Status::NotFound("a " + a.type + " activity carries nothing for the bot");
}

}  // namespace lessonbook::teams
