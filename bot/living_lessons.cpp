#include "bot/living_lessons.h"

#include <algorithm>
#include <set>

#include "bot/log.h"
#include "bot/replies.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr const char* kStaleButton =
    "That button is no longer valid; add the lesson again or search for it.";

std::string Ref(LessonId id) { return "#" + std::to_string(id); }

std::string Quoted(const Lesson& l) { return "“" + Ellipsize(l.title, 80) + "”"; }

bool SameCampaign(const Lesson& a, const Lesson& b) {
  return !Trim(a.campaign).empty() && AsciiLower(Trim(a.campaign)) == AsciiLower(Trim(b.campaign));
}

// Digits only, at most 18 of them (fits an int64).
std::optional<LessonId> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  LessonId id = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  if (id == 0) return std::nullopt;
  return id;
}

std::string EvidenceCounts(const Lesson& l) {
  auto campaigns = [](int n) { return std::to_string(n) + (n == 1 ? " campaign" : " campaigns"); };
  return "confirmed by " + campaigns(l.confirmations) + ", contradicted by " +
         campaigns(l.contradictions);
}

}  // namespace

bool IsEvidenceAction(std::string_view action_id) {
  return action_id == kConfirmsAction || action_id == kContradictsAction ||
         action_id == kNewLessonAction;
}

std::vector<Section> EvidenceOfferSections(Store& store, const std::vector<Lesson>& added,
                                           std::string_view timezone) {
  std::set<LessonId> batch;
  for (const Lesson& l : added) batch.insert(l.id);
  std::vector<Section> out;
  for (const Lesson& l : added) {
    auto similar = store.SimilarLessons(l, kMaxSimilarOffered + static_cast<int>(batch.size()) + 5,
                                        kSimilarityThreshold);
    if (!similar.ok()) {
      LogWarn("living.similar_failed",
              {{"lesson", std::to_string(l.id)}, {"error", similar.status().ToString()}});
      continue;
    }
    std::vector<const Lesson*> matches;
    for (const SimilarLesson& s : *similar) {
      if (batch.count(s.lesson.id) || SameCampaign(s.lesson, l)) continue;
      if (matches.size() < static_cast<size_t>(kMaxSimilarOffered)) matches.push_back(&s.lesson);
    }
    if (matches.empty()) continue;
    Section intro;
    intro.text.push_back(Strong("Your lesson " + Ref(l.id) + " " + Quoted(l)));
    intro.text.push_back(Plain(" looks like " +
                               std::string(matches.size() == 1 ? "a lesson" : "lessons") +
                               " already in the Book. Does it confirm or contradict " +
                               (matches.size() == 1 ? "it" : "one of them") + "?"));
    out.push_back(std::move(intro));
    std::string offered;
    for (const Lesson* m : matches) {
      Section s = LessonSection(*m, timezone, nullptr);
      const std::string value = std::to_string(l.id) + ":" + std::to_string(m->id);
      s.buttons.push_back(
          Button{"This confirms " + Ref(m->id), kConfirmsAction, value, ButtonStyle::kPrimary});
      s.buttons.push_back(Button{"This contradicts " + Ref(m->id), kContradictsAction, value,
                                 ButtonStyle::kDefault});
      out.push_back(std::move(s));
      offered += (offered.empty() ? "" : ",") + std::to_string(m->id);
    }
    Section neutral;
    neutral.context = "Neither? Then " + Ref(l.id) + " is a new lesson.";
    neutral.buttons.push_back(Button{"New lesson", kNewLessonAction,
                                     std::to_string(l.id) + ":" + offered, ButtonStyle::kDefault});
    out.push_back(std::move(neutral));
  }
  return out;
}

