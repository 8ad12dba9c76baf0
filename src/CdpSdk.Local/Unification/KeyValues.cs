using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Unification;

/// <summary>One source table of an id's graph and its key columns, the do_not_merge key's first.</summary>
internal sealed record KeySource(SourceTable Table, IReadOnlyList<(string Column, string Key)> Columns);

/// <summary>
/// An id's key values, found set-based: DuckDB groups every occurrence once (the last lookup's values first,
/// then each source table, row and column in order), so C# decodes each distinct value once, checks it against
/// its key's rule once, and reads each record back as node numbers — the strings never cross row by row.
/// Node numbers follow first sight, as reading the rows one by one would give them. A value that is not text
/// is compared as DuckDB's text of it.
/// </summary>
internal sealed class KeyValues(Db db, string idName)
{
    // Temp tables of this connection: every distinct value (vid: its first sighting), and the node of each.
    string Values => Sql.Quote($"_cdp_values_{idName}");
    string Nodes => Sql.Quote($"_cdp_nodes_{idName}");

    /// <summary>Every node's (node, k = key's position, key, v = value, joins), for SQL that writes key values.</summary>
    public string NodeTable => Sql.Quote($"_cdp_node_values_{idName}");

    // The encoded first sight of a value: source (0 = last lookup) in the top 16 bits, then row (40 bits), then column (7 bits).
    const int SourceShift = 47, RowShift = 7;

    /// <summary>
    /// Adds every value to <paramref name="graph"/> in first-seen order: a value of the last lookup always,
    /// a source value when its key's rule <paramref name="accepts"/> it. Source values that joined no node
    /// are left out of <see cref="Records"/>.
    /// </summary>
    public void Build(IdGraph graph, IReadOnlyList<string> keys, string? lastLookup, IReadOnlyList<KeySource> sources, Func<string, string, bool> accepts)
    {
        // Never an empty UNION: an id whose tables hold none of its keys has no values.
        var sightings = new List<string> { "SELECT NULL::INTEGER AS k, NULL::VARCHAR AS v, NULL::BIGINT AS seen WHERE false" };
        if (lastLookup is not null && keys.Count > 0)
            sightings.Add($"SELECT {KeyNumber("key_type", keys)} AS k, key_value AS v, rowid AS seen FROM {lastLookup} " +
                $"WHERE key_type IN ({string.Join(", ", keys.Select(Sql.Literal))}) AND key_value IS NOT NULL");
        if (sources.Count >= (1 << (63 - SourceShift)) - 1 || sources.Any(t => t.Columns.Count > (1 << RowShift)))
            throw new CdpException(LocalErrors.BadUnifyConfig, $"The unification config gives {idName} more tables or key columns per table than the Local engine reads (65,534 tables, 128 key columns).");
        for (var s = 0; s < sources.Count; s++)
            for (var c = 0; c < sources[s].Columns.Count; c++)
            {
                var (column, key) = sources[s].Columns[c];
                sightings.Add($"SELECT {Index(keys, key)} AS k, CAST({Sql.Quote(column)} AS VARCHAR) AS v, " +
                    $"({(long)(s + 1)}::BIGINT << {SourceShift}) | (rowid << {RowShift}) | {c} AS seen " +
                    $"FROM {Sql.Table(sources[s].Table.Database, sources[s].Table.Table)} WHERE {Sql.Quote(column)} IS NOT NULL");
            }
        // A value's first sighting is one cell, so it also names the value (vid).
        db.Execute($"CREATE OR REPLACE TEMP TABLE {Values} AS SELECT first AS vid, k, v, in_lookup, in_sources FROM (" +
            $"SELECT k, v, min(seen) AS first, bool_or(seen < (1::BIGINT << {SourceShift})) AS in_lookup, bool_or(seen >= (1::BIGINT << {SourceShift})) AS in_sources " +
            $"FROM ({string.Join(" UNION ALL ", sightings)}) GROUP BY k, v)");

        db.Execute($"CREATE OR REPLACE TEMP TABLE {Nodes} (vid BIGINT NOT NULL, node INTEGER NOT NULL, joins BOOLEAN NOT NULL)");
        using (var append = db.Connection.CreateAppender("temp", "main", $"_cdp_nodes_{idName}"))
        using (var command = Sql.Command(db.Connection, $"SELECT vid, k, v, in_lookup, in_sources FROM {Values} ORDER BY vid"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                var (key, value) = (keys[reader.GetInt32(1)], reader.GetString(2));
                var joins = reader.GetBoolean(4) && accepts(key, value);
                if (!joins && !reader.GetBoolean(3)) continue;
                append.CreateRow().AppendValue(reader.GetInt64(0)).AppendValue(graph.Add(key, value)).AppendValue(joins).EndRow();
            }
        db.Execute($"CREATE OR REPLACE TEMP TABLE {NodeTable} AS SELECT n.node, v.k, {KeyName("v.k", keys)} AS key, v.v, n.joins FROM {Nodes} n JOIN {Values} v USING (vid)");
    }

    /// <summary>
    /// Each row of <paramref name="source"/> in rowid order as the nodes of its columns (-1 where the column
    /// has no value that joins), handed to <paramref name="record"/> in one reused buffer.
    /// </summary>
    public void Records(KeySource source, IReadOnlyList<string> keys, RecordHandler record)
    {
        var columns = source.Columns;
        var joins = string.Join(" ", columns.Select((c, i) =>
            $"LEFT JOIN {NodeTable} n{i} ON n{i}.joins AND n{i}.k = {Index(keys, c.Key)} AND n{i}.v = CAST(s.{Sql.Quote(c.Column)} AS VARCHAR)"));
        var select = string.Join(", ", columns.Select((_, i) => $"n{i}.node"));
        var nodes = new int[columns.Count];
        using var command = Sql.Command(db.Connection, $"SELECT {select} FROM {Sql.Table(source.Table.Database, source.Table.Table)} s {joins} ORDER BY s.rowid");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            for (var i = 0; i < nodes.Length; i++) nodes[i] = reader.IsDBNull(i) ? -1 : reader.GetInt32(i);
            record(nodes);
        }
    }

