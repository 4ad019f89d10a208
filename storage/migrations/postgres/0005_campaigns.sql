-- 0005: campaigns, post-mortems, prompt sessions, answers, and what we know of people
-- (PostgreSQL). Applied once; never edit it.
CREATE TABLE campaigns (
  id             BIGSERIAL PRIMARY KEY,
  workspace_id   BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  platform       TEXT   NOT NULL,
  name           TEXT   NOT NULL,
  name_key       TEXT   NOT NULL,  -- ASCII-lower-cased name: names are unique per workspace
  owner          TEXT   NOT NULL,
  channel_id     TEXT   NOT NULL DEFAULT '',
  channel_target TEXT   NOT NULL DEFAULT '',
  starts_at      BIGINT NOT NULL,
  ends_at        BIGINT NOT NULL,
  goals          TEXT   NOT NULL DEFAULT '',
  learning_goals TEXT   NOT NULL DEFAULT '',
  metrics        TEXT   NOT NULL DEFAULT '',  -- name \x1f target \x1f actual, rows \x1e-joined
  participants   TEXT   NOT NULL DEFAULT '',  -- user ids, \x1f-joined
  status         TEXT   NOT NULL CHECK (status IN ('planned', 'running', 'ended', 'reviewing', 'closed')),
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (workspace_id, name_key)
);
CREATE INDEX campaigns_by_end ON campaigns (status, ends_at);

CREATE TABLE postmortems (
  id                   BIGSERIAL PRIMARY KEY,
  workspace_id         BIGINT  NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  campaign_id          BIGINT  NOT NULL UNIQUE REFERENCES campaigns (id) ON DELETE CASCADE,
  question_set         TEXT    NOT NULL,
  question_set_version INTEGER NOT NULL,
  opened_at            BIGINT  NOT NULL,
  deadline_at          BIGINT  NOT NULL,
  closed_at            BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX postmortems_open ON postmortems (closed_at, deadline_at);

CREATE TABLE prompt_sessions (
  id               BIGSERIAL PRIMARY KEY,
  postmortem_id    BIGINT  NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
  workspace_id     BIGINT  NOT NULL,
  user_id          TEXT    NOT NULL,
  state            TEXT    NOT NULL CHECK (state IN ('pending', 'asking', 'snoozed', 'done', 'skipped')),
  current_question INTEGER NOT NULL DEFAULT 0,
  dm_target        TEXT    NOT NULL DEFAULT '',
  reminders_sent   INTEGER NOT NULL DEFAULT 0,
  next_reminder_at BIGINT  NOT NULL DEFAULT 0,
  updated_at       BIGINT  NOT NULL,
  UNIQUE (postmortem_id, user_id)
);
CREATE INDEX prompt_sessions_by_user ON prompt_sessions (workspace_id, user_id, state);

CREATE TABLE answers (
  postmortem_id BIGINT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
  user_id       TEXT   NOT NULL,
  question_id   TEXT   NOT NULL,
  value         TEXT   NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (postmortem_id, user_id, question_id)
);

CREATE TABLE people (
  workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      TEXT   NOT NULL,
  timezone     TEXT   NOT NULL DEFAULT '',
  updated_at   BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
