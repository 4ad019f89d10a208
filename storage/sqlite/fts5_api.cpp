#include "storage/sqlite/fts5_api.h"

#include <sqlite3.h>

namespace lessonbook::sqlite {

fts5_api* Fts5Api(sqlite3* db) {
  // The documented way (https://sqlite.org/fts5.html#extending_fts5): `SELECT fts5(?1)` with a
  // pointer bound as "fts5_api_ptr" receives the API.
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) return nullptr;
  return api;
}

}  // namespace lessonbook::sqlite
