// SqliteStore: the Store on one SQLite file (WAL), for a single process.
//
// Writes go through one writer connection (a mutex serializes them inside the process; BEGIN
// IMMEDIATE and a 5 s busy timeout serialize them with other processes, e.g. `lessonbook import`
// next to `lessonbook serve`). Reads use a pool of reader connections, so searches run in parallel
// with each other and with writes. Lessons are indexed by an external-content FTS5 table kept in
// sync by triggers (storage/migrations/sqlite/0001_init.sql).
//
// Thread-safety: every method may be called from any thread. Errors are Status values: SQLite
// exceptions never escape.
#pragma once

#include <memory>
#include <string>

#include "storage/store.h"

namespace SQLite {
class Statement;
}  // namespace SQLite

namespace lessonbook::sqlite {

class ConnectionPool;
class Connection;
class SearchCache;
class TermCounts;
class WordRows;
class RowLengths;
class WorkspaceCache;
enum class WorkspaceScope;

class SqliteStore final : public Store {
 public:
  // Opens (creating when absent) the database file at path, or a private in-memory database for
  // ":memory:". Does not migrate: call Migrate() (OpenStore does). Unavailable with
  // "cannot open database at PATH: reason" when the file cannot be opened.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status Migrate() override;
  Result<int> SchemaVersion() override;
  Status Ping() override;

  // Backup, integrity check, purge and secret rewriting: sqlite_operations.cpp.
  Status Backup(const std::string& path) override;
  Result<std::string> CheckIntegrity() override;
  Result<PurgeReport> PurgeWorkspace(WorkspaceId ws, bool dry_run) override;
  Result<int> RewriteSecrets(
      const std::function<Result<std::string>(const StoredSecret&)>& rewrite) override;

  // Copying the whole database to or from another store: sqlite_transfer.cpp.
  Status ExportData(DataSink& sink) override;
  Result<ImportedData> ImportData(const std::function<Status(DataSink&)>& produce) override;

  Result<Workspace> EnsureWorkspace(const Workspace& w) override;
  Result<Workspace> UpdateWorkspace(const Workspace& w) override;
  Result<Workspace> GetWorkspace(WorkspaceId id) override;
  Result<Workspace> FindWorkspace(Platform platform, std::string_view external_id) override;
  Result<std::vector<Workspace>> ListWorkspaces() override;

  Result<Lesson> AddLesson(const Lesson& lesson, std::string_view request_key) override;
  Result<Lesson> GetLesson(WorkspaceId ws, LessonId id) override;
  Result<Lesson> UpdateLesson(const Lesson& lesson) override;
  Status DeleteLesson(WorkspaceId ws, LessonId id) override;
  Result<SearchPage> SearchLessons(const LessonQuery& query) override;
  Status ForEachLesson(std::optional<WorkspaceId> ws,
                       const std::function<Status(const Lesson&)>& fn) override;
  Result<ImportCounts> ImportLessons(const std::vector<Lesson>& lessons) override;
  Result<std::int64_t> CountLessons(std::optional<WorkspaceId> ws) override;
  Result<bool> TidySearchIndex(int pages) override;

  // Living lessons: sqlite_similar.cpp and sqlite_evidence.cpp.
  Result<std::vector<SimilarLesson>> SimilarLessons(const Lesson& lesson, int limit,
                                                    double min_similarity) override;
  Result<Lesson> RecordEvidence(WorkspaceId ws, LessonId lesson_id, LessonId evidence_lesson_id,
                                std::optional<EvidenceKind> kind, std::string_view recorded_by,
                                Time now) override;
  Result<std::vector<EvidenceRecord>> ListEvidenceRecorded(WorkspaceId ws, Time from, Time to,
                                                           int limit) override;

  Result<bool> RecordInbox(const InboxEvent& event) override;
  Status MarkInboxHandled(Platform platform, std::string_view event_id) override;
  Result<std::vector<InboxEvent>> UnhandledInbox(int limit) override;
  Result<int> PruneInbox(Time received_before) override;

  Result<std::int64_t> EnqueueOutbox(const OutboxMessage& message) override;
  Result<std::vector<OutboxMessage>> ClaimOutbox(int n, std::chrono::seconds lease,
                                                 std::string_view worker, Time now) override;
  Status MarkOutboxSent(std::int64_t id, Time now) override;
  Status RetryOutbox(std::int64_t id, Time next_attempt, std::string_view error) override;
  Status FailOutbox(std::int64_t id, std::string_view error) override;
  Result<std::vector<OutboxMessage>> ListOutbox(std::optional<OutboxStatus> status,
                                                int limit) override;
  Result<OutboxStats> GetOutboxStats(Time now) override;

  Status DeferOutbox(std::int64_t id, Time next_attempt) override;

  Result<std::optional<std::string>> GetSetting(WorkspaceId ws, std::string_view key) override;
  Status SetSetting(WorkspaceId ws, std::string_view key, std::string_view value) override;

