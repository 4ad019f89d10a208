// Test fixture for what only the SQLite store has (its file, WAL, FTS5, the search cache): the
// shared StoreFixture (tests/support/store_fixture.h) always on SQLite — a fresh database file
// in its own temporary directory `dir_`, removed after the test — with the same helpers that
// build workspaces and lessons.
#pragma once

#include <string>

#include "storage/sqlite/sqlite_store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook::sqlite::testing {

using lessonbook::testing::T;

class SqliteStoreTest : public lessonbook::testing::StoreFixture {
 protected:
  lessonbook::testing::StoreKind Kind() const override {
    return lessonbook::testing::StoreKind::kSqlite;
  }
  // The test's database file.
  std::string DbPath() const { return Location(); }
};

}  // namespace lessonbook::sqlite::testing