    public delegate void RecordHandler(ReadOnlySpan<int> nodes);

    /// <summary>Each (follower, leader) row of the last run's graph whose two values are nodes of this one.</summary>
    public List<(int Follower, int Leader)> LastGraph(string graphTable, IReadOnlyList<string> keys)
    {
        var rows = new List<(int, int)>();
        using var command = Sql.Command(db.Connection,
            $"SELECT f.node, l.node FROM {graphTable} g JOIN {NodeTable} f ON f.k = {KeyNumber("g.follower_ns", keys)} AND f.v = g.follower_id " +
            $"JOIN {NodeTable} l ON l.k = {KeyNumber("g.leader_ns", keys)} AND l.v = g.leader_id");
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        return rows;
    }

    // Keys travel as their position in the id's key list: a small integer instead of a string per row.
    static int Index(IReadOnlyList<string> keys, string key)
    {
        for (var i = 0; i < keys.Count; i++) if (keys[i] == key) return i;
        throw new ArgumentException($"key {key} is not one of the id's keys");
    }

    static string KeyNumber(string column, IReadOnlyList<string> keys) => keys.Count == 0 ? "NULL::INTEGER"
        : $"CASE {column} {string.Join(" ", keys.Select((k, i) => $"WHEN {Sql.Literal(k)} THEN {i}"))} END";

    static string KeyName(string number, IReadOnlyList<string> keys) => keys.Count == 0 ? "NULL::VARCHAR"
        : $"CASE {number} {string.Join(" ", keys.Select((k, i) => $"WHEN {i} THEN {Sql.Literal(k)}"))} END";

    /// <summary>Drops this id's temp tables, so a second id of the run does not hold their memory.</summary>
    public void Drop()
    {
        foreach (var table in new[] { Values, Nodes, NodeTable }) db.Execute($"DROP TABLE IF EXISTS temp.{table}");
    }
}
