// Store: the durable state of Lessonbook behind one interface, so the engine never writes SQL and
// a PostgreSQL implementation can replace the embedded SQLite one for several replicas.
//
// Every method is atomic (one transaction) and returns user-causable failures as a Status.
// Times are passed in by the caller (from its Clock), never read inside the store.
// Thread-safety: implementations are safe to call from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

struct ImportCounts {
  int inserted = 0;
  int updated = 0;
};

struct OutboxStats {
  std::int64_t pending = 0;
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::int64_t oldest_pending_age_seconds = 0;  // 0 when nothing is pending
};

// --- Microsoft Teams (storage/migrations/sqlite/0003_teams.sql) ---
// A conversation the Teams bot is part of: where a later message to it goes.
struct TeamsConversation {
  WorkspaceId workspace_id = 0;
  std::string conversation_id;
  std::string conversation_type;  // "personal", "groupChat" or "channel"
  std::string service_url;
  std::string tenant_id;
  std::string team_id;  // channel conversations: the team's id
  std::string bot_id;   // the bot's account id in the conversation ("28:<app id>")
  Time updated_at{};
};

// A Teams user the bot has heard from.
struct TeamsUser {
  WorkspaceId workspace_id = 0;
  std::string user_id;  // from.id ("29:…")
  std::string aad_object_id;
  std::string name;
  std::string local_timezone;  // the last localTimezone their client reported (IANA)
  std::string service_url;
  std::string personal_conversation_id;  // their 1:1 chat with the bot, once created
  bool unreachable = false;  // they blocked or removed the bot (403 MessageWritesBlocked)
  Time updated_at{};
};

// What PurgeWorkspace removed (or, in a dry run, would remove): rows per table, in the order
// they were deleted.
struct PurgeReport {
  std::vector<std::pair<std::string, std::int64_t>> rows_by_table;
  std::int64_t total() const {
    std::int64_t n = 0;
    for (const auto& [table, rows] : rows_by_table) n += rows;
    return n;
  }
};

// A secret stored for a workspace, as RewriteSecrets hands it over: where it lives and its
// stored form (plain or "v1:…" sealed, bot/secret_box.h).
struct StoredSecret {
  WorkspaceId workspace_id = 0;
  std::string name;    // e.g. "bot_token"
  std::string stored;  // never empty
};

// --- Living lessons (storage/migrations/sqlite/0006_evidence.sql) ---
// An existing lesson that resembles another one, with how closely (0 … 1, 1: the same words).
struct SimilarLesson {
  Lesson lesson;
  double similarity = 0;
};

// The similarity above which a lesson is offered as "this confirms / contradicts #N", tuned on
// tests/storage/similarity_set.tsv for the SQLite store (its precision and recall: README).
inline constexpr double kSimilarityThreshold = 0.48;
// Default: at most this many similar lessons are offered.
inline constexpr int kMaxSimilarOffered = 3;

enum class EvidenceKind { kConfirms, kContradicts };
const char* EvidenceKindName(EvidenceKind k);  // "confirms", "contradicts"

// A newer lesson (evidence_lesson_id) that confirms or contradicts an older one (lesson_id).
// A lesson's confirmations/contradictions count the DISTINCT campaigns of its evidence (a
// lesson without a campaign counts as a campaign of its own).
struct EvidenceRecord {
  WorkspaceId workspace_id = 0;
  LessonId lesson_id = 0;
  LessonId evidence_lesson_id = 0;
  std::string campaign;  // the evidence lesson's campaign when recorded; may be empty
  EvidenceKind kind = EvidenceKind::kConfirms;
  std::string recorded_by;
  Time recorded_at{};
};

// --- Moving a whole database between stores (lessonbook migrate --from … --to …) ---
// One stored value as both stores keep it: NULL, an integer (booleans are 0 and 1), a real
// number or text. Times are Unix seconds, as everywhere in the schemas.
using DataValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// Where ExportData sends a store's rows, table by table. Tables and columns are named as in
// storage/migrations/{sqlite,postgres}/: both stores have the same tables and columns, so a row
// moves as it is, ids included. Calls come in order: BeginTable, AddRows (any number), EndTable.
class DataSink {
 public:
  virtual ~DataSink() = default;
  // The tables the sink takes, in the order it wants them (a table after the tables it
  // references); a source sends its other tables after these.
  virtual std::vector<std::string> TableOrder() const = 0;
  // A table starts; the rows of the following AddRows have these columns in this order.
  virtual Status BeginTable(const std::string& table, const std::vector<std::string>& columns) = 0;
  virtual Status AddRows(const std::vector<std::vector<DataValue>>& rows) = 0;
  // The table ends: how many rows were sent, and the highest id it ever handed out (its
  // AUTOINCREMENT counter or sequence, so a deleted lesson's id is not given again; 0 when the
  // table has no generated ids).
  virtual Status EndTable(std::int64_t rows, std::int64_t last_id) = 0;
};

