// Living lessons: when lessons are added (by hand or from a post-mortem), the similar lessons
// already in the Book are offered privately to their author — "this confirms #42", "this
// contradicts #42", "new lesson" — and the choice is recorded as evidence, which the older
// lesson's confirmations/contradictions count by distinct campaign.
// Thread-safety: plain functions over the Store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.h"
#include "bot/domain.h"
#include "bot/inbound.h"
#include "bot/message.h"

namespace lessonbook {

class Store;

// Button action ids. Values: "<new lesson id>:<older lesson id>" for confirms/contradicts,
// "<new lesson id>:<older id>,<older id>…" (the ones offered) for new lesson.
inline constexpr const char* kConfirmsAction = "evidence_confirms";
inline constexpr const char* kContradictsAction = "evidence_contradicts";
inline constexpr const char* kNewLessonAction = "evidence_new";
bool IsEvidenceAction(std::string_view action_id);

// For each lesson of `added` (stored lessons of one workspace), its best 1–3 similar older
// lessons with the three buttons. Lessons of `added` itself and of the same campaign are never
// offered (they are not independent evidence). Empty when nothing is similar enough or the
// store fails (logged: an offer is a courtesy, never a reason to fail the add).
std::vector<Section> EvidenceOfferSections(Store& store, const std::vector<Lesson>& added,
                                           std::string_view timezone);

// The offer as a private message; nullopt when nothing matched.
std::optional<Message> EvidenceOffer(Store& store, const std::vector<Lesson>& added,
                                     std::string_view timezone);

// A pressed evidence button: only the new lesson's author or an admin may choose; choosing
// again replaces the choice. Answers what was recorded, or what was wrong.
Message HandleEvidenceAction(Store& store, const Workspace& ws, std::string_view user_id,
                             bool is_admin, const ActionEvent& action, Time now);

}  // namespace lessonbook
