// PgStore: adding, reading, updating, deleting, importing and streaming lessons.
#include <algorithm>
#include <set>

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/text.h"

namespace lessonbook::pg {
namespace {

using sqlite::JoinTags;
using sqlite::ValidUtf8;

constexpr int kForEachBatch = 256;

std::string NotFoundMessage(LessonId id) {
  return "lesson " + std::to_string(id) + " was not found in this workspace";
}

bool WorkspaceExists(PgConnection& conn, WorkspaceId id) {
  return conn.Exec("SELECT 1 FROM workspaces WHERE id = $1", PgParams().Add(id)).rows() > 0;
}

// The lesson's stored fields as $1..$12 (see kInsertLesson).
PgParams LessonFields(const Lesson& l) {
  PgParams p;
  p.Add(l.workspace_id)
      .Add(ValidUtf8(l.title))
      .Add(ValidUtf8(l.body))
      .Add(OutcomeName(l.outcome))
      .Add(JoinTags(l.tags))
      .Add(ValidUtf8(l.campaign))
      .Add(ValidUtf8(l.author))
      .Add(LessonSourceName(l.source))
      .Add(Unix(l.created_at))
      .Add(Unix(l.updated_at))
      .Add(l.confirmations)
      .Add(l.contradictions);
  return p;
}

// $13 is the request key (NULL: none). A keyed insert that conflicts returns no row.
constexpr const char* kInsertLesson =
    "INSERT INTO lessons (workspace_id, title, body, outcome, tags, campaign, author, source, "
    "created_at, updated_at, confirmations, contradictions, request_key) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (workspace_id, request_key) DO NOTHING RETURNING id";

// The same with the id given ($14).
constexpr const char* kInsertLessonWithId =
    "INSERT INTO lessons (workspace_id, title, body, outcome, tags, campaign, author, source, "
    "created_at, updated_at, confirmations, contradictions, request_key, id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";

// Inserts l; 0 when request_key was stored before in l's workspace.
LessonId InsertLesson(PgConnection& conn, const Lesson& l, std::string_view request_key) {
  PgParams p = LessonFields(l);
  p.AddOrNull(request_key);
  PgResult r = conn.Exec(kInsertLesson, p);
  return r.rows() == 1 ? r.Int(0, 0) : 0;
}

// Inserts lessons[from, to) (new ids, no request key) with one multi-row INSERT per chunk: an
// import of 100,000 lessons is not 100,000 round trips.
void InsertNewLessons(PgConnection& conn, const std::vector<Lesson>& lessons, size_t from,
                      size_t to) {
  constexpr size_t kChunk = 200;  // 200 rows x 12 parameters, well under libpq's 65535
  for (size_t start = from; start < to; start += kChunk) {
    const size_t end = std::min(to, start + kChunk);
    std::string sql =
        "INSERT INTO lessons (workspace_id, title, body, outcome, tags, campaign, author, source, "
        "created_at, updated_at, confirmations, contradictions) VALUES ";
    PgParams params;
    for (size_t i = start; i < end; ++i) {
      const PgParams row = LessonFields(lessons[i]);
      sql += i == start ? "(" : ", (";
      for (size_t k = 0; k < row.size(); ++k) {
        sql += (k == 0 ? "$" : ", $") + std::to_string(params.size() + k + 1);
      }
      sql += ")";
      for (const std::optional<std::string>& v : row.values()) params.Add(*v);
    }
    conn.Exec(sql, params);
  }
}

// Inserts l with the given id and moves the id sequence past it, so a later new lesson never
// collides with an imported id (SQLite's AUTOINCREMENT does the same).
void InsertLessonWithId(PgConnection& conn, const Lesson& l, LessonId id) {
  PgParams p = LessonFields(l);
  p.AddNull().Add(id);
  conn.Exec(kInsertLessonWithId, p);
  conn.Exec(
      "SELECT setval(pg_get_serial_sequence('lessons', 'id'), $1) "
      "WHERE $1 > (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lessons_id_seq)",
      PgParams().Add(id));
}

}  // namespace

std::optional<Lesson> PgStore::LoadLesson(PgConnection& conn, WorkspaceId ws, LessonId id) {
  PgResult q = conn.Exec(std::string("SELECT ") + kLessonColumns +
                             " FROM lessons WHERE id = $1 AND workspace_id = $2",
                         PgParams().Add(id).Add(ws));
  if (q.rows() == 0) return std::nullopt;
  return ReadLesson(q, 0);
}

Result<Lesson> PgStore::AddLesson(const Lesson& lesson, std::string_view request_key) {
  return Guarded("adding a lesson", [&]() -> Result<Lesson> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    if (!WorkspaceExists(conn, lesson.workspace_id)) {
      return Status::NotFound("workspace " + std::to_string(lesson.workspace_id) +
                              " does not exist");
    }
    const LessonId id = InsertLesson(conn, lesson, request_key);
    if (id == 0) {  // a retried request (maybe on another replica): nothing written
      PgResult q = conn.Exec(std::string("SELECT ") + kLessonColumns +
                                 " FROM lessons WHERE workspace_id = $1 AND request_key = $2",
                             PgParams().Add(lesson.workspace_id).Add(request_key));
      if (q.rows() == 0) return Status::Internal("a keyed lesson conflicted without a row");
      return ReadLesson(q, 0);
    }
    std::optional<Lesson> stored = LoadLesson(conn, lesson.workspace_id, id);
    tx.Commit();
    return *stored;
  });
}

