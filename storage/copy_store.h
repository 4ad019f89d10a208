// CopyStore: moves a whole Lessonbook database from one store to another (SQLite to PostgreSQL or
// back) through the Store interface — `lessonbook migrate --from … --to …`. Every table of the
// domain is copied row for row with its ids, so references, signed Book links (the server's
// secrets) and sealed tokens (the workspace id is their associated data) stay valid; the target
// must be empty and is filled in one transaction (all or nothing); the source only is read.
//
// After the copy the result is verified: each table's row count in the target equals the
// source's, the target's integrity check answers "ok", and sampled lessons are found by their own
// title words in the target's full-text search as they are in the source's.
//
// Thread-safety: call from one thread; the stores must not be written by anyone else meanwhile
// (stop the servers: a write to the source after its snapshot is not copied).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bot/status.h"

namespace lessonbook {

class Store;

struct CopyOptions {
  // How many lessons, spread evenly over all of them, are searched in both stores afterwards.
  // Default: 200.
  int search_samples = 200;
};

struct CopyReport {
  struct Table {
    std::string name;
    std::int64_t source_rows = 0;
    std::int64_t target_rows = 0;
  };
  int schema_version = 0;
  std::vector<Table> tables;  // in the order they were copied
  int search_sampled = 0;     // lessons the source's search finds by their title words
  int search_found = 0;       // … of which the target's search finds too
  std::string target_integrity;
  double copy_seconds = 0;    // the copy (export + import + commit)
  double verify_seconds = 0;  // the search and integrity checks afterwards
  // Empty when the committed copy passed every check; else what differs (the target holds the
  // copy all the same: it is not rolled back after the commit).
  std::string verify_failure;

  std::int64_t total_rows() const {
    std::int64_t n = 0;
    for (const Table& t : tables) n += t.target_rows;
    return n;
  }
};

// Copies source into the empty target and verifies the copy (the report's verify_failure).
// Errors, with nothing written to the target:
//  - InvalidArgument: the source holds no Lessonbook database, or the two are at different
//    schema versions, or the schemas differ (a table or column of the source is not in the target);
//  - AlreadyExists: the target holds data;
//  - Unavailable: a store cannot be reached or is locked by a running server;
//  - InvalidArgument/Internal: a row the target refuses (the message names its table).
Result<CopyReport> CopyStore(Store& source, Store& target, const CopyOptions& options = {});

}  // namespace lessonbook
