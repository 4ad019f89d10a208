#include "adapters/slack/targets.h"

#include <nlohmann/json.hpp>

#include "adapters/json_text.h"

namespace lessonbook {

using json = nlohmann::json;

// Written directly (adapters/json_text.h), members in nlohmann's order (sorted by key), so the
// bytes are what json::dump wrote before: two targets for every slash command, where building
// them as json documents was 2% of a search's CPU time (bench/README.md).
std::string EncodeSlackTarget(const SlackTarget& t) {
  std::string out;
  const auto member = [&out](std::string_view key, std::string_view value) {
    out += out.empty() ? '{' : ',';
    AppendJsonMember(out, key, value);
  };
  switch (t.kind) {
    case SlackTarget::Kind::kResponseUrl:
      out = "{\"at\":" + std::to_string(ToUnix(t.created_at));
      member("ch", t.channel);
      member("t", "url");
      member("u", t.user);
      member("url", t.url);
      break;
    case SlackTarget::Kind::kChannel:
      member("ch", t.channel);
      out += t.is_im ? ",\"im\":true" : ",\"im\":false";
      member("t", "ch");
      member("u", t.user);
      break;
    case SlackTarget::Kind::kHome:
      member("t", "home");
      member("u", t.user);
      break;
    case SlackTarget::Kind::kDm:
      member("t", "dm");
      member("u", t.user);
      break;
  }
  out += '}';
  return out;
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
