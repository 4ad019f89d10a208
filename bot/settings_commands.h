// The `settings` command: the workspace's timezone, post-mortem question set, quiet-digest choice,
// admins and the Book's sections. Anyone may look; admins change them; a workspace with no admins yet lets anyone name the first one.
#pragma once

#include "bot/command_parser.h"
#include "bot/inbound.h"
#include "bot/message.h"
#include "bot/question_set.h"

namespace lessonbook {

class Store;

Message RunSettingsCommand(Store& store, const QuestionSets& sets, const Inbound& in,
                           const Workspace& ws, const SettingsCommand& command);

}  // namespace lessonbook
