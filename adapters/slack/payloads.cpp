#include "adapters/slack/payloads.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/json_fields.h"
#include "adapters/slack/form_body.h"
#include "adapters/slack/targets.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  const std::size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// The bot user id an Events API payload names in authorizations[] (is_bot).
std::string AuthorizedBotUser(const json& payload) {
  const json& list = JsonMember(payload, "authorizations");
  if (!list.is_array()) return "";
  for (const json& a : list) {
    const json& is_bot = JsonMember(a, "is_bot");
    // Only a JSON true counts: value("is_bot", false) would throw on a non-boolean.
    if (is_bot.is_boolean() && is_bot.get<bool>()) {
      std::string user = JsonString(a, "user_id");
      if (!user.empty()) return user;
    }
  }
  return "";
}

}  // namespace

Result<SlashCommandForm> ReadSlashCommandForm(std::string_view body) {
  // The 7 fields read of a command's 13, decoded straight into the form; the first of a repeated
  // key wins (as ParseFormBody keeps it), every field's escapes are checked all the same.
  Result<std::vector<EncodedFormField>> fields = SplitFormBody(body);
  if (!fields.ok()) return fields.status();
  SlashCommandForm out;
  std::string text;
  struct Wanted {
    std::string_view name;
    std::string* into;
    bool required = false;  // a command without it (or with it empty) is refused
    bool seen = false;
  };
  Wanted wanted[] = {{"team_id", &out.team_id, true},
                     {"user_id", &out.user_id, true},
                     {"user_name", &out.user_name},
                     {"channel_id", &out.channel_id, true},
                     {"response_url", &out.response_url, true},
                     {"trigger_id", &out.trigger_id},
                     {"text", &text}};
  for (const EncodedFormField& field : *fields) {
    for (Wanted& w : wanted) {
      if (w.seen || !FormKeyIs(field, w.name)) continue;
      w.seen = true;
      *w.into = *FormDecode(field.value);
      break;
    }
  }
  for (const Wanted& w : wanted) {
    if (w.required && w.into->empty()) {
      return Status::InvalidArgument("the slash command has no " + std::string(w.name));
    }
  }
  out.text = Trim(std::move(text));
  if (out.text.size() > kMaxSlackCommandText) {
    return Status::InvalidArgument("the command is longer than 12000 bytes");
  }
  if (out.text.empty()) out.text = "help";
  return out;
}

std::string StripBotMention(const std::string& text, const std::string& bot_user_id) {
  std::string out = text;
  if (!bot_user_id.empty()) {
    for (const std::string& m : {"<@" + bot_user_id + ">", "<@" + bot_user_id + "|"}) {
      std::size_t pos;
      while ((pos = out.find(m)) != std::string::npos) {
        std::size_t end = m.back() == '>' ? pos + m.size() : out.find('>', pos);
        if (end == std::string::npos) break;
        if (m.back() == '|') ++end;
        out.erase(pos, end - pos);
      }
    }
    return Trim(out);
  }
  out = Trim(out);
  if (out.rfind("<@", 0) == 0) {
    std::size_t end = out.find('>');
    if (end != std::string::npos) out.erase(0, end + 1);
  }
  return Trim(out);
}

Result<Inbound> SlackPayloadToInbound(const InboxEvent& row, const BotUserLookup& bot_user_for) {
  json payload = json::parse(row.payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Status::InvalidArgument("the stored payload is not JSON");
  }
  Inbound in;
  in.workspace_id = row.workspace_id;
  in.platform = Platform::kSlack;
  in.request_key = "slack-event:" + row.event_id;
  const std::string type = JsonString(payload, "type");

  if (type == "block_actions") {
    const json& user = JsonMember(payload, "user");
    in.user_id = JsonString(user, "id");
    in.user_name = JsonString(user, "username");
    const json& actions = JsonMember(payload, "actions");
    if (!actions.is_array() || actions.empty() || !actions[0].is_object()) {
      return Status::InvalidArgument("block_actions without actions");
    }
    ActionEvent action{JsonString(actions[0], "action_id"), JsonString(actions[0], "value")};
    if (action.action_id.empty()) return Status::InvalidArgument("an action without action_id");
    std::string channel = JsonString(JsonMember(payload, "channel"), "id");
    if (channel.empty()) channel = JsonString(JsonMember(payload, "container"), "channel_id");
    in.channel_id = channel;
    in.event = std::move(action);
    const std::string response_url = JsonString(payload, "response_url");
    SlackTarget t;
    t.user = in.user_id;
    t.channel = channel;
    if (!response_url.empty()) {
      t.kind = SlackTarget::Kind::kResponseUrl;
      t.url = response_url;
      t.created_at = row.received_at;
    } else {
      t.kind = SlackTarget::Kind::kDm;
    }
    in.reply_to = EncodeSlackTarget(t);
    return in;
  }

  const json& event = JsonMember(payload, "event");
  if (type != "event_callback" || !event.is_object()) {
    return Status::NotFound("nothing for the engine in a '" + type + "' payload");
  }
  const std::string etype = JsonString(event, "type");
  const std::string team = JsonString(payload, "team_id");
  in.user_id = JsonString(event, "user");
  in.channel_id = JsonString(event, "channel");
  std::string bot_user = AuthorizedBotUser(payload);
  if (bot_user.empty() && bot_user_for) bot_user = bot_user_for(team);

  if (etype == "app_home_opened") {
    if (JsonString(event, "tab") != "home" || in.user_id.empty()) {
      return Status::NotFound("app_home_opened for the " + JsonString(event, "tab") + " tab");
    }
    SlackTarget t;
    t.kind = SlackTarget::Kind::kHome;
    t.user = in.user_id;
    in.reply_to = EncodeSlackTarget(t);
    in.event = HomeOpenedEvent{};
    return in;
  }
  const bool is_dm = etype == "message" && JsonString(event, "channel_type") == "im";
  if (etype != "app_mention" && !is_dm) {
    return Status::NotFound("the " + etype + " event is not handled");
  }
  if (event.contains("bot_id") || event.contains("subtype") || in.user_id.empty() ||
      (!bot_user.empty() && in.user_id == bot_user)) {
    return Status::NotFound("a message from a bot or a message change");
  }
  std::string text = JsonString(event, "text");
  if (etype == "app_mention") text = StripBotMention(text, bot_user);
  text = Trim(text);
  if (text.empty()) text = "help";
  if (text.size() > kMaxSlackCommandText) text.resize(kMaxSlackCommandText);
  in.event = MessageEvent{text, is_dm};
  SlackTarget t;
  t.kind = SlackTarget::Kind::kChannel;
  t.channel = in.channel_id;
  t.user = in.user_id;
  t.is_im = is_dm;
  in.reply_to = EncodeSlackTarget(t);
  in.channel_target = in.reply_to;
  return in;
}

}  // namespace lessonbook
