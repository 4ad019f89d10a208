// Domain types shared by the engine, the adapters and the store: workspaces, lessons, the search
// query, and the inbox and outbox rows. Plain values; every row carries its workspace id so
// tenants never see each other's data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/clock.h"

namespace lessonbook {

using WorkspaceId = std::int64_t;
using LessonId = std::int64_t;

enum class Platform { kSlack, kTeams, kWeb };
const char* PlatformName(Platform p);  // "slack", "teams", "web"
std::optional<Platform> ParsePlatform(std::string_view name);

// A tenant: one Slack team, one Teams tenant, or the local web chat.
struct Workspace {
  WorkspaceId id = 0;
  Platform platform = Platform::kWeb;
  std::string external_id;  // Slack team id, Teams tenant id, "local" for the web chat
  std::string name;
  std::string timezone = "UTC";  // IANA name
  std::string bot_token;         // as stored: plain or "v1:<key id>:<nonce>:<ct+tag>"
  std::vector<std::string> admins;  // platform user ids
  Time created_at{};
};

enum class Outcome { kWorked, kFlopped, kChange, kInsight };
const char* OutcomeName(Outcome o);  // "worked", "flopped", "change", "insight"
std::optional<Outcome> ParseOutcome(std::string_view name);

enum class LessonSource { kPostmortem, kManual, kImport };
const char* LessonSourceName(LessonSource s);  // "postmortem", "manual", "import"
std::optional<LessonSource> ParseLessonSource(std::string_view name);

// A lesson of the Book of Learning.
struct Lesson {
  LessonId id = 0;  // 0 until stored; stable afterwards
  WorkspaceId workspace_id = 0;
  std::string title;
  std::string body;  // may be empty
  Outcome outcome = Outcome::kInsight;
  std::vector<std::string> tags;  // lower case, no '#'
  std::string campaign;           // campaign name, may be empty
  std::string author;             // platform user id, or the web chat's name
  LessonSource source = LessonSource::kManual;
  Time created_at{};
  Time updated_at{};
  int confirmations = 0;    // evidence: campaigns that confirmed it
  int contradictions = 0;   // evidence: campaigns that contradicted it
};

enum class SearchSort { kRelevance, kEvidence, kNewest };

// What to look for. Words are plain words (never FTS syntax): the store quotes them.
struct LessonQuery {
  WorkspaceId workspace_id = 0;
  std::vector<std::string> words;  // all must match (the store may fall back to any)
  std::vector<std::string> tags;   // all must be present
  std::optional<Outcome> outcome;
  std::string campaign;            // words of the campaign name, as a phrase
  std::string author;              // exact author
  std::optional<Time> since;       // created at or after
  std::optional<Time> until;       // created before (the Book page's date range)
  SearchSort sort = SearchSort::kRelevance;
  int limit = 5;
  int offset = 0;
};

// One piece of a highlighted snippet.
struct SnippetPart {
  std::string text;
  bool highlighted = false;
};

struct SearchHit {
  Lesson lesson;
  std::vector<SnippetPart> snippet;  // from the body (or title when the body is empty)
  double score = 0;                  // bm25: lower is better
};

// Frequent words. Ranking every match of a word found in thousands of lessons costs time in
// proportion to the matches (bm25 reads each one's length and positions) while the word says
// little about which of them is relevant. So when more than kFrequentRankedAmong lessons match a
// relevance search whose every word is in more than 1 in kFrequentWordOneIn of the workspace's
// lessons, the store ranks (by bm25, as usual) only the kFrequentRankedAmong newest matches
// (the highest lesson numbers) and says so in SearchPage::ranked_among; `total` stays exact.
// A query with any less frequent word is ranked over all its matches.
inline constexpr int kFrequentRankedAmong = 500;
inline constexpr int kFrequentWordOneIn = 20;

struct SearchPage {
  std::vector<SearchHit> hits;
  int total = 0;          // how many lessons matched in all
  bool any_words = false; // true when no lesson had all words and hits match any of them
  int ranked_among = 0;   // 0: all matches were ranked; else only the newest this many were
                          // (frequent words, above): pages end there
};

// An inbound event kept so that retries are deduplicated and acknowledged work is never lost.
struct InboxEvent {
  std::int64_t id = 0;
  Platform platform = Platform::kWeb;
  std::string event_id;  // unique per platform
  WorkspaceId workspace_id = 0;
  std::string payload;   // the verified payload, as received
  bool handled = false;
  Time received_at{};
};

enum class OutboxStatus { kPending, kSent, kFailed };
const char* OutboxStatusName(OutboxStatus s);

// A message the bot will send: stored first, delivered by a worker that claims it with a lease.
struct OutboxMessage {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  Platform platform = Platform::kWeb;
  std::string target;       // adapter-specific address: channel id, user id, conversation ref
  std::string message;      // the neutral Message, encoded by bot/message_codec.h
  std::string dedupe_key;   // optional: a second enqueue with the same key is a no-op
  int attempts = 0;
  Time next_attempt_at{};
  std::string claimed_by;
  Time lease_until{};
  OutboxStatus status = OutboxStatus::kPending;
  std::string last_error;
  Time created_at{};
  Time sent_at{};
};

// A channel that gets the weekly digest at a local weekday and time.
struct DigestSubscription {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  Platform platform = Platform::kWeb;
  std::string channel_id;  // one subscription per channel
  std::string target;      // where the adapter delivers (the Inbound's reply_to)
  int weekday = 1;         // ISO: 1 = Monday … 7 = Sunday
  int minute_of_day = 9 * 60;  // local time, 0 … 1439
  std::string timezone;    // IANA
  std::string created_by;
  Time created_at{};
};

// One week's digest of one subscription: created exactly once.
struct DigestRun {
  std::int64_t subscription_id = 0;
  std::string iso_week;  // "2026-W48", of the local due date
  Time due_at{};
  Time created_at{};
  bool late = false;
};

// Words people searched for that found nothing, and how often.
struct SearchMiss {
  std::string terms;
  int count = 0;
};

// --- Campaigns and post-mortems ---
enum class CampaignStatus { kPlanned, kRunning, kEnded, kReviewing, kClosed };
const char* CampaignStatusName(CampaignStatus s);  // "planned" … "closed"
std::optional<CampaignStatus> ParseCampaignStatus(std::string_view name);

struct CampaignMetric {
  std::string name;    // "mqls"
  std::string target;  // "300"
  std::string actual;  // from the post-mortem; empty until then
};

// A campaign with its goals and learning goals; it ends with a post-mortem.
struct Campaign {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  Platform platform = Platform::kWeb;
  std::string name;  // unique per workspace, case-insensitively
  std::string owner;
  std::string channel_id;
  std::string channel_target;  // where channel messages go (Inbound::channel_target)
  Time starts_at{};
  Time ends_at{};
  std::string goals;           // what we want to achieve
  std::string learning_goals;  // what we hope to learn
  std::vector<CampaignMetric> metrics;
  std::vector<std::string> participants;  // user ids, the owner included
  CampaignStatus status = CampaignStatus::kRunning;
  Time created_at{};
  Time updated_at{};
};

// One per ended campaign.
struct Postmortem {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t campaign_id = 0;
  std::string question_set;  // id of the question set
  int question_set_version = 1;
  Time opened_at{};
  Time deadline_at{};
  Time closed_at{};  // epoch while open
  bool open() const { return closed_at == Time{}; }
};

enum class PromptState { kPending, kAsking, kSnoozed, kDone, kSkipped };
const char* PromptStateName(PromptState s);
std::optional<PromptState> ParsePromptState(std::string_view name);

// One participant's way through a post-mortem.
struct PromptSession {
  std::int64_t id = 0;
  std::int64_t postmortem_id = 0;
  WorkspaceId workspace_id = 0;
  std::string user_id;
  PromptState state = PromptState::kPending;
  int current_question = 0;  // index into the question set's steps
  std::string dm_target;     // where DMs to this person go
  int reminders_sent = 0;
  Time next_reminder_at{};   // epoch: none
  Time updated_at{};
};

struct Answer {
  std::int64_t postmortem_id = 0;
  std::string user_id;
  std::string question_id;
  std::string value;
  Time updated_at{};
};

}  // namespace lessonbook