// What ImportData wrote: rows per table, in the order they came.
struct ImportedData {
  std::vector<std::pair<std::string, std::int64_t>> rows_by_table;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies the migrations not applied yet, in order, each in its own transaction.
  virtual Status Migrate() = 0;
  // The highest applied migration number.
  virtual Result<int> SchemaVersion() = 0;
  // OK when the store answers a trivial query (for /readyz).
  virtual Status Ping() = 0;

  // --- Operations (backup, integrity, purge, secrets) ---
  // Copies the whole database to a new file at path while the store stays in use (SQLite's
  // online backup API), then checks the copy's integrity. AlreadyExists when path exists;
  // a store with its own tools answers InvalidArgument naming them (PostgreSQL: use pg_dump).
  virtual Status Backup(const std::string& path) = 0;
  // "ok" when the database's own integrity check (and the search index's) finds nothing wrong,
  // else the findings.
  virtual Result<std::string> CheckIntegrity() = 0;
  // Removes every row of the workspace in every table (lessons and their search index,
  // campaigns, post-mortems, sessions, answers, digests, inbox and outbox rows, settings,
  // people, Teams conversations and users, admins, secrets) and the workspace itself, in one
  // transaction. With dry_run nothing changes and the report says what would go. NotFound when
  // the workspace does not exist; Internal when the store has a table it does not know how to
  // purge (a new table must be taught to PurgeWorkspace, never silently left behind).
  virtual Result<PurgeReport> PurgeWorkspace(WorkspaceId ws, bool dry_run) = 0;
  // Calls rewrite for every stored secret and stores what it returns, all in one transaction:
  // the first error rolls everything back and is returned. Returns how many were rewritten.
  virtual Result<int> RewriteSecrets(
      const std::function<Result<std::string>(const StoredSecret&)>& rewrite) = 0;

  // --- Moving the whole database (lessonbook migrate) ---
  // Sends every row of every table that holds the domain's data to sink, from one consistent
  // snapshot, in sink.TableOrder() (then the store's other tables). Left out: what the store
  // derives (the search index, cache generations) and process state (schema_migrations,
  // leadership leases). Changes nothing.
  virtual Status ExportData(DataSink& sink) = 0;
  // Fills an empty store with the rows `produce` sends to the sink it is given, in one
  // transaction that takes the tables' write locks. AlreadyExists and nothing written when a
  // table the import fills holds rows already; InvalidArgument when a table or column is not in
  // this store's schema. Any error of produce or of a row rolls everything back. Before the
  // commit: id counters are moved past the copied ids (and EndTable's last_id), every table's
  // row count is checked against EndTable's, and the search index against the lessons.
  virtual Result<ImportedData> ImportData(const std::function<Status(DataSink&)>& produce) = 0;

  // --- Workspaces ---
  // Returns the workspace with w's (platform, external_id), creating it from w when absent.
  virtual Result<Workspace> EnsureWorkspace(const Workspace& w) = 0;
  virtual Result<Workspace> UpdateWorkspace(const Workspace& w) = 0;  // REQUIRES: w.id != 0
  virtual Result<Workspace> GetWorkspace(WorkspaceId id) = 0;
  virtual Result<Workspace> FindWorkspace(Platform platform, std::string_view external_id) = 0;
  virtual Result<std::vector<Workspace>> ListWorkspaces() = 0;

