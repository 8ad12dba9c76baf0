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
    // Nodes are dense numbers: one bit each marks a value seen in this table.
    ulong[] _seen = new ulong[64];

    public string Table => table;

    public string Key => key;

    public long Rows { get; set; }

    public long Valid { get; private set; }

    public int Distinct { get; private set; }

    public void Add(int node)
    {
        Valid++;
        if (node >> 6 >= _seen.Length) Array.Resize(ref _seen, Math.Max(_seen.Length * 2, (node >> 6) + 1));
        ref var word = ref _seen[node >> 6];
        var bit = 1UL << (node & 63);
        if ((word & bit) != 0) return;
        word |= bit;
        Distinct++;
    }
}
