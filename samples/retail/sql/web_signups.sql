-- A user transform: the generated cleaning runs first; this SELECT reads its rows as `cleaned`.
-- One query that Presto, Hive and SQLite all run, so the same file works on every target.
SELECT
  *,
  CASE WHEN cleaned_email IS NULL THEN 0 ELSE 1 END AS has_email
FROM cleaned
