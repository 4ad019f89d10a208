#include "adapters/slack/payloads.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/slack/form_body.h"
#include "adapters/slack/targets.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& Member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  const std::size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// The bot user id an Events API payload names in authorizations[] (is_bot).
std::string AuthorizedBotUser(const json& payload) {
  const json& list = Member(payload, "authorizations");
  if (!list.is_array()) return "";
  for (const json& a : list) {
    const json& is_bot = Member(a, "is_bot");
    // Only a JSON true counts: value("is_bot", false) would throw on a non-boolean.
    if (is_bot.is_boolean() && is_bot.get<bool>()) {
      std::string user = Str(a, "user_id");
      if (!user.empty()) return user;
    }
  }
  return "";
}

}  // namespace

Result<SlashCommandForm> ReadSlashCommandForm(std::string_view body) {
  auto form = ParseFormBody(body);
  if (!form.ok()) return form.status();
  auto get = [&](const char* k) {
    auto it = form->find(k);
    return it == form->end() ? std::string() : it->second;
  };
  SlashCommandForm out;
  out.team_id = get("team_id");
  out.user_id = get("user_id");
  out.user_name = get("user_name");
  out.channel_id = get("channel_id");
  out.response_url = get("response_url");
  out.trigger_id = get("trigger_id");
  for (const char* k : {"team_id", "user_id", "channel_id", "response_url"}) {
    if (get(k).empty()) {
      return Status::InvalidArgument(std::string("the slash command has no ") + k);
    }
  }
  out.text = Trim(get("text"));
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
  const std::string type = Str(payload, "type");

  if (type == "block_actions") {
    const json& user = Member(payload, "user");
    in.user_id = Str(user, "id");
    in.user_name = Str(user, "username");
    const json& actions = Member(payload, "actions");
    if (!actions.is_array() || actions.empty() || !actions[0].is_object()) {
      return Status::InvalidArgument("block_actions without actions");
    }
    ActionEvent action{Str(actions[0], "action_id"), Str(actions[0], "value")};
    if (action.action_id.empty()) return Status::InvalidArgument("an action without action_id");
    std::string channel = Str(Member(payload, "channel"), "id");
    if (channel.empty()) channel = Str(Member(payload, "container"), "channel_id");
    in.channel_id = channel;
    in.event = std::move(action);
    const std::string response_url = Str(payload, "response_url");
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

  const json& event = Member(payload, "event");
  if (type != "event_callback" || !event.is_object()) {
    return Status::NotFound("nothing for the engine in a '" + type + "' payload");
  }
  const std::string etype = Str(event, "type");
  const std::string team = Str(payload, "team_id");
  in.user_id = Str(event, "user");
  in.channel_id = Str(event, "channel");
  std::string bot_user = AuthorizedBotUser(payload);
  if (bot_user.empty() && bot_user_for) bot_user = bot_user_for(team);

  if (etype == "app_home_opened") {
    if (Str(event, "tab") != "home" || in.user_id.empty()) {
      return Status::NotFound("app_home_opened for the " + Str(event, "tab") + " tab");
    }
    SlackTarget t;
    t.kind = SlackTarget::Kind::kHome;
    t.user = in.user_id;
    in.reply_to = EncodeSlackTarget(t);
    in.event = HomeOpenedEvent{};
    return in;
  }
  const bool is_dm = etype == "message" && Str(event, "channel_type") == "im";
  if (etype != "app_mention" && !is_dm) {
    return Status::NotFound("the " + etype + " event is not handled");
  }
  if (event.contains("bot_id") || event.contains("subtype") || in.user_id.empty() ||
      (!bot_user.empty() && in.user_id == bot_user)) {
    return Status::NotFound("a message from a bot or a message change");
  }
  std::string text = Str(event, "text");
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