std::optional<Message> EvidenceOffer(Store& store, const std::vector<Lesson>& added,
                                     std::string_view timezone) {
  std::vector<Section> sections = EvidenceOfferSections(store, added, timezone);
  if (sections.empty()) return std::nullopt;
  Message m;
  m.visibility = Visibility::kPrivate;
  m.text = "Lessons like yours are already in the Book: does yours confirm or contradict them?";
  m.sections = std::move(sections);
  return m;
}

Message HandleEvidenceAction(Store& store, const Workspace& ws, std::string_view user_id,
                             bool is_admin, const ActionEvent& action, Time now) {
  const size_t colon = action.value.find(':');
  if (colon == std::string::npos) return ErrorReply(kStaleButton);
  std::optional<LessonId> new_id = ParseId(std::string_view(action.value).substr(0, colon));
  if (!new_id) return ErrorReply(kStaleButton);
  std::vector<LessonId> targets;
  std::string_view rest = std::string_view(action.value).substr(colon + 1);
  while (!rest.empty() && targets.size() < 10) {
    const size_t comma = rest.find(',');
    std::optional<LessonId> id = ParseId(rest.substr(0, comma));
    if (!id) return ErrorReply(kStaleButton);
    targets.push_back(*id);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  const bool neutral = action.action_id == kNewLessonAction;
  if (targets.empty() || (!neutral && targets.size() != 1)) return ErrorReply(kStaleButton);

  auto lesson = store.GetLesson(ws.id, *new_id);
  if (!lesson.ok()) {
    LogInfo("living.stale_action",
            {{"ws", std::to_string(ws.id)}, {"lesson", std::to_string(*new_id)}});
    if (lesson.status().code() == Status::Code::kNotFound) {
      return ErrorReply("Lesson " + Ref(*new_id) +
                        " is not in this workspace's Book any more (it was deleted, or the button "
                        "is from another workspace); nothing was recorded.");
    }
    return ErrorReply("Lessonbook could not read lesson " + Ref(*new_id) +
                      "; nothing was recorded. Please try again.");
  }
  if (lesson->author != user_id && !is_admin) {
    return ErrorReply("Only the author of lesson " + Ref(*new_id) + " (" +
                      AuthorLabel(lesson->author) +
                      ") or an admin can say what it confirms or contradicts.");
  }
  if (neutral) {
    for (LessonId target : targets) {
      auto withdrawn = store.RecordEvidence(ws.id, target, *new_id, std::nullopt, user_id, now);
      if (!withdrawn.ok() && withdrawn.status().code() != Status::Code::kNotFound) {
        return ErrorReply("Lessonbook could not save that; please press the button again.");
      }
    }
    Message m;
    m.text = "Noted: " + Ref(*new_id) + " is a new lesson, not evidence for another one.";
    return m;
  }
  const EvidenceKind kind =
      action.action_id == kConfirmsAction ? EvidenceKind::kConfirms : EvidenceKind::kContradicts;
  auto updated = store.RecordEvidence(ws.id, targets[0], *new_id, kind, user_id, now);
  if (!updated.ok()) {
    if (updated.status().code() == Status::Code::kNotFound) {
      return ErrorReply("Lesson " + Ref(targets[0]) +
                        " is not in this workspace's Book any more; nothing was recorded.");
    }
    LogError("living.record_failed",
             {{"ws", std::to_string(ws.id)}, {"error", updated.status().ToString()}});
    return ErrorReply("Lessonbook could not save that; please press the button again.");
  }
  LogInfo("living.evidence", {{"ws", std::to_string(ws.id)},
                              {"lesson", std::to_string(targets[0])},
                              {"evidence", std::to_string(*new_id)},
                              {"kind", EvidenceKindName(kind)}});
  Message m;
  m.text = "Recorded: " + Ref(*new_id) + " " +
           (kind == EvidenceKind::kConfirms ? "confirms " : "contradicts ") + Ref(targets[0]) +
           " " + Quoted(*updated) + ", now " + EvidenceCounts(*updated) + ".";
  return m;
}

}  // namespace lessonbook
