-- 0006: living lessons (the SQLite store's 0006_evidence.sql, same rules). A newer lesson
-- confirms or contradicts an older one; the older lesson's confirmations/contradictions count the
-- DISTINCT campaigns of that evidence (a lesson without a campaign counts as its own campaign).
-- A trigger keeps the counts in `lessons` so search can sort by them without a join.
CREATE TABLE lesson_evidence (
  workspace_id       BIGINT NOT NULL REFERENCES workspaces (id),
  lesson_id          BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  evidence_lesson_id BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  campaign           TEXT   NOT NULL DEFAULT '',
  kind               TEXT   NOT NULL CHECK (kind IN ('confirms', 'contradicts')),
  recorded_by        TEXT   NOT NULL DEFAULT '',
  recorded_at        BIGINT NOT NULL,
  PRIMARY KEY (lesson_id, evidence_lesson_id),
  CHECK (lesson_id <> evidence_lesson_id)
);
CREATE INDEX lesson_evidence_by_evidence ON lesson_evidence (evidence_lesson_id);
CREATE INDEX lesson_evidence_by_workspace_time ON lesson_evidence (workspace_id, recorded_at);

-- Recounts one lesson's evidence: distinct campaigns (any case), else the evidence lesson.
CREATE FUNCTION lessonbook_recount_evidence(target BIGINT) RETURNS void LANGUAGE sql AS $$
  UPDATE lessons SET
    confirmations = (SELECT count(DISTINCT CASE WHEN btrim(campaign) = ''
                                                THEN '#' || evidence_lesson_id
                                                ELSE 'c:' || lower(btrim(campaign)) END)
                     FROM lesson_evidence WHERE lesson_id = target AND kind = 'confirms'),
    contradictions = (SELECT count(DISTINCT CASE WHEN btrim(campaign) = ''
                                                 THEN '#' || evidence_lesson_id
                                                 ELSE 'c:' || lower(btrim(campaign)) END)
                      FROM lesson_evidence WHERE lesson_id = target AND kind = 'contradicts')
  WHERE id = target;
$$;

-- Every change to the evidence recounts the lesson it is about (a deleted lesson's evidence goes
-- by ON DELETE CASCADE, which fires this trigger too).
CREATE FUNCTION lessonbook_evidence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM lessonbook_recount_evidence(OLD.lesson_id); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM lessonbook_recount_evidence(NEW.lesson_id); END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER lesson_evidence_changed AFTER INSERT OR UPDATE OR DELETE ON lesson_evidence
  FOR EACH ROW EXECUTE FUNCTION lessonbook_evidence_changed();
