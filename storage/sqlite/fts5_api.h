// The FTS5 extension API of a connection (fts5_api, sqlite3.h), for registering auxiliary
// functions (fts_rank.h) and finding tokenizers (snippet_maker.h).
// Thread-safety: as the connection.
#pragma once

struct sqlite3;
struct fts5_api;

namespace lessonbook::sqlite {

// db's fts5_api, or nullptr when SQLite was built without FTS5 (or with a version 1 API).
// The pointer lives as long as db.
fts5_api* Fts5Api(sqlite3* db);

}  // namespace lessonbook::sqlite
