// The App Home tab (Slack's per-user Home surface; other platforms may reuse it): the person's
// open post-mortems, how to use Lessonbook and the workspace's most recent lessons, as a neutral Message the adapter
// renders as a view. Reads only; thread-safe as the Store is.
#pragma once

#include <string_view>

#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/message.h"

namespace lessonbook {

class Store;

// Default: 5. Recent lessons shown on the Home tab.
inline constexpr int kHomeRecentLessons = 5;

Message HomeMessage(Store& store, const Workspace& ws, std::string_view user_id, Time now);

}  // namespace lessonbook