  // --- Lessons ---
  // Stores a new lesson (lesson.id is ignored; created_at/updated_at are taken as given).
  // When request_key is not empty and a lesson was stored with the same key in the same
  // workspace before, that lesson is returned and nothing is written: a retried request is not
  // stored twice.
  virtual Result<Lesson> AddLesson(const Lesson& lesson, std::string_view request_key = {}) = 0;
  // NotFound when the id does not exist in that workspace (another workspace's id included).
  virtual Result<Lesson> GetLesson(WorkspaceId ws, LessonId id) = 0;
  // Replaces title, body, outcome, tags, campaign and updated_at. REQUIRES: id and workspace set.
  virtual Result<Lesson> UpdateLesson(const Lesson& lesson) = 0;
  virtual Status DeleteLesson(WorkspaceId ws, LessonId id) = 0;
  // Full-text search, bm25-ranked, scoped to query.workspace_id inside the MATCH.
  virtual Result<SearchPage> SearchLessons(const LessonQuery& query) = 0;
  // Calls fn for each lesson of workspace ws (nullopt: every workspace) in id order; stops at
  // and returns the first non-OK status fn returns.
  virtual Status ForEachLesson(std::optional<WorkspaceId> ws,
                               const std::function<Status(const Lesson&)>& fn) = 0;
  // Upserts lessons in one transaction (all or nothing). A lesson with an id that exists in the
  // same workspace is updated; an id that does not exist yet is inserted with that id; an id
  // that belongs to another workspace fails the whole import; id 0 inserts with a new id.
  virtual Result<ImportCounts> ImportLessons(const std::vector<Lesson>& lessons) = 0;
  virtual Result<std::int64_t> CountLessons(std::optional<WorkspaceId> ws) = 0;
  // Upkeep of the search index, for the scheduler: when lessons written one at a time have left
  // the index in many pieces (each costs every search), merges some of them, writing about
  // `pages` index pages in one short transaction. Returns true when it merged something (more
  // may remain: call again), false when there was nothing to do (PostgreSQL keeps its own).
  virtual Result<bool> TidySearchIndex(int pages) = 0;

  // --- Living lessons ---
  // Lessons of lesson.workspace_id whose title and body resemble lesson's (lesson.id itself
  // excluded; 0: a lesson not stored), most similar first, at most limit, each with a similarity
  // of at least min_similarity. The lesson's text is never FTS syntax.
  virtual Result<std::vector<SimilarLesson>> SimilarLessons(const Lesson& lesson, int limit,
                                                            double min_similarity) = 0;
  // Records that evidence_lesson_id confirms or contradicts lesson_id (kind nullopt: neither, the
  // earlier choice is withdrawn). A second choice for the same pair replaces the first. Returns
  // lesson_id's lesson with its new counts. NotFound when either lesson is not in workspace ws;
  // InvalidArgument when both ids are the same.
  virtual Result<Lesson> RecordEvidence(WorkspaceId ws, LessonId lesson_id,
                                        LessonId evidence_lesson_id,
                                        std::optional<EvidenceKind> kind,
                                        std::string_view recorded_by, Time now) = 0;
  // Evidence of workspace ws recorded (or last changed) in [from, to), oldest first.
  virtual Result<std::vector<EvidenceRecord>> ListEvidenceRecorded(WorkspaceId ws, Time from,
                                                                   Time to, int limit) = 0;

  // --- Inbox ---
  // Records an inbound event. Returns false (and writes nothing) when (platform, event_id) was
  // recorded before: the caller acknowledges the retry and does not handle it again.
  virtual Result<bool> RecordInbox(const InboxEvent& event) = 0;
  virtual Status MarkInboxHandled(Platform platform, std::string_view event_id) = 0;
  virtual Result<std::vector<InboxEvent>> UnhandledInbox(int limit) = 0;
  // Deletes handled events received before the given time; returns how many.
  virtual Result<int> PruneInbox(Time received_before) = 0;

  // --- Outbox ---
  // Stores a pending message and returns its id. With a dedupe_key already stored, returns the
  // existing row's id and writes nothing (generation exactly once).
  virtual Result<std::int64_t> EnqueueOutbox(const OutboxMessage& message) = 0;
  // Claims up to n pending rows due at `now` whose lease is free or expired, oldest first: sets
  // claimed_by = worker, lease_until = now + lease, attempts + 1.
  virtual Result<std::vector<OutboxMessage>> ClaimOutbox(int n, std::chrono::seconds lease,
                                                         std::string_view worker, Time now) = 0;
  virtual Status MarkOutboxSent(std::int64_t id, Time now) = 0;
  // Releases the claim and makes the row due again at next_attempt.
  virtual Status RetryOutbox(std::int64_t id, Time next_attempt, std::string_view error) = 0;
  // Permanent failure: never retried.
  virtual Status FailOutbox(std::int64_t id, std::string_view error) = 0;
  virtual Result<std::vector<OutboxMessage>> ListOutbox(std::optional<OutboxStatus> status,
                                                        int limit) = 0;
  virtual Result<OutboxStats> GetOutboxStats(Time now) = 0;

