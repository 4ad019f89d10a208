-- 0007: nothing to do in PostgreSQL. The SQLite store's 0007 adds lesson_generations for its
-- in-process search cache; the PostgreSQL store has no such cache (replicas share the database,
-- so a per-process cache could answer from stale pages). Kept so both stores' schema versions
-- match.
SELECT 1;