Result<Lesson> PgStore::GetLesson(WorkspaceId ws, LessonId id) {
  return Guarded("reading a lesson", [&]() -> Result<Lesson> {
    PgLease lease = pool_->Lease();
    std::optional<Lesson> l = LoadLesson(lease.conn(), ws, id);
    if (!l) return Status::NotFound(NotFoundMessage(id));
    return *l;
  });
}

Result<Lesson> PgStore::UpdateLesson(const Lesson& lesson) {
  return Guarded("updating a lesson", [&]() -> Result<Lesson> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    PgResult upd = conn.Exec(
        "UPDATE lessons SET title = $1, body = $2, outcome = $3, tags = $4, campaign = $5, "
        "updated_at = $6 WHERE id = $7 AND workspace_id = $8",
        PgParams()
            .Add(ValidUtf8(lesson.title))
            .Add(ValidUtf8(lesson.body))
            .Add(OutcomeName(lesson.outcome))
            .Add(JoinTags(lesson.tags))
            .Add(ValidUtf8(lesson.campaign))
            .Add(Unix(lesson.updated_at))
            .Add(lesson.id)
            .Add(lesson.workspace_id));
    if (upd.affected() == 0) return Status::NotFound(NotFoundMessage(lesson.id));
    std::optional<Lesson> stored = LoadLesson(conn, lesson.workspace_id, lesson.id);
    tx.Commit();
    return *stored;
  });
}

Status PgStore::DeleteLesson(WorkspaceId ws, LessonId id) {
  return Guarded("deleting a lesson", [&] {
    PgLease lease = pool_->Lease();
    PgResult del = lease.conn().Exec("DELETE FROM lessons WHERE id = $1 AND workspace_id = $2",
                                     PgParams().Add(id).Add(ws));
    if (del.affected() == 0) return Status::NotFound(NotFoundMessage(id));
    return Status::Ok();
  });
}

