-- 0003: what the Microsoft Teams adapter keeps. Applied once; never edit it.
-- Times are Unix seconds (UTC). Every tenant row carries its workspace_id.

-- Conversations the bot is part of (1:1 chats, group chats, team channels): the reference a later
-- message needs. service_url is where the Bot Connector for this conversation lives.
CREATE TABLE teams_conversations (
  workspace_id      INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  conversation_id   TEXT    NOT NULL,
  conversation_type TEXT    NOT NULL DEFAULT '',  -- personal | groupChat | channel
  service_url       TEXT    NOT NULL,
  tenant_id         TEXT    NOT NULL DEFAULT '',
  team_id           TEXT    NOT NULL DEFAULT '',  -- channel conversations: the team's id
  bot_id            TEXT    NOT NULL DEFAULT '',  -- the bot's id in this conversation ("28:…")
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, conversation_id)
) WITHOUT ROWID;
CREATE INDEX teams_conversations_by_team ON teams_conversations (workspace_id, team_id);

-- People the bot has heard from: the last localTimezone their client reported, their 1:1 chat
-- with the bot once created, and whether they blocked or removed the bot (403
-- MessageWritesBlocked) so nothing more is sent until they write again.
CREATE TABLE teams_users (
  workspace_id             INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id                  TEXT    NOT NULL,  -- from.id ("29:…")
  aad_object_id            TEXT    NOT NULL DEFAULT '',
  name                     TEXT    NOT NULL DEFAULT '',
  local_timezone           TEXT    NOT NULL DEFAULT '',  -- IANA name, e.g. Europe/Berlin
  service_url              TEXT    NOT NULL DEFAULT '',
  personal_conversation_id TEXT    NOT NULL DEFAULT '',
  unreachable              INTEGER NOT NULL DEFAULT 0,
  updated_at               INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;

-- Bot Connector endpoints seen in authenticated activities: the only places the bot's token goes.
CREATE TABLE teams_service_urls (
  service_url TEXT    PRIMARY KEY,
  first_seen  INTEGER NOT NULL
) WITHOUT ROWID;
