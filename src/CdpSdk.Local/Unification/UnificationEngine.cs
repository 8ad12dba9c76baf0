using System.Security.Cryptography;
using System.Text;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Loading;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Unification;

/// <summary>One id's outcome: clusters, key values, and how many of TD's loops the graph needs.</summary>
/// <param name="LoopLimit">The loops TD runs at most on this run, the value of <paramref name="LoopSetting"/>.</param>
/// <param name="LoopSetting">The unify.yml setting that limits TD's loops on this run: merge_iterations, or incremental_merge_iterations when the run starts from the last graph.</param>
internal sealed record IdResult(string IdName, int Ids, int Keys, int IterationsNeeded, int LoopLimit, int RefusedJoins, string LoopSetting = "merge_iterations");

/// <summary>What one unification run produced.</summary>
internal sealed record UnificationResult(string Database, IReadOnlyList<IdResult> Ids, IReadOnlyList<string> Tables);

/// <summary>
/// The Local stand-in for TD's unification service: records sharing any valid key value get the same id,
/// transitively across tables (union-find, see <see cref="IdGraph"/>). persistent_id takes its id from the
/// earliest-seen key value — seeded from the previous lookup unless full_refresh, so ids stay stable across
/// runs; canonical_id from the smallest (by key priority, then value). Writes &lt;id&gt;_lookup, &lt;id&gt;_graph,
/// enriched_&lt;table&gt;, the master tables, and appends &lt;id&gt;_result_key_stats / &lt;id&gt;_source_key_stats.
/// </summary>
internal sealed class UnificationEngine(DuckDbWarehouse warehouse)
{
    /// <summary>
    /// Runs the whole unification in one transaction; <paramref name="beforeCommit"/> adds the task's
    /// finished mark to it, so an interrupted run leaves either all output tables or none.
    /// </summary>
    public UnificationResult Run(UnifyConfig config, bool fullRefresh, long time, Action<DuckDBConnection>? beforeCommit = null)
    {
        var database = config.Database;
        using var lease = warehouse.Borrow(database);
        var connection = lease.Connection;
        try
        {
            using var tx = connection.BeginTransaction();
            var db = new Db(connection);
            var built = config.Ids.Select(id => BuildLookup(db, config, id, fullRefresh)).ToList();
            var results = built.Select(b => b.Result).ToList();
            var tables = config.Tables.Select(t => Enrich(db, config, t, built)).ToList();
            foreach (var (id, b) in config.Ids.Zip(built)) KeyStats.Append(db, config, id, time, b.SourceStats);
            tables.AddRange(config.MasterTables.Select(m => MasterTableWriter.Write(db, config, m)));
            beforeCommit?.Invoke(connection);
            tx.Commit();
            return new UnificationResult(database, results, tables);
        }
        catch (DuckDBException e)
        {
            throw WarehouseFailures.Translate(e, warehouse.File)
                ?? new CdpException(LocalErrors.SqlFailed, $"Unification '{config.Name}' failed: {DuckDbWarehouse.FirstLine(e)}");
        }
    }

    /// <summary>One id built: its result, per source table the temp table of its rows' ids (rid, id), and per table and key its value counts.</summary>
    sealed record Built(IdResult Result, Dictionary<SourceTable, string> RowIds, List<SourceKeyStats> SourceStats);

