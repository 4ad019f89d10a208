#include "adapters/slack/targets.h"

#include <nlohmann/json.hpp>

namespace lessonbook {

using json = nlohmann::json;

std::string EncodeSlackTarget(const SlackTarget& t) {
  json j;
  switch (t.kind) {
    case SlackTarget::Kind::kResponseUrl:
      j = {{"t", "url"},
           {"url", t.url},
           {"ch", t.channel},
           {"u", t.user},
           {"at", ToUnix(t.created_at)}};
      break;
    case SlackTarget::Kind::kChannel:
      j = {{"t", "ch"}, {"ch", t.channel}, {"u", t.user}, {"im", t.is_im}};
      break;
    case SlackTarget::Kind::kHome:
      j = {{"t", "home"}, {"u", t.user}};
      break;
    case SlackTarget::Kind::kDm:
      j = {{"t", "dm"}, {"u", t.user}};
      break;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<SlackTarget> DecodeSlackTarget(const std::string& encoded) {
  // The engine's own address for a person's DM (bot/postmortem.h DmTarget): "dm:<user id>".
  if (encoded.rfind("dm:", 0) == 0 && encoded.size() > 3 &&
      encoded.find_first_of("{}\" ") == std::string::npos) {
    SlackTarget t;
    t.kind = SlackTarget::Kind::kDm;
    t.user = encoded.substr(3);
    return t;
  }
  json j = json::parse(encoded, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("t") || !j["t"].is_string()) {
    return Status::InvalidArgument("not a Slack target: " + encoded.substr(0, 80));
  }
  auto str = [&](const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
  };
  SlackTarget t;
  const std::string kind = j["t"].get<std::string>();
  t.url = str("url");
  t.channel = str("ch");
  t.user = str("u");
  if (j.contains("im") && j["im"].is_boolean()) t.is_im = j["im"].get<bool>();
  if (j.contains("at") && j["at"].is_number_integer())
    t.created_at = FromUnix(j["at"].get<long long>());
  if (kind == "url" && !t.url.empty()) {
    t.kind = SlackTarget::Kind::kResponseUrl;
  } else if (kind == "ch" && !t.channel.empty()) {
    t.kind = SlackTarget::Kind::kChannel;
  } else if (kind == "home" && !t.user.empty()) {
    t.kind = SlackTarget::Kind::kHome;
  } else if (kind == "dm" && !t.user.empty()) {
    t.kind = SlackTarget::Kind::kDm;
  } else {
    return Status::InvalidArgument("not a Slack target: " + encoded.substr(0, 80));
  }
  return t;
}

}  // namespace lessonbook
