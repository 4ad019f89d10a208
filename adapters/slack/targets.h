// Outbox targets of the Slack adapter: where a later message goes, as a small JSON string kept
// in the outbox row (opaque to the engine).
//   {"t":"url","url":…,"ch":…,"u":…,"at":<unix>}  a response_url (30 minutes, 5 uses; then a DM)
//   {"t":"ch","ch":…,"u":…,"im":bool}             a channel: chat.postEphemeral to u when the
//                                                  message is private, else chat.postMessage
//   {"t":"home","u":…}                             the user's App Home tab (views.publish)
//   {"t":"dm","u":…}                               a DM (conversations.open + chat.postMessage)
// Pure; safe from any thread.
#pragma once

#include <string>

#include "bot/clock.h"
#include "bot/status.h"

namespace lessonbook {

struct SlackTarget {
  enum class Kind { kResponseUrl, kChannel, kHome, kDm };
  Kind kind = Kind::kDm;
  std::string url;
  std::string channel;
  std::string user;
  bool is_im = false;
  Time created_at{};
};

std::string EncodeSlackTarget(const SlackTarget& target);
// InvalidArgument for anything EncodeSlackTarget did not write.
Result<SlackTarget> DecodeSlackTarget(const std::string& encoded);

}  // namespace lessonbook
