// The store tests' fixture: testing::StoreTest (tests/support/store_fixture.h), which runs each
// TEST_P on SQLite ("Sqlite/…") and on PostgreSQL ("Postgres/…"). Shared tests assert result
// sets, and order only where one hit clearly dominates: SQLite ranks by bm25, PostgreSQL by
// ts_rank_cd.
//
// Use: `class StoreFooTest : public StoreTest {};`, TEST_P(StoreFooTest, …), and
// LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreFooTest) once.
#pragma once

#include "tests/support/postgres_server.h"
#include "tests/support/store_fixture.h"