  // Makes a claimed row due again at next_attempt without counting the attempt (pacing).
  virtual Status DeferOutbox(std::int64_t id, Time next_attempt) = 0;

  // --- Workspace settings: small key/value choices ("quiet_digest" = "skip" | "line") ---
  // nullopt when the key was never set.
  virtual Result<std::optional<std::string>> GetSetting(WorkspaceId ws, std::string_view key) = 0;
  virtual Status SetSetting(WorkspaceId ws, std::string_view key, std::string_view value) = 0;

  // --- Digests ---
  // AlreadyExists when the channel has a subscription.
  virtual Result<DigestSubscription> AddDigestSubscription(const DigestSubscription& s) = 0;
  // NotFound when the channel has none.
  virtual Status RemoveDigestSubscription(WorkspaceId ws, std::string_view channel_id) = 0;
  // Every subscription (of one workspace, or all), oldest first.
  virtual Result<std::vector<DigestSubscription>> ListDigestSubscriptions(
      std::optional<WorkspaceId> ws) = 0;
  // Records the run of (subscription, week) and queues its message in one transaction (a
  // message with empty text queues nothing: a quiet week the workspace skips).
  // Returns false and writes nothing when that week's run exists: generation exactly once.
  virtual Result<bool> CreateDigestRun(const DigestRun& run, const OutboxMessage& message) = 0;
  // Lessons of the workspace created in [from, to), oldest first, at most limit.
  virtual Result<std::vector<Lesson>> ListLessonsCreated(WorkspaceId ws, Time from, Time to,
                                                         int limit) = 0;
  // Remembers a search that found nothing (normalized words), for the digest.
  virtual Status RecordSearchMiss(WorkspaceId ws, std::string_view terms, Time at) = 0;
  // The most frequent misses in [from, to), most frequent first.
  virtual Result<std::vector<SearchMiss>> TopSearchMisses(WorkspaceId ws, Time from, Time to,
                                                          int limit) = 0;

  // --- Campaigns and post-mortems ---
  // AlreadyExists when the workspace has a campaign of that name (any case).
  virtual Result<Campaign> CreateCampaign(const Campaign& c) = 0;
  // Replaces every field but id, workspace and created_at. AlreadyExists on a name clash.
  virtual Result<Campaign> UpdateCampaign(const Campaign& c) = 0;
  virtual Result<Campaign> GetCampaign(WorkspaceId ws, std::int64_t id) = 0;
  // By name, case-insensitively. NotFound when there is none.
  virtual Result<Campaign> FindCampaign(WorkspaceId ws, std::string_view name) = 0;
  // The workspace's campaigns, newest end first, at most limit.
  virtual Result<std::vector<Campaign>> ListCampaigns(WorkspaceId ws, int limit) = 0;
  // Campaigns of every workspace whose end time is at or before now and that have no
  // post-mortem yet (status planned or running).
  virtual Result<std::vector<Campaign>> CampaignsDue(Time now, int limit) = 0;
  // Opens the campaign's post-mortem: the post-mortem, its sessions, the campaign's new status
  // and the messages (channel note, DMs) in one transaction. False and nothing written when the
  // campaign has one already: a post-mortem is opened exactly once.
  virtual Result<bool> OpenPostmortem(const Postmortem& pm, const std::vector<PromptSession>& sessions,
                                      const std::vector<OutboxMessage>& messages) = 0;
  virtual Result<Postmortem> GetPostmortem(WorkspaceId ws, std::int64_t id) = 0;
  virtual Result<Postmortem> PostmortemOfCampaign(WorkspaceId ws, std::int64_t campaign_id) = 0;
  // Open post-mortems of every workspace.
  virtual Result<std::vector<Postmortem>> OpenPostmortems() = 0;
  virtual Result<std::vector<PromptSession>> ListSessions(std::int64_t postmortem_id) = 0;
  // The person's sessions of open post-mortems, oldest first.
  virtual Result<std::vector<PromptSession>> OpenSessionsOf(WorkspaceId ws,
                                                            std::string_view user_id) = 0;
  // Sessions of open post-mortems whose next reminder is due at now.
  virtual Result<std::vector<PromptSession>> SessionsDueForReminder(Time now, int limit) = 0;
  // Saves the session; with a message, queues it in the same transaction.
  virtual Status SaveSession(const PromptSession& s, const OutboxMessage* message) = 0;
  virtual Status SaveAnswer(const Answer& a) = 0;
  // Answers of a post-mortem (of one person when user_id is not empty).
  virtual Result<std::vector<Answer>> ListAnswers(std::int64_t postmortem_id,
                                                  std::string_view user_id) = 0;
  // Stores `lessons` (each with its request key, which starts with key_prefix) and deletes the
  // other lessons whose request key starts with key_prefix, in one transaction: a person's
  // post-mortem lessons are replaced when they edit an answer, never duplicated. A key stored
  // before keeps its lesson's id, created_at and evidence; its text, outcome, tags, campaign
  // and updated_at are replaced.
  virtual Result<std::vector<Lesson>> ReplaceKeyedLessons(
      WorkspaceId ws, std::string_view key_prefix,
      const std::vector<std::pair<Lesson, std::string>>& lessons) = 0;
  // Closes the post-mortem, the campaign and queues the summary in one transaction. False when
  // it was closed before.
  virtual Result<bool> ClosePostmortem(WorkspaceId ws, std::int64_t postmortem_id, Time now,
                                       const OutboxMessage& summary) = 0;
  // A person's IANA timezone as a platform reported it; nullopt when unknown.
  virtual Status SetPersonTimezone(WorkspaceId ws, std::string_view user_id,
                                   std::string_view timezone, Time now) = 0;
  virtual Result<std::optional<std::string>> GetPersonTimezone(WorkspaceId ws,
                                                               std::string_view user_id) = 0;

