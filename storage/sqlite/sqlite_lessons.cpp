// SqliteStore: adding, reading, updating, deleting, importing and streaming lessons.
#include <SQLiteCpp/SQLiteCpp.h>

#include <set>

#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/search_index.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {
namespace {

using SQLite::TransactionBehavior;

constexpr int kForEachBatch = 256;
// An import of at least this many lessons, and of at least 1 in kMergeIndexFromImportOneIn of
// all lessons after it, merges the search index into one segment (search_index.h).
constexpr std::int64_t kMergeIndexFromImportOf = 1000;
constexpr std::int64_t kMergeIndexFromImportOneIn = 10;
// TidySearchIndex starts merging at this many segments and goes on until they are one.
constexpr std::int64_t kTidyFromSegments = 8;

std::string NotFoundMessage(LessonId id) {
  return "lesson " + std::to_string(id) + " was not found in this workspace";
}

bool WorkspaceExists(Connection& conn, WorkspaceId id) {
  CachedStatement q(conn, "SELECT 1 FROM workspaces WHERE id = ?");
  q->bind(1, static_cast<std::int64_t>(id));
  return q->executeStep();
}

// Binds the lesson's stored fields to ?1..?12 (see kInsertLesson).
void BindLessonFields(SQLite::Statement& s, const Lesson& l) {
  s.bind(1, static_cast<std::int64_t>(l.workspace_id));
  s.bind(2, ValidUtf8(l.title));
  s.bind(3, ValidUtf8(l.body));
  s.bind(4, OutcomeName(l.outcome));
  s.bind(5, JoinTags(l.tags));
  s.bind(6, ValidUtf8(l.campaign));
  s.bind(7, ValidUtf8(l.author));
  s.bind(8, LessonSourceName(l.source));
  s.bind(9, Unix(l.created_at));
  s.bind(10, Unix(l.updated_at));
  s.bind(11, l.confirmations);
  s.bind(12, l.contradictions);
}

// ?13 is the id (NULL: a new one), ?14 the request key (NULL: none).
constexpr const char* kInsertLesson =
    "INSERT INTO lessons (workspace_id, title, body, outcome, tags, campaign, author, source, "
    "created_at, updated_at, confirmations, contradictions, id, request_key) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

LessonId InsertLesson(Connection& conn, const Lesson& l, LessonId id,
                      std::string_view request_key) {
  CachedStatement ins(conn, kInsertLesson);
  BindLessonFields(*ins, l);
  if (id != 0) {
    ins->bind(13, static_cast<std::int64_t>(id));
  } else {
    ins->bind(13);
  }
  if (!request_key.empty()) {
    ins->bind(14, std::string(request_key));
  } else {
    ins->bind(14);
  }
  ins->exec();
  return conn.db().getLastInsertRowid();
}

}  // namespace

std::optional<Lesson> SqliteStore::LoadLesson(Connection& conn, WorkspaceId ws, LessonId id) {
  CachedStatement q(conn, std::string("SELECT ") + kLessonColumns +
                              " FROM lessons WHERE id = ? AND workspace_id = ?");
  q->bind(1, static_cast<std::int64_t>(id));
  q->bind(2, static_cast<std::int64_t>(ws));
  if (!q->executeStep()) return std::nullopt;
  return ReadLesson(*q);
}

Result<Lesson> SqliteStore::AddLesson(const Lesson& lesson, std::string_view request_key) {
  return Guarded("adding a lesson", [&]() -> Result<Lesson> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    if (!WorkspaceExists(writer.conn(), lesson.workspace_id)) {
      return Status::NotFound("workspace " + std::to_string(lesson.workspace_id) +
                              " does not exist");
    }
    if (!request_key.empty()) {
      CachedStatement q(writer.conn(),
                        std::string("SELECT ") + kLessonColumns +
                            " FROM lessons WHERE workspace_id = ? AND request_key = ?");
      q->bind(1, static_cast<std::int64_t>(lesson.workspace_id));
      q->bind(2, std::string(request_key));
      if (q->executeStep()) return ReadLesson(*q);  // a retried request: nothing written
    }
    const LessonId id = InsertLesson(writer.conn(), lesson, 0, request_key);
    std::optional<Lesson> stored = LoadLesson(writer.conn(), lesson.workspace_id, id);
    tx.commit();
    return *stored;
  });
}

Result<Lesson> SqliteStore::GetLesson(WorkspaceId ws, LessonId id) {
  return Guarded("reading a lesson", [&]() -> Result<Lesson> {
    ConnectionLease reader = pool_->Reader();
    std::optional<Lesson> l = LoadLesson(reader.conn(), ws, id);
    if (!l) return Status::NotFound(NotFoundMessage(id));
    return *l;
  });
}

