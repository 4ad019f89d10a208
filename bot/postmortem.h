// Post-mortems: when a campaign ends, its channel hears about it and every participant gets a DM
// with the questions — answered one at a time in the DM (skip, back, later, stop) or all at once
// in a form, editable until the post-mortem closes. Answers become lessons at once. Reminders go
// out on schedule but never at night in the person's timezone; at the deadline (or when everyone
// has answered) the summary goes to the campaign channel. Everything sent is an outbox row and
// everything is generated exactly once.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/inbound.h"
#include "bot/message.h"
#include "bot/question_set.h"
#include "bot/status.h"

namespace lessonbook {

class Store;

struct PostmortemOptions {
  std::chrono::hours deadline{24 * 5};        // Default: 5 days after it opens.
  std::chrono::hours first_reminder{24};      // Default: 24 h after it opens.
  std::chrono::hours second_reminder{72};     // Default: 72 h after it opens.
  int max_reminders = 2;                      // Default: 2.
  int quiet_from_hour = 20;                   // Default: no reminders from 20:00 …
  int quiet_until_hour = 8;                   // … to 08:00 in the person's timezone.
  std::string public_url;                     // Default: none; for the Book link.
};

// The DM address of a person: adapters deliver "dm:<user id>" to the person's 1:1 chat.
std::string DmTarget(std::string_view user_id);

// The workspace's question set (its "questions" setting, else "default").
const QuestionSet* QuestionSetFor(Store& store, const QuestionSets& sets, WorkspaceId ws);

// Opens the campaign's post-mortem now (exactly once): a note to the campaign channel, then a
// DM with the first question to each participant. False when it was open already.
Result<bool> OpenPostmortem(Store& store, const QuestionSets& sets, const Campaign& campaign,
                            Time now, const PostmortemOptions& options);

// The scheduler's jobs. Each returns how much it did.
int OpenDuePostmortems(Store& store, const QuestionSets& sets, Time now,
                       const PostmortemOptions& options);
int SendDueReminders(Store& store, const QuestionSets& sets, Time now,
                     const PostmortemOptions& options);
int CloseDuePostmortems(Store& store, const QuestionSets& sets, Time now,
                        const PostmortemOptions& options);

// A text from a person with a post-mortem waiting for their answer: skip, back, later, stop or
// the answer. nullopt when the person has no post-mortem asking them.
std::optional<Message> HandleAnswerTurn(Store& store, const QuestionSets& sets,
                                        const Inbound& in, const Workspace& ws,
                                        std::string_view text, Time now,
                                        const PostmortemOptions& options);

// The form with every question of the person's post-mortem of the campaign (their answers
// filled in), or an error message.
Message PostmortemForm(Store& store, const QuestionSets& sets, const Inbound& in,
                       const Workspace& ws, std::string_view campaign_name, Time now);
// A submitted post-mortem form.
Message SubmitPostmortemForm(Store& store, const QuestionSets& sets, const Inbound& in,
                             const Workspace& ws, const FormSubmitEvent& form, Time now,
                             const PostmortemOptions& options);
inline constexpr const char* kPostmortemFormId = "postmortem";
inline constexpr const char* kPostmortemFormAction = "postmortem_form";

}  // namespace lessonbook
