-- 0008: workspace_admins rebuilt with its key columns first. Applied once; never edit it.
-- SQLite 3.40's PRAGMA integrity_check reports a false "NULL value in workspace_admins.position"
-- for a WITHOUT ROWID table whose non-key NOT NULL column sits between its key columns; backups,
-- the crash tests and purge rely on integrity_check answering a plain "ok".
CREATE TABLE workspace_admins_0008 (
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      TEXT    NOT NULL,
  position     INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;
INSERT INTO workspace_admins_0008 (workspace_id, user_id, position)
  SELECT workspace_id, user_id, position FROM workspace_admins;
DROP TABLE workspace_admins;
ALTER TABLE workspace_admins_0008 RENAME TO workspace_admins;