Result<Lesson> SqliteStore::UpdateLesson(const Lesson& lesson) {
  return Guarded("updating a lesson", [&]() -> Result<Lesson> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    {
      CachedStatement upd(writer.conn(),
                          "UPDATE lessons SET title = ?, body = ?, outcome = ?, tags = ?, "
                          "campaign = ?, updated_at = ? WHERE id = ? AND workspace_id = ?");
      upd->bind(1, ValidUtf8(lesson.title));
      upd->bind(2, ValidUtf8(lesson.body));
      upd->bind(3, OutcomeName(lesson.outcome));
      upd->bind(4, JoinTags(lesson.tags));
      upd->bind(5, ValidUtf8(lesson.campaign));
      upd->bind(6, Unix(lesson.updated_at));
      upd->bind(7, static_cast<std::int64_t>(lesson.id));
      upd->bind(8, static_cast<std::int64_t>(lesson.workspace_id));
      if (upd->exec() == 0) return Status::NotFound(NotFoundMessage(lesson.id));
    }
    std::optional<Lesson> stored = LoadLesson(writer.conn(), lesson.workspace_id, lesson.id);
    tx.commit();
    return *stored;
  });
}

Status SqliteStore::DeleteLesson(WorkspaceId ws, LessonId id) {
  return Guarded("deleting a lesson", [&] {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    CachedStatement del(writer.conn(), "DELETE FROM lessons WHERE id = ? AND workspace_id = ?");
    del->bind(1, static_cast<std::int64_t>(id));
    del->bind(2, static_cast<std::int64_t>(ws));
    if (del->exec() == 0) return Status::NotFound(NotFoundMessage(id));
    tx.commit();
    return Status::Ok();
  });
}

Status SqliteStore::ForEachLesson(std::optional<WorkspaceId> ws,
                                  const std::function<Status(const Lesson&)>& fn) {
  // Keyset pages: no connection is held while fn runs, so fn may call the store.
  LessonId after = 0;
  while (true) {
    Result<std::vector<Lesson>> page =
        Guarded("reading lessons", [&]() -> Result<std::vector<Lesson>> {
          ConnectionLease reader = pool_->Reader();
          const std::string sql = std::string("SELECT ") + kLessonColumns +
                                  " FROM lessons WHERE id > ?" +
                                  (ws ? " AND workspace_id = ?" : "") + " ORDER BY id LIMIT ?";
          CachedStatement q(reader.conn(), sql);
          int i = 1;
          q->bind(i++, static_cast<std::int64_t>(after));
          if (ws) q->bind(i++, static_cast<std::int64_t>(*ws));
          q->bind(i, kForEachBatch);
          std::vector<Lesson> lessons;
          while (q->executeStep()) lessons.push_back(ReadLesson(*q));
          return lessons;
        });
    if (!page.ok()) return page.status();
    for (const Lesson& l : *page) {
      Status s = fn(l);
      if (!s.ok()) return s;
    }
    if (page->size() < static_cast<size_t>(kForEachBatch)) return Status::Ok();
    after = page->back().id;
  }
}

Result<ImportCounts> SqliteStore::ImportLessons(const std::vector<Lesson>& lessons) {
  return Guarded("importing lessons", [&]() -> Result<ImportCounts> {
    ConnectionLease writer = pool_->Writer();
    Connection& conn = writer.conn();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    std::set<WorkspaceId> known_workspaces;
    ImportCounts counts;
    for (size_t i = 0; i < lessons.size(); ++i) {
      const Lesson& l = lessons[i];
      const std::string where = "lesson " + std::to_string(i + 1) + " of the import";
      if (!known_workspaces.count(l.workspace_id)) {
        if (!WorkspaceExists(conn, l.workspace_id)) {
          return Status::NotFound(where + ": workspace " + std::to_string(l.workspace_id) +
                                  " does not exist; nothing was imported");
        }
        known_workspaces.insert(l.workspace_id);
      }
      if (l.id < 0) {
        return Status::InvalidArgument(where + ": id " + std::to_string(l.id) +
                                       " is negative; nothing was imported");
      }
      std::optional<WorkspaceId> owner;
      if (l.id != 0) {
        CachedStatement q(conn, "SELECT workspace_id FROM lessons WHERE id = ?");
        q->bind(1, static_cast<std::int64_t>(l.id));
        if (q->executeStep()) owner = q->getColumn(0).getInt64();
      }
      if (!owner) {
        InsertLesson(conn, l, l.id, {});
        ++counts.inserted;
        continue;
      }
      if (*owner != l.workspace_id) {
        return Status::InvalidArgument(where + ": id " + std::to_string(l.id) +
                                       " belongs to another workspace; remove the id to import "
                                       "it as a new lesson. Nothing was imported");
      }
      // Updates what the interchange format carries; source and evidence counts are kept.
      CachedStatement upd(conn,
                          "UPDATE lessons SET title = ?, body = ?, outcome = ?, tags = ?, "
                          "campaign = ?, author = ?, created_at = ?, updated_at = ? WHERE id = ?");
      upd->bind(1, ValidUtf8(l.title));
      upd->bind(2, ValidUtf8(l.body));
      upd->bind(3, OutcomeName(l.outcome));
      upd->bind(4, JoinTags(l.tags));
      upd->bind(5, ValidUtf8(l.campaign));
      upd->bind(6, ValidUtf8(l.author));
      upd->bind(7, Unix(l.created_at));
      upd->bind(8, Unix(l.updated_at));
      upd->bind(9, static_cast<std::int64_t>(l.id));
      upd->exec();
      ++counts.updated;
    }
    // A bulk import leaves the search index in many segments: merged when the import is a good
    // part of the lessons (a small import into a big Book is left to FTS5's own merging).
    const std::int64_t written = counts.inserted + counts.updated;
    if (written >= kMergeIndexFromImportOf) {
      CachedStatement all(conn, "SELECT count(*) FROM lessons");
      all->executeStep();
      if (written * kMergeIndexFromImportOneIn >= all->getColumn(0).getInt64()) {
        MergeSearchIndex(writer.db());
      }
    }
    tx.commit();
    return counts;
  });
}

