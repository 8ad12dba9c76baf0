-- A user transform: the generated cleaning runs first; this SELECT reads its rows as `cleaned`. Presto SQL (TD's
-- dialect): Local runs it through its Presto layer, TD on Presto. Hive projects add web_signups.hive.sql.
SELECT
  *,
  CASE WHEN cleaned_email IS NULL THEN 0 ELSE 1 END AS has_email
FROM cleaned
