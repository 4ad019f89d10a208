-- 0006: living lessons. A newer lesson confirms or contradicts an older one; the older lesson's
-- confirmations/contradictions count the DISTINCT campaigns of that evidence (a lesson without a
-- campaign counts as its own campaign). Triggers keep the counts in `lessons` so search can sort
-- by them (sort:evidence) without a join.
CREATE TABLE lesson_evidence (
  workspace_id       INTEGER NOT NULL,
  lesson_id          INTEGER NOT NULL,  -- the older lesson that gains evidence
  evidence_lesson_id INTEGER NOT NULL,  -- the newer lesson that is the evidence
  campaign           TEXT    NOT NULL DEFAULT '',  -- the evidence lesson's campaign, when recorded
  kind               TEXT    NOT NULL CHECK (kind IN ('confirms', 'contradicts')),
  recorded_by        TEXT    NOT NULL DEFAULT '',
  recorded_at        INTEGER NOT NULL,
  PRIMARY KEY (lesson_id, evidence_lesson_id),
  CHECK (lesson_id <> evidence_lesson_id)
) WITHOUT ROWID;
CREATE INDEX lesson_evidence_by_evidence ON lesson_evidence (evidence_lesson_id);
CREATE INDEX lesson_evidence_by_workspace_time ON lesson_evidence (workspace_id, recorded_at);

-- The campaign an evidence row stands for: its campaign (any case), else the evidence lesson.
CREATE VIEW lesson_evidence_campaigns AS
  SELECT lesson_id, kind,
         CASE WHEN trim(campaign) = '' THEN '#' || evidence_lesson_id
              ELSE 'c:' || lower(trim(campaign)) END AS campaign_key
  FROM lesson_evidence;

CREATE TRIGGER lesson_evidence_after_insert AFTER INSERT ON lesson_evidence BEGIN
  UPDATE lessons SET
    confirmations = (SELECT count(DISTINCT campaign_key) FROM lesson_evidence_campaigns
                     WHERE lesson_id = new.lesson_id AND kind = 'confirms'),
    contradictions = (SELECT count(DISTINCT campaign_key) FROM lesson_evidence_campaigns
                      WHERE lesson_id = new.lesson_id AND kind = 'contradicts')
  WHERE id = new.lesson_id;
END;

CREATE TRIGGER lesson_evidence_after_update AFTER UPDATE ON lesson_evidence BEGIN
  UPDATE lessons SET
    confirmations = (SELECT count(DISTINCT campaign_key) FROM lesson_evidence_campaigns
                     WHERE lesson_id = new.lesson_id AND kind = 'confirms'),
    contradictions = (SELECT count(DISTINCT campaign_key) FROM lesson_evidence_campaigns
                      WHERE lesson_id = new.lesson_id AND kind = 'contradicts')
  WHERE id = new.lesson_id;
END;

CREATE TRIGGER lesson_evidence_after_delete AFTER DELETE ON lesson_evidence BEGIN
  UPDATE lessons SET
    confirmations = (SELECT count(DISTINCT campaign_key) FROM lesson_evidence_campaigns
                     WHERE lesson_id = old.lesson_id AND kind = 'confirms'),
    contradictions = (SELECT count(DISTINCT campaign_key) FROM lesson_evidence_campaigns
                      WHERE lesson_id = old.lesson_id AND kind = 'contradicts')
  WHERE id = old.lesson_id;
END;

-- A deleted lesson takes its evidence with it, both ways (the counts follow by the trigger above).
CREATE TRIGGER lessons_evidence_after_delete AFTER DELETE ON lessons BEGIN
  DELETE FROM lesson_evidence WHERE lesson_id = old.id OR evidence_lesson_id = old.id;
END;
