-- 0009: secrets the server creates once and every process sharing the database uses (the Book
-- of Learning's link key when LESSONBOOK_DATA_KEY is not set). Never edit: add a new migration.
CREATE TABLE server_secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
