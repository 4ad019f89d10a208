// The `campaign` commands — new (one line or a form), list, show, end, edit — and resurfacing:
// a new campaign's owner immediately gets the most relevant past lessons.
#pragma once

#include "bot/command_parser.h"
#include "bot/inbound.h"
#include "bot/message.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"

namespace lessonbook {

class Directory;
class Store;

struct CampaignContext {
  Store& store;
  const QuestionSets& sets;
  const Inbound& in;
  const Workspace& ws;
  Time now;
  bool is_admin = false;
  const PostmortemOptions& postmortem;
  Directory* directory = nullptr;  // for with:#channel; none: channels are refused
};

Message RunCampaignCommand(const CampaignContext& ctx, const CampaignCommand& command);
// The "New campaign" form's submission.
Message SubmitCampaignForm(const CampaignContext& ctx, const FormSubmitEvent& form);
inline constexpr const char* kCampaignFormId = "campaign_new";

}  // namespace lessonbook
