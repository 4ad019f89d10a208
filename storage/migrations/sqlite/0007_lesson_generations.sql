-- 0007: write generations of lessons, kept in the database. Triggers bump them in the same
-- transaction as every insert, update and delete of a lesson, whoever writes (serve, import,
-- purge, a second replica on the same data), so a search page cached at generation G is still
-- right exactly while the generation is G (storage/sqlite/search_cache.h).
-- Row 0 counts the writes of all workspaces: bm25's statistics (how many lessons, how many have
-- each word) span every workspace, so a write anywhere can change a ranking; search keys its
-- cache on row 0. A row per workspace tells which workspaces ever had a lesson.
CREATE TABLE lesson_generations (
  workspace_id INTEGER PRIMARY KEY,  -- 0: all workspaces
  generation   INTEGER NOT NULL
);

CREATE TRIGGER lesson_generations_after_insert AFTER INSERT ON lessons BEGIN
  INSERT INTO lesson_generations (workspace_id, generation) VALUES (0, 1), (new.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER lesson_generations_after_update AFTER UPDATE ON lessons BEGIN
  INSERT INTO lesson_generations (workspace_id, generation)
    VALUES (0, 1), (new.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET generation = generation + 1;
  INSERT INTO lesson_generations (workspace_id, generation) VALUES (old.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER lesson_generations_after_delete AFTER DELETE ON lessons BEGIN
  INSERT INTO lesson_generations (workspace_id, generation) VALUES (0, 1), (old.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET generation = generation + 1;
END;

-- Workspaces that have lessons already start at generation 1.
INSERT INTO lesson_generations (workspace_id, generation)
  SELECT DISTINCT workspace_id, 1 FROM lessons;
INSERT INTO lesson_generations (workspace_id, generation)
  SELECT 0, 1 WHERE EXISTS (SELECT 1 FROM lessons);
