// Encodes a neutral Message for the outbox (our own JSON, not a platform's) and decodes it back.
#pragma once

#include <string>
#include <string_view>

#include "bot/message.h"
#include "bot/status.h"

namespace lessonbook {

std::string EncodeMessage(const Message& m);
// InvalidArgument when the text is not an encoded Message.
Result<Message> DecodeMessage(std::string_view encoded);

}  // namespace lessonbook
