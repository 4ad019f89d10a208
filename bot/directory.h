// Directory: who is in a channel or team. The platforms know (Slack conversations.members, the
// Teams roster); the engine asks through this interface when `campaign new … with:#channel`
// names a whole channel or team. Adapters implement it; calls may block on the platform.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

class Directory {
 public:
  virtual ~Directory() = default;
  // The user ids of the people in the channel (Slack) or the team of the channel (Teams), the
  // bot itself left out. NotFound when the bot does not know the channel.
  virtual Result<std::vector<std::string>> MembersOf(WorkspaceId ws,
                                                     std::string_view channel) = 0;
};

}  // namespace lessonbook
