// LessonsState: what a read of the lessons (a search, a similar-lesson lookup) needs to know
// before it queries the FTS index: the lesson generation its snapshot sees, and whether the
// workspace scope may be left out of the MATCH (WorkspaceScope::kOmitted, fts_query.h).
//
// Thread-safety: on the caller's connection, inside its read transaction.
// Errors: throws SQLite::Exception (callers run inside Guarded()).
#pragma once

#include <cstdint>

#include "bot/domain.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/fts_query.h"

namespace lessonbook::sqlite {

struct LessonsState {
  std::int64_t generation = 0;  // lesson_generations row 0: all lesson writes (0: none ever)
  bool only_workspace = false;  // the workspace had lessons and no other workspace ever had one

  // Where the workspace scope goes in a MATCH of the workspace's lessons.
  WorkspaceScope Scope() const {
    return only_workspace ? WorkspaceScope::kOmitted : WorkspaceScope::kInMatch;
  }
};

// Reads it for workspace ws (migration 0007's lesson_generations), in the caller's snapshot.
LessonsState ReadLessonsState(Connection& conn, WorkspaceId ws);

}  // namespace lessonbook::sqlite
