#include "tests/support/slack_client.h"

#include <httplib.h>

#include <chrono>

#include "adapters/http/url.h"
#include "adapters/slack/signature.h"

namespace lessonbook::testing {
namespace {

std::string NowSeconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// The value of name in a query string ("a=1&state=xyz").
std::string QueryValue(const std::string& url, const std::string& name) {
  std::size_t at = url.find(name + "=");
  while (at != std::string::npos && at > 0 && url[at - 1] != '?' && url[at - 1] != '&') {
    at = url.find(name + "=", at + 1);
  }
  if (at == std::string::npos) return "";
  std::size_t from = at + name.size() + 1;
  std::size_t to = url.find('&', from);
  return url.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

}  // namespace

SlackReply SlackClient::PostSigned(const std::string& path, const std::string& body,
                                   const std::string& content_type) const {
  httplib::Client http("127.0.0.1", port_);
  http.set_read_timeout(10, 0);
  const std::string ts = NowSeconds();
  auto res = http.Post(path.c_str(),
                       {{"X-Slack-Request-Timestamp", ts},
                        {"X-Slack-Signature", SignSlackRequest(secret_, ts, body)}},
                       body, content_type.c_str());
  if (!res) return {};
  return {res->status, res->body};
}

SlackReply SlackClient::Command(const std::string& team, const std::string& user,
                                const std::string& text, const std::string& channel,
                                const std::string& response_url) const {
  static int trigger = 0;
  return PostSigned("/slack/commands",
                    FormEncode({{"team_id", team},
                                {"channel_id", channel},
                                {"user_id", user},
                                {"user_name", user},
                                {"command", "/lessons"},
                                {"text", text},
                                {"response_url", response_url},
                                {"trigger_id", "9.9." + std::to_string(++trigger)}}),
                    "application/x-www-form-urlencoded");
}

SlackReply SlackClient::Event(const std::string& team, const std::string& event_id,
                              const nlohmann::json& event) const {
  nlohmann::json body = {{"type", "event_callback"}, {"team_id", team},
                         {"api_app_id", "A0TEST"},   {"event_id", event_id},
                         {"event_time", 1700000000}, {"event", event}};
  return PostSigned("/slack/events", body.dump(), "application/json");
}

SlackReply SlackClient::Interaction(const nlohmann::json& payload) const {
  return PostSigned("/slack/interactivity", FormEncode({{"payload", payload.dump()}}),
                    "application/x-www-form-urlencoded");
}

int SlackClient::Install(const std::string& code) const {
  httplib::Client http("127.0.0.1", port_);
  http.set_read_timeout(10, 0);
  auto start = http.Get("/slack/install");
  if (!start || start->status != 302) return start ? start->status : 0;
  const std::string state = QueryValue(start->get_header_value("Location"), "state");
  std::string cookie = start->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto done = http.Get(("/slack/oauth/callback?code=" + code + "&state=" + state).c_str(),
                       {{"Cookie", cookie}});
  return done ? done->status : 0;
}

}  // namespace lessonbook::testing