    static Built BuildLookup(Db db, UnifyConfig config, IdSpec id, bool fullRefresh)
    {
        var scope = IdScope.Of(config, id);
        var keys = scope.Keys;
        var graph = new IdGraph(id.DoNotMergeKey);
        var lookup = LookupTable(id);
        var seeded = id.Persistent && !fullRefresh && db.TableExists(config.Database, lookup);
        // The do_not_merge key first: it anchors each record.
        var sources = scope.Tables
            .Select(t => new KeySource(t.Table, t.Table.KeyColumns.Where(c => t.Keys.Contains(c.Key)).OrderBy(c => c.Key == id.DoNotMergeKey ? 0 : 1).ToList()))
            .Where(s => s.Columns.Count > 0).ToList();
        var values = new KeyValues(db, id.Name);
        values.Build(graph, keys, seeded ? Sql.Table(config.Database, lookup) : null, sources, (key, value) => config.Keys[key].Accepts(value));

        var anchors = new Dictionary<SourceTable, List<int>>();
        var stats = new List<SourceKeyStats>();
        var nodes = new List<int>();
        foreach (var source in sources)
        {
            var rows = anchors[source.Table] = [];
            var tableStats = source.Columns.Select(c => new SourceKeyStats(source.Table.Alias, c.Key)).ToList();
            values.Records(source, keys, record =>
            {
                nodes.Clear();
                for (var i = 0; i < record.Length; i++)
                    if (record[i] >= 0)
                    {
                        nodes.Add(record[i]);
                        tableStats[i].Add(record[i]);
                    }
                rows.Add(graph.AddRecord(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes)));
                foreach (var t in tableStats) t.Rows++;
            });
            stats.AddRange(tableStats);
        }

        // Leader per cluster: earliest seen (persistent) or smallest by key priority then value (canonical).
        var rank = Rank(graph, keys, id.Persistent);
        var leaders = graph.Leaders(rank);
        // An incremental run starts TD's loop from the last run's final graph (TD's p7_incremental page).
        var graphTable = Sql.Table(config.Database, id.Name + "_graph");
        var incremental = !fullRefresh && db.TableExists(config.Database, id.Name + "_graph");
        var previous = incremental ? values.LastGraph(graphTable, keys) : [];
        // TD's loop, simulated for the CDP5200 check, only reads the graph: it runs on another core while DuckDB
        // writes the lookup and graph tables below.
        var iterations = Task.Run(() => graph.IterationsNeeded(rank, previous));
        var (loopLimit, loopSetting) = incremental ? (id.IncrementalMergeIterations, "incremental_merge_iterations") : (id.MergeIterations, "merge_iterations");

        // One id per leader, hashed on every core (each slot is written once, so the result does not depend on the order).
        var idOf = new string?[graph.Nodes.Count];
        Parallel.For(0, leaders.Length, n => { if (leaders[n] == n) idOf[n] = IdValue(config.Name, id.Name, graph.Nodes[n]); });
        var follows = new List<(int Node, int Leader)>(graph.Nodes.Count);
        // Seen order, so the next incremental run seeds the same leaders.
        for (var n = 0; n < graph.Nodes.Count; n++) follows.Add((n, leaders[n]));
        // A value refused by do_not_merge_key also follows the leader of the record that used it.
        var extra = new HashSet<(int, int)>();
        foreach (var (node, anchor) in graph.RefusedJoins)
            if (leaders[anchor] != leaders[node] && extra.Add((node, leaders[anchor]))) follows.Add((node, leaders[anchor]));
        var clusters = idOf.Count(i => i is not null);
        var idValues = LookupWriter.Write(db, config.Database, id.Name, lookup, values.NodeTable, follows, idOf);
        values.Drop();

