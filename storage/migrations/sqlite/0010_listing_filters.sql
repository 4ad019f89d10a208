-- 0010: the exact filters of a search (tags, author, dates) read from a narrow index instead of
-- the lesson rows. A search with exact filters (words with `tag:`, a listing by author or date)
-- counts its matches by joining the full-text matches to `lessons` to check each one exactly
-- ("paid" is in "paid-social"): with the whole row read per match that cost ~25 ms for 13,000
-- matches at 100,000 lessons, from this index (about 50 bytes a lesson, mostly in the page
-- cache) ~9 ms. Listings by tag alone use 0011's lesson_tags. Never edit: add a new migration.
CREATE INDEX lessons_filter_columns ON lessons (id, workspace_id, created_at, author, tags);
