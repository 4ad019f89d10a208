-- 0008: nothing to do in PostgreSQL. The SQLite store's 0008 rebuilds workspace_admins with
-- (workspace_id, user_id) as its key; the PostgreSQL table had that key from 0001. Kept so both
-- stores' schema versions match.
SELECT 1;
