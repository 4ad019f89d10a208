-- 0011: nothing to do in PostgreSQL. The SQLite store's 0011 keeps each lesson's tags as rows
-- (lesson_tags, by triggers) so that listings by tag are one index range; the PostgreSQL store
-- searches tags with its own indexes. Kept so both stores' schema versions match.
SELECT 1;
