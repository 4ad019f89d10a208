// The `digest` commands: subscribe a channel to the weekly digest, unsubscribe it, preview this
// week's digest privately, list the subscribed channels.
#pragma once

#include "bot/command_parser.h"
#include "bot/digest.h"
#include "bot/inbound.h"
#include "bot/message.h"

namespace lessonbook {

class Store;

Message RunDigestCommand(Store& store, const Inbound& in, const Workspace& ws, Time now,
                         const DigestCommand& command, const DigestOptions& options);

}  // namespace lessonbook
