-- 0004: weekly digests (PostgreSQL): subscriptions per channel, one run per (subscription, ISO
-- week), the searches that found nothing, and small per-workspace settings.
CREATE TABLE workspace_settings (
  workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  key          TEXT   NOT NULL,
  value        TEXT   NOT NULL,
  PRIMARY KEY (workspace_id, key)
);

CREATE TABLE digest_subscriptions (
  id            BIGSERIAL PRIMARY KEY,
  workspace_id  BIGINT  NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  platform      TEXT    NOT NULL,
  channel_id    TEXT    NOT NULL,
  target        TEXT    NOT NULL,
  weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
  timezone      TEXT    NOT NULL,
  created_by    TEXT    NOT NULL DEFAULT '',
  created_at    BIGINT  NOT NULL,
  UNIQUE (workspace_id, channel_id)
);

CREATE TABLE digest_runs (
  id              BIGSERIAL PRIMARY KEY,
  subscription_id BIGINT  NOT NULL REFERENCES digest_subscriptions (id) ON DELETE CASCADE,
  iso_week        TEXT    NOT NULL,
  due_at          BIGINT  NOT NULL,
  created_at      BIGINT  NOT NULL,
  late            BOOLEAN NOT NULL DEFAULT false,
  outbox_id       BIGINT,
  UNIQUE (subscription_id, iso_week)
);

CREATE TABLE search_misses (
  id           BIGSERIAL PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  terms        TEXT   NOT NULL,
  at           BIGINT NOT NULL
);
CREATE INDEX search_misses_by_time ON search_misses (workspace_id, at);
