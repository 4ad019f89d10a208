-- 0001: the initial schema (PostgreSQL). Applied once; never edit it: later changes go in new
-- files, numbered like their SQLite twins. Times are Unix seconds (UTC). Every tenant row carries
-- its workspace_id.

-- English stemming (Snowball, the successor of the Porter stemmer SQLite's FTS5 uses) without a
-- stop-word list: like the SQLite index, every word is searchable ("the", "not", "how"); accents
-- removed first (unaccent, from postgresql-contrib) like FTS5's remove_diacritics ("cafe" finds
-- "Café"). unaccent is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH DICTIONARY lessonbook_english_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION lessonbook_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION lessonbook_english
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
  WITH unaccent, lessonbook_english_stem;

CREATE TABLE workspaces (
  id          BIGSERIAL PRIMARY KEY,
  platform    TEXT   NOT NULL CHECK (platform IN ('slack', 'teams', 'web')),
  external_id TEXT   NOT NULL,
  name        TEXT   NOT NULL DEFAULT '',
  timezone    TEXT   NOT NULL DEFAULT 'UTC',
  bot_token   TEXT   NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  UNIQUE (platform, external_id)
);

-- Admins of a workspace, in the order they were named.
CREATE TABLE workspace_admins (
  workspace_id BIGINT  NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  user_id      TEXT    NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);

-- A sequence never gives a deleted lesson's id to another lesson.
CREATE TABLE lessons (
  id             BIGSERIAL PRIMARY KEY,
  workspace_id   BIGINT  NOT NULL REFERENCES workspaces (id),
  title          TEXT    NOT NULL,
  body           TEXT    NOT NULL DEFAULT '',
  outcome        TEXT    NOT NULL CHECK (outcome IN ('worked', 'flopped', 'change', 'insight')),
  tags           TEXT    NOT NULL DEFAULT '',  -- lower case, space-joined
  campaign       TEXT    NOT NULL DEFAULT '',
  author         TEXT    NOT NULL DEFAULT '',
  source         TEXT    NOT NULL CHECK (source IN ('postmortem', 'manual', 'import')),
  created_at     BIGINT  NOT NULL,
  updated_at     BIGINT  NOT NULL,
  confirmations  INTEGER NOT NULL DEFAULT 0,
  contradictions INTEGER NOT NULL DEFAULT 0,
  request_key    TEXT,                          -- NULL unless the request was keyed
  -- What full-text search sees. The weights are the SQLite store's bm25 column weights
  -- (title 10, tags 4, campaign 2, body 1) as ts_rank_cd's default A/B/C/D weights (1, .4, .2, .1).
  search         TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('lessonbook_english', title), 'A') ||
    setweight(to_tsvector('lessonbook_english', tags), 'B') ||
    setweight(to_tsvector('lessonbook_english', campaign), 'C') ||
    setweight(to_tsvector('lessonbook_english', body), 'D')) STORED,
  UNIQUE (workspace_id, request_key)
);
CREATE INDEX lessons_by_workspace_created ON lessons (workspace_id, created_at DESC, id DESC);
CREATE INDEX lessons_by_workspace_author ON lessons (workspace_id, author);
CREATE INDEX lessons_search ON lessons USING GIN (search);

-- Inbound events: (platform, event_id) dedupes retries, across every replica.
CREATE TABLE inbox (
  id           BIGSERIAL PRIMARY KEY,
  platform     TEXT    NOT NULL,
  event_id     TEXT    NOT NULL,
  workspace_id BIGINT  NOT NULL DEFAULT 0,  -- 0 when the event names no known workspace yet
  payload      TEXT    NOT NULL,
  handled      BOOLEAN NOT NULL DEFAULT false,
  received_at  BIGINT  NOT NULL,
  UNIQUE (platform, event_id)
);
CREATE INDEX inbox_by_handled ON inbox (handled, received_at);

-- Messages to send, claimed by a worker with a lease (claimed_by, lease_until; 0 = free).
CREATE TABLE outbox (
  id              BIGSERIAL PRIMARY KEY,
  workspace_id    BIGINT  NOT NULL,
  platform        TEXT    NOT NULL,
  target          TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  dedupe_key      TEXT,                       -- NULL when the message has none
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  claimed_by      TEXT    NOT NULL DEFAULT '',
  lease_until     BIGINT  NOT NULL DEFAULT 0,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  last_error      TEXT    NOT NULL DEFAULT '',
  created_at      BIGINT  NOT NULL,
  sent_at         BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX outbox_by_dedupe_key ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbox_by_status_due ON outbox (status, next_attempt_at);

-- Named leadership leases: one holder at a time until `until` (see PgStore::TryLead, which also
-- holds a session advisory lock per name).
CREATE TABLE leases (
  name   TEXT   PRIMARY KEY,
  holder TEXT   NOT NULL,
  until  BIGINT NOT NULL
);
