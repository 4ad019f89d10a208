#include "storage/sqlite/errors.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <new>
#include <string>

namespace lessonbook::sqlite {

Status StatusFromException(const std::exception& e, std::string_view doing) {
  const std::string what = "error while " + std::string(doing) + ": ";
  if (const auto* sql = dynamic_cast<const SQLite::Exception*>(&e)) {
    const std::string reason = sql->what();
    switch (sql->getErrorCode()) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Status::Unavailable(what + "the database is locked by another process; try again");
      case SQLITE_FULL:
        return Status::Unavailable(what + "the disk is full; free some space and try again");
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_CANTOPEN:
        return Status::Unavailable(what + "the database file cannot be written (" + reason +
                                   "); check its permissions");
      case SQLITE_IOERR:
        return Status::Unavailable(what + "disk I/O error (" + reason + ")");
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return Status::Internal(what + "the database file is damaged or not a database (" + reason +
                                ")");
      case SQLITE_CONSTRAINT:
      case SQLITE_TOOBIG:
      case SQLITE_MISMATCH:
        return Status::InvalidArgument(what + reason);
      default:
        return Status::Internal(what + reason);
    }
  }
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
    return Status::Unavailable(what + "out of memory");
  }
  return Status::Internal(what + e.what());
}

}  // namespace lessonbook::sqlite
