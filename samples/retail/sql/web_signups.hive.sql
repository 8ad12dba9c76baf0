-- The Hive version of web_signups.sql, for CdpSqlEngine=hive (CdpStaging TransformHiveSql="sql/web_signups.hive.sql"):
-- TD runs this file on Hive; Local and the unit tests run the Presto one. Same SELECT over `cleaned`, Hive's quoting.
SELECT
  *,
  IF(`cleaned_email` IS NULL, 0, 1) AS `has_email`
FROM cleaned
