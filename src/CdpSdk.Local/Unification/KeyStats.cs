using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Unification;

/// <summary>
/// &lt;id&gt;_result_key_stats (rows and ids per enriched table, and '*' overall) and &lt;id&gt;_source_key_stats
/// (valid and distinct values per table and key), appended per run with the session time, as TD keeps them.
/// </summary>
internal static class KeyStats
{
    public static void Append(Db db, UnifyConfig config, IdSpec id, long time, IReadOnlyList<SourceKeyStats> sourceStats)
    {
        var result = Sql.Table(config.Database, id.Name + "_result_key_stats");
        var idColumn = Sql.Quote(id.Name);
        db.Execute($"CREATE TABLE IF NOT EXISTS {result} (from_table TEXT, total_rows INTEGER, rows_with_id INTEGER, total_distinct INTEGER, time INTEGER)");
        foreach (var (t, _) in IdScope.Of(config, id).Tables)
            db.Execute($"INSERT INTO {result} SELECT {Text(t.Alias)}, count(*), count({idColumn}), count(DISTINCT {idColumn}), {time} FROM {Sql.Table(config.Database, "enriched_" + t.Alias)}");
        db.Execute($"INSERT INTO {result} SELECT '*', sum(total_rows), sum(rows_with_id), (SELECT count(DISTINCT id) FROM {Sql.Table(config.Database, UnificationEngine.LookupTable(id))}), {time} FROM {result} WHERE time = {time} AND from_table <> '*'");

        var source = Sql.Table(config.Database, id.Name + "_source_key_stats");
        db.Execute($"CREATE TABLE IF NOT EXISTS {source} (from_table TEXT, key_type TEXT, total_rows INTEGER, valid_values INTEGER, distinct_values INTEGER, time INTEGER)");
        // Counted while the engine read the sources: valid values are the ones the key rules accept.
        foreach (var k in sourceStats)
            db.Execute($"INSERT INTO {source} VALUES ({Text(k.Table)}, {Text(k.Key)}, {k.Rows}, {k.Valid}, {k.Distinct}, {time})");
    }

    static string Text(string s) => "'" + s.Replace("'", "''") + "'";
}

/// <summary>One source table's counts for one key: rows read, rows with a valid value, distinct valid values.</summary>
internal sealed class SourceKeyStats(string table, string key)
{
    readonly HashSet<int> _values = [];

    public string Table => table;

    public string Key => key;

    public long Rows { get; set; }

    public long Valid { get; private set; }

    public int Distinct => _values.Count;

    public void Add(int node)
    {
        Valid++;
        _values.Add(node);
    }
}
