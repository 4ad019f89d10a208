-- 0010: nothing to do in PostgreSQL. The SQLite store's 0010 adds a narrow index that its
-- filtered searches read instead of the lesson rows (INDEXED BY); PostgreSQL's planner checks
-- the filters from its own indexes and heap. Kept so both stores' schema versions match.
SELECT 1;
