#include "storage/sqlite/lessons_state.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace lessonbook::sqlite {

LessonsState ReadLessonsState(Connection& conn, WorkspaceId ws) {
  CachedStatement s(conn,
                    "SELECT (SELECT generation FROM lesson_generations WHERE workspace_id = 0), "
                    "EXISTS (SELECT 1 FROM lesson_generations WHERE workspace_id = ?1), "
                    "EXISTS (SELECT 1 FROM lesson_generations WHERE workspace_id NOT IN (0, ?1))");
  s->bind(1, static_cast<std::int64_t>(ws));
  s->executeStep();
  LessonsState state;
  state.generation = s->getColumn(0).isNull() ? 0 : s->getColumn(0).getInt64();
  state.only_workspace = s->getColumn(1).getInt() != 0 && s->getColumn(2).getInt() == 0;
  return state;
}

}  // namespace lessonbook::sqlite