Status PgStore::ForEachLesson(std::optional<WorkspaceId> ws,
                              const std::function<Status(const Lesson&)>& fn) {
  // Keyset pages: no connection is held while fn runs, so fn may call the store.
  LessonId after = 0;
  while (true) {
    Result<std::vector<Lesson>> page =
        Guarded("reading lessons", [&]() -> Result<std::vector<Lesson>> {
          PgLease lease = pool_->Lease();
          PgParams p;
          p.Add(after);
          if (ws) p.Add(*ws);
          p.Add(kForEachBatch);
          PgResult q = lease.conn().Exec(
              std::string("SELECT ") + kLessonColumns + " FROM lessons WHERE id > $1" +
                  (ws ? " AND workspace_id = $2 ORDER BY id LIMIT $3" : " ORDER BY id LIMIT $2"),
              p);
          std::vector<Lesson> lessons;
          for (int i = 0; i < q.rows(); ++i) lessons.push_back(ReadLesson(q, i));
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

Result<ImportCounts> PgStore::ImportLessons(const std::vector<Lesson>& lessons) {
  return Guarded("importing lessons", [&]() -> Result<ImportCounts> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
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
      if (l.id == 0) {  // a run of new lessons goes in together
        size_t end = i + 1;
        while (end < lessons.size() && lessons[end].id == 0 &&
               known_workspaces.count(lessons[end].workspace_id)) {
          ++end;
        }
        InsertNewLessons(conn, lessons, i, end);
        counts.inserted += static_cast<int>(end - i);
        i = end - 1;
        continue;
      }
      // Updates what the interchange format carries; source and evidence counts are kept.
      PgResult upd = conn.Exec(
          "UPDATE lessons SET title = $1, body = $2, outcome = $3, tags = $4, campaign = $5, "
          "author = $6, created_at = $7, updated_at = $8 WHERE id = $9 RETURNING workspace_id",
          PgParams()
              .Add(ValidUtf8(l.title))
              .Add(ValidUtf8(l.body))
              .Add(OutcomeName(l.outcome))
              .Add(JoinTags(l.tags))
              .Add(ValidUtf8(l.campaign))
              .Add(ValidUtf8(l.author))
              .Add(Unix(l.created_at))
              .Add(Unix(l.updated_at))
              .Add(l.id));
      if (upd.rows() == 0) {
        InsertLessonWithId(conn, l, l.id);
        ++counts.inserted;
        continue;
      }
      if (upd.Int(0, 0) != l.workspace_id) {  // the transaction rolls the update back
        return Status::InvalidArgument(where + ": id " + std::to_string(l.id) +
                                       " belongs to another workspace; remove the id to import "
                                       "it as a new lesson. Nothing was imported");
      }
      ++counts.updated;
    }
    tx.Commit();
    return counts;
  });
}

// PostgreSQL's GIN index merges its pending list itself (autovacuum): nothing to tidy.
Result<bool> PgStore::TidySearchIndex(int) { return false; }

Result<std::int64_t> PgStore::CountLessons(std::optional<WorkspaceId> ws) {
  return Guarded("counting lessons", [&]() -> Result<std::int64_t> {
    PgLease lease = pool_->Lease();
    PgResult q = ws ? lease.conn().Exec("SELECT count(*) FROM lessons WHERE workspace_id = $1",
                                        PgParams().Add(*ws))
                    : lease.conn().Exec("SELECT count(*) FROM lessons");
    return q.Int(0, 0);
  });
}

Result<std::vector<Lesson>> PgStore::ReplaceKeyedLessons(
    WorkspaceId ws, std::string_view key_prefix,
    const std::vector<std::pair<Lesson, std::string>>& lessons) {
  if (key_prefix.empty()) return Status::InvalidArgument("a key prefix is required");
  return Guarded("replacing post-mortem lessons", [&]() -> Result<std::vector<Lesson>> {
    PgLease lease = pool_->Lease();
    PgConnection& conn = lease.conn();
    PgTransaction tx(conn);
    // A key stored before keeps its lesson (id, created_at, evidence): the text is updated in
    // place, so buttons and evidence that name the lesson stay valid when an answer is edited.
    std::vector<Lesson> out;
    std::vector<std::string> kept;
    for (const auto& [lesson, key] : lessons) {
      Lesson l = lesson;
      l.workspace_id = ws;
      PgResult found = conn.Exec(
          "UPDATE lessons SET title = $3, body = $4, outcome = $5, tags = $6, campaign = $7, "
          "author = $8, source = $9, updated_at = $10 WHERE workspace_id = $1 AND "
          "request_key = $2 RETURNING id",
          PgParams()
              .Add(ws)
              .Add(key)
              .Add(ValidUtf8(l.title))
              .Add(ValidUtf8(l.body))
              .Add(OutcomeName(l.outcome))
              .Add(JoinTags(l.tags))
              .Add(ValidUtf8(l.campaign))
              .Add(ValidUtf8(l.author))
              .Add(LessonSourceName(l.source))
              .Add(Unix(l.updated_at)));
      LessonId id = found.rows() > 0 ? found.Int(0, 0) : InsertLesson(conn, l, key);
      if (id == 0 || std::find(kept.begin(), kept.end(), key) != kept.end()) {
        return Status::InvalidArgument("two post-mortem lessons have the key " + key);
      }
      kept.push_back(key);
      out.push_back(*LoadLesson(conn, ws, id));
    }
    // Keys are ASCII; the range [prefix, prefix + 0x7f) holds exactly the keys with the prefix
    // (compared bytewise: COLLATE "C"). The keys just stored stay.
    std::string kept_list = "{";
    for (size_t i = 0; i < kept.size(); ++i) {
      if (i > 0) kept_list += ',';
      kept_list += '"';
      for (char c : kept[i]) {
        if (c == '"' || c == '\\') kept_list += '\\';
        kept_list += c;
      }
      kept_list += '"';
    }
    kept_list += '}';
    conn.Exec(
        "DELETE FROM lessons WHERE workspace_id = $1 AND request_key COLLATE \"C\" >= $2 AND "
        "request_key COLLATE \"C\" < $3 AND NOT (request_key = ANY ($4::text[]))",
        PgParams().Add(ws).Add(key_prefix).Add(std::string(key_prefix) + "\x7f").Add(kept_list));
    tx.Commit();
    return out;
  });
}

}  // namespace lessonbook::pg
