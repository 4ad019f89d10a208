// People in commands: a mention as the platform sends it (<@U123>, <@U123|ana>) or as typed in
// the web chat (@ana), turned into the user id the engine stores.
#pragma once

#include <string>
#include <string_view>

#include "bot/domain.h"

namespace lessonbook {

// "<@U123|ana>" -> "U123"; on the web chat "@ana" -> "web:ana". Empty when nothing is left.
std::string UserIdFromMention(std::string_view mention, Platform platform);
// "<#C123|launch>" -> "C123"; empty when the text is not a channel mention.
std::string ChannelIdFromMention(std::string_view mention);

}  // namespace lessonbook