  // --- Leadership ---
  // True when `holder` holds (or now takes) the named lease until now + ttl. Another holder's
  // unexpired lease makes it false. Work one process at a time must do takes this first.
  virtual Result<bool> TryLead(std::string_view name, std::string_view holder,
                               std::chrono::seconds ttl, Time now) = 0;

  // --- Microsoft Teams ---
  // Inserts or replaces the conversation (workspace_id, conversation_id). Empty team_id and
  // bot_id keep the stored ones.
  virtual Status SaveTeamsConversation(const TeamsConversation& c) = 0;
  virtual Result<TeamsConversation> GetTeamsConversation(WorkspaceId ws,
                                                         std::string_view conversation_id) = 0;
  // Inserts or updates the user: aad_object_id, name, local_timezone, service_url and
  // personal_conversation_id are replaced only when not empty; unreachable is set as given.
  virtual Status SaveTeamsUser(const TeamsUser& u) = 0;
  virtual Result<TeamsUser> GetTeamsUser(WorkspaceId ws, std::string_view user_id) = 0;
  // NotFound when the user was never saved.
  virtual Status SetTeamsUserUnreachable(WorkspaceId ws, std::string_view user_id,
                                         bool unreachable, Time now) = 0;
  // Remembers a Bot Connector URL seen in an authenticated activity (idempotent).
  virtual Status RememberTeamsServiceUrl(std::string_view service_url, Time now) = 0;
  virtual Result<std::vector<std::string>> ListTeamsServiceUrls() = 0;

  // --- Server secrets (storage/migrations/sqlite/0009_server_secrets.sql) ---
  // Keeps `candidate` under `name` unless a value is stored already, and returns the stored
  // value: every process and replica sharing the store agrees on one secret (e.g. the Book
  // link key when LESSONBOOK_DATA_KEY is not set).
  virtual Result<std::string> KeepSecret(std::string_view name, std::string_view candidate) = 0;
};

// Opens the store a location names: a file path or "sqlite://PATH" (SQLite; created when absent)
// or "postgres://…" / "postgresql://…" (storage/store_location.h). Migrations are applied.
// Unavailable/InvalidArgument with a plain message when the location cannot be opened.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location);
// The same without applying migrations: a database read as it is (the source of `lessonbook
// migrate`, which must not change it). A SQLite file that does not exist is NotFound, never
// created.
Result<std::unique_ptr<Store>> OpenStoreAsIs(const std::string& location);

}  // namespace lessonbook
