using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Bench.Pipeline;

/// <summary>
/// The floor the pipeline is measured against: the benchmark project's steps written by hand on DuckDB, in
/// one process, with nothing the SDK adds (no state, no checks, no report). read_csv into the source tables,
/// hist-union by the generated query's NOT EXISTS (Presto's form, which DuckDB runs as an anti-join), staging
/// CTAS with the SDK's cleaning (lower(trim(email)), digits of the phone), then the unification: valid key
/// values read back, union-find in C# (earliest seen value leads, as persistent_id), the lookup and graph
/// tables through the appender, each row's id through the appender, and the enriched tables as a join.
/// </summary>
internal static class DuckDbFloor
{
    /// <summary>A source table: its history file (when the source loads history) and incremental file, key columns, and hist-union's key and field.</summary>
    sealed record Table(string Name, string[] Files, string EmailColumn, string? PhoneColumn, string? CookieColumn, string Key, string Field);

    static readonly Table[] Tables =
    [
        new("shop_customers", ["customers_history.csv", "customers.csv"], "email", "phone", null, "id", "updated_at"),
        new("shop_orders", ["orders_history.csv", "orders.csv"], "customer_email", "phone", null, "id", "updated_at"),
        new("web_web_events", ["web_events.csv"], "email", null, "td_client_id", "event_id", "event_time"),
    ];

    /// <summary>Runs every step on a new database in <paramref name="work"/>; returns the seconds taken, opening the database included.</summary>
    /// <param name="disabledCompressions">DuckDB's disabled_compression_methods for the run; null keeps DuckDB's defaults.</param>
    public static double Run(string data, string work, string? disabledCompressions = null)
    {
        Directory.CreateDirectory(work);
        var file = Path.Combine(work, "floor.duckdb");
        foreach (var f in Directory.EnumerateFiles(work, "floor.duckdb*")) File.Delete(f);
        var watch = Stopwatch.StartNew();
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        var steps = new Dictionary<string, double>();
        var lap = Stopwatch.StartNew();
        void Exec(string sql) { using var c = connection.CreateCommand(); c.CommandText = sql; c.ExecuteNonQuery(); }
        if (disabledCompressions is not null) Exec($"SET GLOBAL disabled_compression_methods = '{disabledCompressions}'");
        // Where the time goes, printed with the result: each step's share, for docs/performance.md.
        void Step(string name) { steps[name] = steps.GetValueOrDefault(name) + lap.Elapsed.TotalSeconds; lap.Restart(); }
        Exec("CREATE SCHEMA src; CREATE SCHEMA stg; CREATE SCHEMA unif;");
        foreach (var t in Tables)
        {
            var paths = t.Files.Select(f => Path.Combine(data, f)).ToArray();
            var (k, f) = (t.Key, t.Field);
            // The generated hist-union (Presto's NOT EXISTS form): latest row per key, the incremental row winning ties.
            Exec($"CREATE TABLE src.{t.Name} AS SELECT * FROM read_csv('{paths[^1]}', header = true)");
            Step("read_csv");
            var union = $"SELECT i.* FROM src.{t.Name} i WHERE NOT EXISTS (SELECT 1 FROM src.{t.Name} n WHERE n.{k} = i.{k} AND n.{f} > i.{f})";
            if (paths.Length == 2)
            {
                Exec($"CREATE TABLE src.{t.Name}_hist AS SELECT * FROM read_csv('{paths[0]}', header = true)");
                Step("read_csv");
                union += $"""

                    UNION ALL
                    SELECT h.* FROM src.{t.Name}_hist h
                    WHERE NOT EXISTS (SELECT 1 FROM src.{t.Name}_hist n WHERE n.{k} = h.{k} AND n.{f} > h.{f})
                      AND NOT EXISTS (SELECT 1 FROM src.{t.Name} n WHERE n.{k} = h.{k} AND n.{f} >= h.{f})
                    """;
            }
            Exec($"CREATE TABLE src.{t.Name}_hist_union AS {union}");
            Step("hist-union");
            Exec($"CREATE TABLE stg.{t.Name} AS SELECT t.*, {Cleaning(t)} FROM src.{t.Name}_hist_union t");
            Step("staging");
        }
        var counts = Unify(connection, Exec, Step);
        watch.Stop();
        Console.WriteLine($"{counts.Nodes} key values, {counts.Ids} ids, {counts.WithId} of {counts.Rows} rows with an id; " +
            string.Join(", ", steps.Select(s => $"{s.Key} {s.Value:0.0} s")));
        return watch.Elapsed.TotalSeconds;
    }

    static string Cleaning(Table t)
    {
        var list = new List<string> { $"NULLIF(lower(trim(CAST(t.{t.EmailColumn} AS VARCHAR))), '') AS cleaned_{t.EmailColumn}" };
        // Presto's regexp_replace replaces every match: DuckDB's needs the 'g' flag for that.
        if (t.PhoneColumn is { } p) list.Add($"NULLIF(regexp_replace(CAST(t.{p} AS VARCHAR), '[^0-9]', '', 'g'), '') AS standardized_{p}");
        return string.Join(", ", list);
    }

