#include "storage/postgres/pg_errors.h"

#include <new>
#include <string>

#include "storage/postgres/pg_connection.h"

namespace lessonbook::pg {

Status StatusFromException(const std::exception& e, std::string_view doing) {
  const std::string what = "error while " + std::string(doing) + ": ";
  if (const auto* pg = dynamic_cast<const PgError*>(&e)) {
    const std::string& state = pg->sqlstate();
    const std::string reason = pg->what();
    if (pg->connection_lost() || state.rfind("57P", 0) == 0 || state == "53300") {
      return Status::Unavailable(what + "PostgreSQL cannot be reached (" + reason +
                                 "); check that it runs and LESSONBOOK_DB names it");
    }
    if (state == "40001" || state == "40P01" || state == "55P03") {
      return Status::Unavailable(what + "the database is busy with a conflicting change; try again");
    }
    if (state.rfind("53", 0) == 0) {
      return Status::Unavailable(what + "PostgreSQL is out of resources (" + reason + ")");
    }
    if (state.rfind("23", 0) == 0 || state.rfind("22", 0) == 0) {
      return Status::InvalidArgument(what + reason);
    }
    return Status::Internal(what + reason);
  }
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
    return Status::Unavailable(what + "out of memory");
  }
  return Status::Internal(what + e.what());
}

}  // namespace lessonbook::pg
