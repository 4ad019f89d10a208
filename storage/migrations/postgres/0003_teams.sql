-- 0003: what the Microsoft Teams adapter keeps (PostgreSQL). Applied once; never edit it.
CREATE TABLE teams_conversations (
  workspace_id      BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  conversation_id   TEXT   NOT NULL,
  conversation_type TEXT   NOT NULL DEFAULT '',  -- personal | groupChat | channel
  service_url       TEXT   NOT NULL,
  tenant_id         TEXT   NOT NULL DEFAULT '',
  team_id           TEXT   NOT NULL DEFAULT '',
  bot_id            TEXT   NOT NULL DEFAULT '',
  updated_at        BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, conversation_id)
);
CREATE INDEX teams_conversations_by_team ON teams_conversations (workspace_id, team_id);

CREATE TABLE teams_users (
  workspace_id             BIGINT  NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id                  TEXT    NOT NULL,
  aad_object_id            TEXT    NOT NULL DEFAULT '',
  name                     TEXT    NOT NULL DEFAULT '',
  local_timezone           TEXT    NOT NULL DEFAULT '',
  service_url              TEXT    NOT NULL DEFAULT '',
  personal_conversation_id TEXT    NOT NULL DEFAULT '',
  unreachable              BOOLEAN NOT NULL DEFAULT false,
  updated_at               BIGINT  NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);

CREATE TABLE teams_service_urls (
  service_url TEXT   PRIMARY KEY,
  first_seen  BIGINT NOT NULL
);
