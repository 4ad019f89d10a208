// Starting the Slack app from the Config (used by `lessonbook serve`): builds the adapter and,
// in single-workspace mode (SLACK_BOT_TOKEN), calls auth.test to learn the team id, its name and
// the bot's user id, and makes sure the team's workspace exists. Warns once when OAuth tokens
// would be stored without LESSONBOOK_DATA_KEY.
#pragma once

#include <memory>

#include "adapters/slack/slack_adapter.h"
#include "adapters/slack/slack_routes.h"
#include "bot/config.h"

namespace lessonbook {

// The adapter options a Config sets.
SlackAdapterOptions SlackOptionsFrom(const Config& config);

// InvalidArgument for a malformed data key or a token Slack refuses (invalid_auth, …);
// Unavailable when Slack cannot be reached to check the token.
Result<std::unique_ptr<SlackAdapter>> StartSlack(Store& store, const Clock& clock,
                                                 const Config& config);

}  // namespace lessonbook
