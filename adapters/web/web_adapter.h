// WebAdapter: the local web chat. Translates the page's JSON requests to Inbound events,
// renders the engine's Message as a JSON message view, and keeps an in-memory feed per web
// channel that Deliver appends to and the page polls (GET /web/feed).
//
// Access (DESIGN.md, Operations): without a token only when the Config allows it
// (WebOpenWithoutToken) and the request's Host is loopback; otherwise every request needs
// `Authorization: Bearer <LESSONBOOK_WEB_TOKEN>`; with no token configured the chat is then off.
//
// Requests (bodies are JSON objects, Content-Type application/json):
//   POST /web/messages {"text", "user", "client_msg_id"?}          -> CommandEvent
//   POST /web/forms    {"form_id", "values": {id: string | [string]}, "state"?, "user",
//                       "client_msg_id"?}                          -> FormSubmitEvent
//   POST /web/actions  {"action_id", "value"?, "user"}             -> ActionEvent
// Answers: {"messages": [<view>], "shared_seq"?: n} (shared_seq when the message also went to
// the channel's feed, so the page does not show it twice); GET /web/feed answers
// {"messages": [{"seq", "message": <view>, "user"?}], "last": n}. See RenderMessageView.
//
// Thread-safety: every method may be called from any thread (Deliver from the outbox worker).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.h"
#include "bot/config.h"
#include "bot/domain.h"

namespace lessonbook {

struct WebAdapterOptions {
  // Default: 12000. Longest command text, in bytes.
  std::size_t max_text_bytes = 12000;
  // Default: 500. Messages kept per channel feed (older ones are dropped).
  std::size_t feed_size = 500;
  // Default: 100. Most messages one GET /web/feed returns.
  std::size_t feed_page = 100;
  // Default: 64. Most distinct channels the feed keeps; Deliver fails for more.
  std::size_t max_channels = 64;
};

// The only channel of the local web chat.
inline constexpr std::string_view kWebGeneralChannel = "web:general";

class WebAdapter final : public Adapter {
 public:
  WebAdapter(WorkspaceId workspace_id, const Config& config, WebAdapterOptions options = {});

  Platform platform() const override { return Platform::kWeb; }
  // Checks access, then parses POST /web/messages, /web/forms or /web/actions.
  Result<Inbound> Parse(const HttpRequest& request) override;
  // {"messages": [...]}; a channel-visible message is also appended to the inbound's channel.
  HttpResponse Render(const Inbound& inbound, const Reply& reply) override;
  // Appends the message to the feed of out.target (a "web:" channel). Never retried.
  Delivery Deliver(const Outbound& out) override;

  // OK when the request may use the web chat; Unauthenticated (or PermissionDenied for a
  // cross-site request) otherwise, with a message saying what to do.
  Status CheckAccess(const HttpRequest& request) const;
  // GET /web/feed?channel=web:general&after=N: checks access, answers the feed's JSON.
  HttpResponse Feed(const HttpRequest& request);

  struct FeedEntry {
    std::int64_t seq = 0;
    Message message;
    std::string user;  // who the message answered, when it came from Render
  };
  // Entries of channel with seq > after, oldest first, at most `limit`; *last receives the seq
  // the next call should pass as `after`.
  std::vector<FeedEntry> ReadFeed(std::string_view channel, std::int64_t after, std::size_t limit,
                                  std::int64_t* last) const;

 private:
  Result<std::int64_t> Append(const std::string& channel, const Message& message,
                              const std::string& user);

  const WorkspaceId workspace_id_;
  const bool open_without_token_;
  const std::string token_;
  const WebAdapterOptions options_;

  mutable std::mutex mu_;
  std::int64_t next_seq_ = 1;
  std::map<std::string, std::deque<FeedEntry>, std::less<>> feeds_;
};

// The JSON message view of a Message (an object):
//   {"text", "is_error", "visibility": "private"|"channel",
//    "sections": [{"text": [{"text", "strong", "highlight"}], "fields": [{"label", "value"}],
//                  "context", "buttons": [{"label", "action_id", "value",
//                                          "style": "default"|"primary"|"danger"}]}],
//    "form"?: {"form_id", "title", "submit_label", "state",
//              "inputs": [{"id", "label", "kind": "text"|"multiline"|"choice"|"multi_choice",
//                          "choices": [{"value", "label"}], "initial", "placeholder",
//                          "required", "max_length"}]}}
// Invalid UTF-8 in any string is replaced with U+FFFD.
std::string RenderMessageView(const Message& message);

}  // namespace lessonbook
