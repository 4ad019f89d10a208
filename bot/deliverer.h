// Deliverer: sends one stored outbox message to its platform. Adapters implement it; the outbox
// worker calls it. Deliver must be safe to call from the worker thread while requests are served.
#pragma once

#include <chrono>
#include <string>

#include "bot/domain.h"
#include "bot/message.h"

namespace lessonbook {

struct Outbound {
  std::int64_t outbox_id = 0;
  WorkspaceId workspace_id = 0;
  std::string target;  // the OutboxMessage's adapter-specific address
  Message message;
  int attempt = 1;     // 1 for the first try
};

struct Delivery {
  enum class Kind {
    kSent,    // the platform accepted it
    kRetry,   // try again later (429, 5xx, network): after retry_after when the platform said so
    kFailed,  // permanent: channel gone, token revoked, user blocked the bot
  };
  Kind kind = Kind::kSent;
  std::chrono::seconds retry_after{0};  // 0: the worker's backoff decides
  std::string reason;

  static Delivery Sent() { return {Kind::kSent, std::chrono::seconds(0), ""}; }
  static Delivery Retry(std::string why, std::chrono::seconds after = std::chrono::seconds(0)) {
    return {Kind::kRetry, after, std::move(why)};
  }
  static Delivery Failed(std::string why) {
    return {Kind::kFailed, std::chrono::seconds(0), std::move(why)};
  }
};

class Deliverer {
 public:
  virtual ~Deliverer() = default;
  virtual Delivery Deliver(const Outbound& out) = 0;
};

}  // namespace lessonbook