    /// <summary>A key column's value when it counts as a key (the unification's ValidRegexp and InvalidTexts), else NULL.</summary>
    static string Valid(string column, string regexp, string[] invalid) =>
        $"CASE WHEN regexp_matches({column}, '{regexp}'){string.Concat(invalid.Select(v => $" AND {column} <> '{v}'"))} THEN {column} END";

    static (int Nodes, int Ids, long WithId, long Rows) Unify(DuckDBConnection connection, Action<string> exec, Action<string> step)
    {
        string[] keyNames = ["email", "phone", "td_client_id"];
        var values = keyNames.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var nodes = new List<(int Key, string Value)>();
        var parent = new List<int>();
        int Node(int key, string value)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(values[key], value, out var exists);
            if (!exists) { slot = nodes.Count; nodes.Add((key, value)); parent.Add(slot); }
            return slot;
        }
        int Find(int x)
        {
            while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
            return x;
        }
        // The earliest seen value leads its cluster (persistent_id's rule).
        void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }

        var anchors = new List<int[]>();
        foreach (var t in Tables)
        {
            var columns = new List<(int Key, string Sql)> { (0, Valid($"cleaned_{t.EmailColumn}", PipelineProject.EmailRegexp, PipelineProject.InvalidEmails)) };
            if (t.PhoneColumn is { } p) columns.Add((1, Valid($"standardized_{p}", PipelineProject.PhoneRegexp, PipelineProject.InvalidPhones)));
            if (t.CookieColumn is { } c) columns.Add((2, Valid(c, PipelineProject.CookieRegexp, [])));
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => c.Sql))} FROM stg.{t.Name} ORDER BY rowid";
            using var reader = command.ExecuteReader();
            var rows = new List<int>();
            while (reader.Read())
            {
                var first = -1;
                for (var i = 0; i < columns.Count; i++)
                {
                    if (reader.IsDBNull(i)) continue;
                    var node = Node(columns[i].Key, reader.GetString(i));
                    if (first < 0) first = node; else Union(first, node);
                }
                rows.Add(first);
            }
            anchors.Add([.. rows]);
        }
        step("unification: read keys, union-find");

        var ids = new string?[nodes.Count];
        string IdOf(int leader) => ids[leader] ??= IdValue(keyNames[nodes[leader].Key], nodes[leader].Value);
        exec("CREATE TABLE unif.person_id_lookup (id VARCHAR NOT NULL, key_value VARCHAR NOT NULL, key_type VARCHAR NOT NULL)");
        exec("CREATE TABLE unif.person_id_graph (follower_id VARCHAR NOT NULL, follower_ns VARCHAR NOT NULL, leader_id VARCHAR NOT NULL, leader_ns VARCHAR NOT NULL)");
        var clusters = 0;
        using (var lookup = connection.CreateAppender("unif", "person_id_lookup"))
        using (var graph = connection.CreateAppender("unif", "person_id_graph"))
            for (var n = 0; n < nodes.Count; n++)
            {
                var leader = Find(n);
                if (leader == n) clusters++;
                var (key, value) = nodes[n];
                lookup.CreateRow().AppendValue(IdOf(leader)).AppendValue(value).AppendValue(keyNames[key]).EndRow();
                graph.CreateRow().AppendValue(value).AppendValue(keyNames[key]).AppendValue(nodes[leader].Value).AppendValue(keyNames[nodes[leader].Key]).EndRow();
            }
        step("unification: lookup and graph (appender)");

        long enriched = 0, withId = 0;
        for (var i = 0; i < Tables.Length; i++)
        {
            var t = Tables[i];
            exec($"CREATE TEMP TABLE ids_{i} (rid BIGINT NOT NULL, person_id VARCHAR NOT NULL)");
            using (var appender = connection.CreateAppender($"ids_{i}"))
                for (var r = 0; r < anchors[i].Length; r++)
                    if (anchors[i][r] >= 0)
                    {
                        appender.CreateRow().AppendValue((long)r).AppendValue(IdOf(Find(anchors[i][r]))).EndRow();
                        withId++;
                    }
            exec($"CREATE TABLE unif.enriched_{t.Name} AS SELECT t.*, i.person_id FROM stg.{t.Name} t LEFT JOIN ids_{i} i ON i.rid = t.rowid ORDER BY t.rowid");
            enriched += anchors[i].Length;
        }
        step("unification: enriched (appender, join)");
        return (nodes.Count, clusters, withId, enriched);
    }

    /// <summary>The Local engine's id shape: 12 URL-safe base64 characters of a SHA-256 of the leader key value.</summary>
    static string IdValue(string key, string value)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"people\0person_id\0{key}\0{value}"));
        return Convert.ToBase64String(hash, 0, 9).Replace('+', '-').Replace('/', '_');
    }
}