        // Each row's id by rowid, for the enriched tables.
        var rowIds = new Dictionary<SourceTable, string>();
        foreach (var (table, rows) in anchors)
            rowIds[table] = LookupWriter.RowIds(db, $"_cdp_ids_{rowIds.Count}_{id.Name}", rows.Select(a => a < 0 ? -1 : leaders[a]).ToList(), idValues);
        db.Execute($"DROP TABLE temp.{Sql.Quote(idValues)}");
        var result = new IdResult(id.Name, clusters, graph.Nodes.Count, iterations.GetAwaiter().GetResult(), loopLimit, graph.Refused, loopSetting);
        return new Built(result, rowIds, stats);
    }

    /// <summary>Persistent: seen order. Canonical: key priority (merge_by_keys order), then value.</summary>
    static int[] Rank(IdGraph graph, IReadOnlyList<string> keys, bool persistent)
    {
        var order = Enumerable.Range(0, graph.Nodes.Count).ToArray();
        if (!persistent)
        {
            var priority = keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i);
            Array.Sort(order, (a, b) =>
            {
                var (na, nb) = (graph.Nodes[a], graph.Nodes[b]);
                var byKey = priority[na.Key].CompareTo(priority[nb.Key]);
                return byKey != 0 ? byKey : string.CompareOrdinal(na.Value, nb.Value);
            });
        }
        var rank = new int[order.Length];
        for (var i = 0; i < order.Length; i++) rank[order[i]] = i;
        return rank;
    }

    /// <summary>enriched_&lt;table&gt;: every row of the source with one column per id; NULL when no valid key.</summary>
    static string Enrich(Db db, UnifyConfig config, SourceTable table, List<Built> built)
    {
        var name = "enriched_" + table.Alias;
        // Every id gets a column, NULL where the table is outside the id's source_tables, so the shape is stable.
        var joins = new List<string>();
        var idColumns = config.Ids.Zip(built).Select((x, i) =>
        {
            if (!x.Second.RowIds.TryGetValue(table, out var temp)) return "NULL AS " + Sql.Quote(x.First.Name);
            joins.Add($"LEFT JOIN temp.{Sql.Quote(temp)} i{i} ON i{i}.rid = t.rowid");
            return $"i{i}.id AS {Sql.Quote(x.First.Name)}";
        }).ToList();
        var target = Sql.Table(config.Database, name);
        db.Execute($"DROP TABLE IF EXISTS {target}");
        // Ordered by rowid: the source's row order, which the master tables' first and last fall back on. A
        // POSITIONAL JOIN keeps it too, but DuckDB writes its result only at the commit, on one core (0.4 s per
        // 500k-row table); a sorted CTAS is written as it runs.
        db.Execute($"CREATE TABLE {target} AS SELECT t.*, {string.Join(", ", idColumns)} FROM {Sql.Table(table.Database, table.Table)} t {string.Join(" ", joins)} ORDER BY t.rowid");
        return name;
    }

    internal static string LookupTable(IdSpec id) => id.Name + "_lookup";

    /// <summary>
    /// Deterministic and opaque in TD's shape: 12 URL-safe base64 characters (9 bytes) derived from the leader key
    /// value. TD mixes a per-account key mask into the hash, so its values cannot be reproduced; the shape can.
    /// </summary>
    internal static string IdValue(string unification, string idName, (string Key, string Value) leader)
    {
        // UTF-8 of unification \0 idName \0 key \0 value, hashed without building the joined text (ids are made by the hundred thousand).
        var max = Encoding.UTF8.GetMaxByteCount(unification.Length + idName.Length + leader.Key.Length + leader.Value.Length) + 3;
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(unification, bytes);
        foreach (var part in (ReadOnlySpan<string>)[idName, leader.Key, leader.Value])
        {
            bytes[length++] = 0;
            length += Encoding.UTF8.GetBytes(part, bytes[length..]);
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes[..length], hash);
        Span<char> id = stackalloc char[12];
        Convert.TryToBase64Chars(hash[..9], id, out _);
        foreach (ref var c in id) c = c switch { '+' => '-', '/' => '_', _ => c };
        return new string(id);
    }
}

/// <summary>A connection inside the unification's transaction (DuckDB has one per connection).</summary>
internal sealed class Db(DuckDBConnection connection)
{
    public DuckDBConnection Connection => connection;

    public int Execute(string sql) => Sql.Execute(connection, sql);

    public object? Scalar(string sql) => Sql.Scalar(connection, sql);

    public bool TableExists(string database, string table) => Sql.TableExists(connection, database, table);

    public List<string> Columns(string database, string table) => Sql.Columns(connection, database, table);

    /// <summary>Rows streamed: run no other command on the connection until the enumeration ends.</summary>
    public IEnumerable<object?[]> Read(string sql) => Sql.Stream(connection, sql);
}
