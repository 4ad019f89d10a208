-- 0001: the initial schema. Applied once; never edit it: later changes go in new files.
-- Times are Unix seconds (UTC). Every tenant row carries its workspace_id.

CREATE TABLE workspaces (
  id          INTEGER PRIMARY KEY,
  platform    TEXT    NOT NULL CHECK (platform IN ('slack', 'teams', 'web')),
  external_id TEXT    NOT NULL,
  name        TEXT    NOT NULL DEFAULT '',
  timezone    TEXT    NOT NULL DEFAULT 'UTC',
  bot_token   TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  UNIQUE (platform, external_id)
);

-- Admins of a workspace, in the order they were named.
CREATE TABLE workspace_admins (
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  user_id      TEXT    NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;

-- AUTOINCREMENT: a deleted lesson's id is never given to another lesson.
CREATE TABLE lessons (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id   INTEGER NOT NULL REFERENCES workspaces (id),
  title          TEXT    NOT NULL,
  body           TEXT    NOT NULL DEFAULT '',
  outcome        TEXT    NOT NULL CHECK (outcome IN ('worked', 'flopped', 'change', 'insight')),
  tags           TEXT    NOT NULL DEFAULT '',  -- lower case, space-joined
  campaign       TEXT    NOT NULL DEFAULT '',
  author         TEXT    NOT NULL DEFAULT '',
  source         TEXT    NOT NULL CHECK (source IN ('postmortem', 'manual', 'import')),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  confirmations  INTEGER NOT NULL DEFAULT 0,
  contradictions INTEGER NOT NULL DEFAULT 0,
  request_key    TEXT,                          -- NULL unless the request was keyed
  UNIQUE (workspace_id, request_key)
);
CREATE INDEX lessons_by_workspace_created ON lessons (workspace_id, created_at DESC, id DESC);
CREATE INDEX lessons_by_workspace_author ON lessons (workspace_id, author);

-- What the full-text index sees of a lesson: the workspace scope token ('w12') first.
CREATE VIEW lessons_fts_content AS
  SELECT id, 'w' || workspace_id AS ws, title, body, tags, campaign, outcome, author FROM lessons;

-- External-content FTS5 index kept in sync by the triggers below. Scope, outcome and author are
-- columns so that filters go inside the MATCH; bm25 weighs them 0 (see the 'rank' setting).
CREATE VIRTUAL TABLE lessons_fts USING fts5 (
  ws, title, body, tags, campaign, outcome, author,
  content = 'lessons_fts_content',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Column weights: ws 0, title 10, body 1, tags 4, campaign 2, outcome 0, author 0.
INSERT INTO lessons_fts (lessons_fts, rank) VALUES ('rank', 'bm25(0.0, 10.0, 1.0, 4.0, 2.0, 0.0, 0.0)');

CREATE TRIGGER lessons_fts_after_insert AFTER INSERT ON lessons BEGIN
  INSERT INTO lessons_fts (rowid, ws, title, body, tags, campaign, outcome, author)
  VALUES (new.id, 'w' || new.workspace_id, new.title, new.body, new.tags, new.campaign,
          new.outcome, new.author);
END;

CREATE TRIGGER lessons_fts_after_delete AFTER DELETE ON lessons BEGIN
  INSERT INTO lessons_fts (lessons_fts, rowid, ws, title, body, tags, campaign, outcome, author)
  VALUES ('delete', old.id, 'w' || old.workspace_id, old.title, old.body, old.tags, old.campaign,
          old.outcome, old.author);
END;

CREATE TRIGGER lessons_fts_after_update
AFTER UPDATE OF workspace_id, title, body, tags, campaign, outcome, author ON lessons BEGIN
  INSERT INTO lessons_fts (lessons_fts, rowid, ws, title, body, tags, campaign, outcome, author)
  VALUES ('delete', old.id, 'w' || old.workspace_id, old.title, old.body, old.tags, old.campaign,
          old.outcome, old.author);
  INSERT INTO lessons_fts (rowid, ws, title, body, tags, campaign, outcome, author)
  VALUES (new.id, 'w' || new.workspace_id, new.title, new.body, new.tags, new.campaign,
          new.outcome, new.author);
END;

-- Inbound events: (platform, event_id) dedupes retries; handled = 0 is acknowledged, unhandled work.
CREATE TABLE inbox (
  id           INTEGER PRIMARY KEY,
  platform     TEXT    NOT NULL,
  event_id     TEXT    NOT NULL,
  workspace_id INTEGER NOT NULL DEFAULT 0,  -- 0 when the event names no known workspace yet
  payload      TEXT    NOT NULL,
  handled      INTEGER NOT NULL DEFAULT 0,
  received_at  INTEGER NOT NULL,
  UNIQUE (platform, event_id)
);
CREATE INDEX inbox_by_handled ON inbox (handled, received_at);

-- Messages to send, claimed by a worker with a lease (claimed_by, lease_until; 0 = free).
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  workspace_id    INTEGER NOT NULL,
  platform        TEXT    NOT NULL,
  target          TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  dedupe_key      TEXT,                       -- NULL when the message has none
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_by      TEXT    NOT NULL DEFAULT '',
  lease_until     INTEGER NOT NULL DEFAULT 0,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  last_error      TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX outbox_by_dedupe_key ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbox_by_status_due ON outbox (status, next_attempt_at);

-- Named leadership leases: one holder at a time until `until`.
CREATE TABLE leases (
  name   TEXT    PRIMARY KEY,
  holder TEXT    NOT NULL,
  until  INTEGER NOT NULL
) WITHOUT ROWID;