  Result<DigestSubscription> AddDigestSubscription(const DigestSubscription& s) override;
  Status RemoveDigestSubscription(WorkspaceId ws, std::string_view channel_id) override;
  Result<std::vector<DigestSubscription>> ListDigestSubscriptions(
      std::optional<WorkspaceId> ws) override;
  Result<bool> CreateDigestRun(const DigestRun& run, const OutboxMessage& message) override;
  Result<std::vector<Lesson>> ListLessonsCreated(WorkspaceId ws, Time from, Time to,
                                                 int limit) override;
  Status RecordSearchMiss(WorkspaceId ws, std::string_view terms, Time at) override;
  Result<std::vector<SearchMiss>> TopSearchMisses(WorkspaceId ws, Time from, Time to,
                                                  int limit) override;

  // Campaigns and post-mortems: sqlite_campaigns.cpp.
  Result<Campaign> CreateCampaign(const Campaign& c) override;
  Result<Campaign> UpdateCampaign(const Campaign& c) override;
  Result<Campaign> GetCampaign(WorkspaceId ws, std::int64_t id) override;
  Result<Campaign> FindCampaign(WorkspaceId ws, std::string_view name) override;
  Result<std::vector<Campaign>> ListCampaigns(WorkspaceId ws, int limit) override;
  Result<std::vector<Campaign>> CampaignsDue(Time now, int limit) override;
  Result<bool> OpenPostmortem(const Postmortem& pm, const std::vector<PromptSession>& sessions,
                              const std::vector<OutboxMessage>& messages) override;
  Result<Postmortem> GetPostmortem(WorkspaceId ws, std::int64_t id) override;
  Result<Postmortem> PostmortemOfCampaign(WorkspaceId ws, std::int64_t campaign_id) override;
  Result<std::vector<Postmortem>> OpenPostmortems() override;
  Result<std::vector<PromptSession>> ListSessions(std::int64_t postmortem_id) override;
  Result<std::vector<PromptSession>> OpenSessionsOf(WorkspaceId ws,
                                                    std::string_view user_id) override;
  Result<std::vector<PromptSession>> SessionsDueForReminder(Time now, int limit) override;
  Status SaveSession(const PromptSession& s, const OutboxMessage* message) override;
  Status SaveAnswer(const Answer& a) override;
  Result<std::vector<Answer>> ListAnswers(std::int64_t postmortem_id,
                                          std::string_view user_id) override;
  Result<std::vector<Lesson>> ReplaceKeyedLessons(
      WorkspaceId ws, std::string_view key_prefix,
      const std::vector<std::pair<Lesson, std::string>>& lessons) override;
  Result<bool> ClosePostmortem(WorkspaceId ws, std::int64_t postmortem_id, Time now,
                               const OutboxMessage& summary) override;
  Status SetPersonTimezone(WorkspaceId ws, std::string_view user_id, std::string_view timezone,
                           Time now) override;
  Result<std::optional<std::string>> GetPersonTimezone(WorkspaceId ws,
                                                       std::string_view user_id) override;

  Result<bool> TryLead(std::string_view name, std::string_view holder, std::chrono::seconds ttl,
                       Time now) override;

  // Teams conversations, users and service URLs: sqlite_teams.cpp.
  Status SaveTeamsConversation(const TeamsConversation& c) override;
  Result<TeamsConversation> GetTeamsConversation(WorkspaceId ws,
                                                 std::string_view conversation_id) override;
  Status SaveTeamsUser(const TeamsUser& u) override;
  Result<TeamsUser> GetTeamsUser(WorkspaceId ws, std::string_view user_id) override;
  Status SetTeamsUserUnreachable(WorkspaceId ws, std::string_view user_id, bool unreachable,
                                 Time now) override;
  Status RememberTeamsServiceUrl(std::string_view service_url, Time now) override;
  Result<std::vector<std::string>> ListTeamsServiceUrls() override;

  Result<std::string> KeepSecret(std::string_view name, std::string_view candidate) override;

 private:
  explicit SqliteStore(std::unique_ptr<ConnectionPool> pool);

  // Helpers that run on a connection the caller holds (and inside its transaction).
  static std::optional<Workspace> LoadWorkspace(Connection& conn, WorkspaceId id);
  static std::optional<Lesson> LoadLesson(Connection& conn, WorkspaceId ws, LessonId id);
  static Result<SearchPage> Search(Connection& conn, const LessonQuery& query, WorkspaceScope scope,
                                   TermCounts& counts, WordRows& rows, RowLengths& lengths,
                                   std::int64_t generation);
  // Runs a one-row UPDATE of the outbox (?1 is the row id, bind sets the rest).
  Status UpdateOutbox(std::string_view doing, std::int64_t id, const std::string& sql,
                      const std::function<void(SQLite::Statement&)>& bind);

  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<SearchCache> search_cache_;
  std::unique_ptr<TermCounts> term_counts_;
  std::unique_ptr<WordRows> word_rows_;
  std::unique_ptr<RowLengths> row_lengths_;  // of the rows ranked from word_rows_
  std::unique_ptr<WorkspaceCache> workspaces_;  // every workspace write forgets it
  bool tidying_ = false;  // a TidySearchIndex merge is under way; guarded by the writer lease
};

}  // namespace lessonbook::sqlite
