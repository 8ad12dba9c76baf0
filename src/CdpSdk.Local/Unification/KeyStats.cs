using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Unification;

/// <summary>
/// &lt;id&gt;_result_key_stats (rows and ids per enriched table, and '*' overall) and &lt;id&gt;_source_key_stats
/// (valid and distinct values per table and key), appended per run with the session time, as TD keeps them.
/// </summary>
internal static class KeyStats
{
    public static void Append(Db db, UnifyConfig config, IdSpec id, long time)
    {
        var result = Sql.Table(config.Database, id.Name + "_result_key_stats");
        var idColumn = Sql.Quote(id.Name);
        db.Execute($"CREATE TABLE IF NOT EXISTS {result} (from_table TEXT, total_rows INTEGER, rows_with_id INTEGER, total_distinct INTEGER, time INTEGER)");
        foreach (var t in UnificationEngine.InScope(config, id))
            db.Execute($"INSERT INTO {result} SELECT {Text(t.Alias)}, count(*), count({idColumn}), count(DISTINCT {idColumn}), {time} FROM {Sql.Table(config.Database, "enriched_" + t.Alias)}");
        db.Execute($"INSERT INTO {result} SELECT '*', sum(total_rows), sum(rows_with_id), (SELECT count(DISTINCT id) FROM {Sql.Table(config.Database, UnificationEngine.LookupTable(id))}), {time} FROM {result} WHERE time = {time} AND from_table <> '*'");

        var source = Sql.Table(config.Database, id.Name + "_source_key_stats");
        db.Execute($"CREATE TABLE IF NOT EXISTS {source} (from_table TEXT, key_type TEXT, total_rows INTEGER, valid_values INTEGER, distinct_values INTEGER, time INTEGER)");
        var keys = UnificationEngine.KeysOf(config, id);
        foreach (var t in UnificationEngine.InScope(config, id))
            foreach (var (column, key) in t.KeyColumns.Where(c => keys.Contains(c.Key)))
            {
                var lookup = Sql.Table(config.Database, UnificationEngine.LookupTable(id));
                // Valid values are the ones the lookup holds: the key rule already filtered them.
                db.Execute($"""
                    INSERT INTO {source}
                    SELECT {Text(t.Alias)}, {Text(key)}, count(*), count(l.key_value), count(DISTINCT l.key_value), {time}
                    FROM {Sql.Table(t.Database, t.Table)} s
                    LEFT JOIN {lookup} l ON l.key_type = {Text(key)} AND l.key_value = CAST(s.{Sql.Quote(column)} AS TEXT)
                    """);
            }
    }

    static string Text(string s) => "'" + s.Replace("'", "''") + "'";
}
