#include "bot/domain.h"

namespace lessonbook {

const char* PlatformName(Platform p) {
  switch (p) {
    case Platform::kSlack: return "slack";
    case Platform::kTeams: return "teams";
    case Platform::kWeb: return "web";
  }
  return "web";
}

std::optional<Platform> ParsePlatform(std::string_view name) {
  if (name == "slack") return Platform::kSlack;
  if (name == "teams") return Platform::kTeams;
  if (name == "web") return Platform::kWeb;
  return std::nullopt;
}

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kWorked: return "worked";
    case Outcome::kFlopped: return "flopped";
    case Outcome::kChange: return "change";
    case Outcome::kInsight: return "insight";
  }
  return "insight";
}

std::optional<Outcome> ParseOutcome(std::string_view name) {
  if (name == "worked") return Outcome::kWorked;
  if (name == "flopped") return Outcome::kFlopped;
  if (name == "change") return Outcome::kChange;
  if (name == "insight") return Outcome::kInsight;
  return std::nullopt;
}

const char* LessonSourceName(LessonSource s) {
  switch (s) {
    case LessonSource::kPostmortem: return "postmortem";
    case LessonSource::kManual: return "manual";
    case LessonSource::kImport: return "import";
  }
  return "manual";
}

std::optional<LessonSource> ParseLessonSource(std::string_view name) {
  if (name == "postmortem") return LessonSource::kPostmortem;
  if (name == "manual") return LessonSource::kManual;
  if (name == "import") return LessonSource::kImport;
  return std::nullopt;
}

const char* OutboxStatusName(OutboxStatus s) {
  switch (s) {
    case OutboxStatus::kPending: return "pending";
    case OutboxStatus::kSent: return "sent";
    case OutboxStatus::kFailed: return "failed";
  }
  return "pending";
}

const char* CampaignStatusName(CampaignStatus s) {
  switch (s) {
    case CampaignStatus::kPlanned: return "planned";
    case CampaignStatus::kRunning: return "running";
    case CampaignStatus::kEnded: return "ended";
    case CampaignStatus::kReviewing: return "reviewing";
    case CampaignStatus::kClosed: return "closed";
  }
  return "running";
}

std::optional<CampaignStatus> ParseCampaignStatus(std::string_view n) {
  for (auto s : {CampaignStatus::kPlanned, CampaignStatus::kRunning, CampaignStatus::kEnded,
                 CampaignStatus::kReviewing, CampaignStatus::kClosed}) {
    if (n == CampaignStatusName(s)) return s;
  }
  return std::nullopt;
}

const char* PromptStateName(PromptState s) {
  switch (s) {
    case PromptState::kPending: return "pending";
    case PromptState::kAsking: return "asking";
    case PromptState::kSnoozed: return "snoozed";
    case PromptState::kDone: return "done";
    case PromptState::kSkipped: return "skipped";
  }
  return "pending";
}

std::optional<PromptState> ParsePromptState(std::string_view n) {
  for (auto s : {PromptState::kPending, PromptState::kAsking, PromptState::kSnoozed,
                 PromptState::kDone, PromptState::kSkipped}) {
    if (n == PromptStateName(s)) return s;
  }
  return std::nullopt;
}

}  // namespace lessonbook
