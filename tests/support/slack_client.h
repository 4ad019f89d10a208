// SlackClient: plays Slack against a running `lessonbook serve` in end-to-end tests — signed
// slash commands, Events API callbacks and interactivity payloads (v0 HMAC with the signing
// secret and the current time), and the OAuth install round trip (/slack/install, then the
// callback with the state and its cookie) answered by a FakeSlack.
// Thread-safety: one client per thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lessonbook::testing {

struct SlackReply {
  int status = 0;    // 0: no answer (connection failed)
  std::string body;  // as received
};

class SlackClient {
 public:
  SlackClient(int port, std::string signing_secret)
      : port_(port), secret_(std::move(signing_secret)) {}

  // POST /slack/commands as `/lessons <text>` from user in channel of team.
  SlackReply Command(const std::string& team, const std::string& user, const std::string& text,
                     const std::string& channel = "C0GENERAL1",
                     const std::string& response_url = "http://127.0.0.1:9/response") const;
  // POST /slack/events with an event_callback around `event` (event_id must be unique).
  SlackReply Event(const std::string& team, const std::string& event_id,
                   const nlohmann::json& event) const;
  // POST /slack/interactivity with payload=<json>.
  SlackReply Interaction(const nlohmann::json& payload) const;
  // Installs the app in `team` through OAuth; the FakeSlack at api_base must answer
  // oauth.v2.access for it. Returns the callback page's status.
  int Install(const std::string& code) const;

  // POSTs body with a valid signature.
  SlackReply PostSigned(const std::string& path, const std::string& body,
                        const std::string& content_type) const;

 private:
  int port_;
  std::string secret_;
};

}  // namespace lessonbook::testing