Result<bool> SqliteStore::TidySearchIndex(int pages) {
  return Guarded("tidying the search index", [&]() -> Result<bool> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    const std::int64_t segments = SearchIndexSegments(writer.db());
    if (segments <= 1 || (!tidying_ && segments < kTidyFromSegments)) {
      tidying_ = false;
      return false;
    }
    const bool worked = MergeSomeOfSearchIndex(writer.db(), pages);
    tx.commit();
    tidying_ = worked;
    return worked;
  });
}

Result<std::int64_t> SqliteStore::CountLessons(std::optional<WorkspaceId> ws) {
  return Guarded("counting lessons", [&]() -> Result<std::int64_t> {
    ConnectionLease reader = pool_->Reader();
    CachedStatement q(reader.conn(), ws ? "SELECT count(*) FROM lessons WHERE workspace_id = ?"
                                        : "SELECT count(*) FROM lessons");
    if (ws) q->bind(1, static_cast<std::int64_t>(*ws));
    q->executeStep();
    return q->getColumn(0).getInt64();
  });
}

Result<std::vector<Lesson>> SqliteStore::ReplaceKeyedLessons(
    WorkspaceId ws, std::string_view key_prefix,
    const std::vector<std::pair<Lesson, std::string>>& lessons) {
  if (key_prefix.empty()) return Status::InvalidArgument("a key prefix is required");
  return Guarded("replacing post-mortem lessons", [&]() -> Result<std::vector<Lesson>> {
    ConnectionLease writer = pool_->Writer();
    SQLite::Transaction tx(writer.db(), TransactionBehavior::IMMEDIATE);
    // A key stored before keeps its lesson (id, created_at, evidence): the text is updated in
    // place, so buttons and evidence that name the lesson stay valid when an answer is edited.
    std::set<std::string> kept;
    std::vector<Lesson> out;
    for (const auto& [lesson, key] : lessons) {
      Lesson l = lesson;
      l.workspace_id = ws;
      LessonId id = 0;
      {
        CachedStatement find(writer.conn(),
                             "SELECT id FROM lessons WHERE workspace_id = ? AND request_key = ?");
        find->bind(1, static_cast<std::int64_t>(ws));
        find->bind(2, key);
        if (find->executeStep()) id = find->getColumn(0).getInt64();
      }
      if (id == 0) {
        id = InsertLesson(writer.conn(), l, 0, key);
      } else {
        CachedStatement upd(writer.conn(),
                            "UPDATE lessons SET title = ?, body = ?, outcome = ?, tags = ?, "
                            "campaign = ?, author = ?, source = ?, updated_at = ? WHERE id = ?");
        upd->bind(1, ValidUtf8(l.title));
        upd->bind(2, ValidUtf8(l.body));
        upd->bind(3, OutcomeName(l.outcome));
        upd->bind(4, JoinTags(l.tags));
        upd->bind(5, ValidUtf8(l.campaign));
        upd->bind(6, ValidUtf8(l.author));
        upd->bind(7, LessonSourceName(l.source));
        upd->bind(8, Unix(l.updated_at));
        upd->bind(9, static_cast<std::int64_t>(id));
        upd->exec();
      }
      kept.insert(key);
      out.push_back(*LoadLesson(writer.conn(), ws, id));
    }
    // Keys are ASCII; the range [prefix, prefix + 0x7f) holds exactly the keys with the prefix.
    std::vector<LessonId> gone;
    {
      CachedStatement old(writer.conn(),
                          "SELECT id, request_key FROM lessons WHERE workspace_id = ? AND "
                          "request_key >= ? AND request_key < ?");
      old->bind(1, static_cast<std::int64_t>(ws));
      old->bind(2, std::string(key_prefix));
      old->bind(3, std::string(key_prefix) + "\x7f");
      while (old->executeStep()) {
        if (!kept.count(old->getColumn(1).getString())) gone.push_back(old->getColumn(0).getInt64());
      }
    }
    for (LessonId id : gone) {
      CachedStatement del(writer.conn(), "DELETE FROM lessons WHERE id = ?");
      del->bind(1, static_cast<std::int64_t>(id));
      del->exec();
    }
    tx.commit();
    return out;
  });
}

}  // namespace lessonbook::sqlite
