using System.Diagnostics;
using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Local.Unification;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Bench;

/// <summary>The measured steps, each run in a child process that prints "seconds peakBytes".</summary>
internal static class Modes
{
    public static bool TryRun(string[] args)
    {
        Func<double>? step = args[0] switch
        {
            "ingest" => () => Workflow(args[2], "ingest", BenchData.IngestWorkflow, ("config/people_load.yml", BenchData.LoadConfig(args[1]))),
            "unify" => () => Workflow(args[1], "unify", BenchData.UnifyWorkflow, ("unify.yml", BenchData.UnifyYml)),
            "core" => () => Core(args[1]),
            "tdloop" => () => TdLoop(args[1]),
            "unionfind" => () => BareUnionFind(args[1], timeInterning: true),
            "unionfind-int" => () => BareUnionFind(args[1], timeInterning: false),
            "sqllabel" => () => SqlLabelPropagation(args[1]),
            "pipeline-floor" => () => Pipeline.DuckDbFloor.Run(args[1], args[2], args.Length > 3 ? args[3] : null),
            "histunion" => () => HistUnionMode.Run(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture)),
            _ => null,
        };
        if (step is null) return false;
        var seconds = step();
        Console.WriteLine($"{seconds.ToString("0.0000", CultureInfo.InvariantCulture)} {Process.GetCurrentProcess().PeakWorkingSet64}");
        return true;
    }

    /// <summary>Deploys a one-workflow project to a Local warehouse and times the run (the workflow only).</summary>
    static double Workflow(string warehouse, string name, string dig, params (string Path, string Text)[] files)
    {
        var project = Path.Combine(warehouse, "project-" + name);
        Directory.CreateDirectory(Path.Combine(project, "config"));
        File.WriteAllText(Path.Combine(project, name + ".dig"), dig);
        foreach (var (path, text) in files) File.WriteAllText(Path.Combine(project, path), text);
        var log = new MemoryLog();
        using var backend = new LocalBackend(warehouse, warehouse, log);
        var revision = backend.DeployAsync(name, project, CancellationToken.None).Result;
        var watch = Stopwatch.StartNew();
        var session = backend.StartAsync(revision, name, DateTimeOffset.UtcNow, CancellationToken.None).Result;
        watch.Stop();
        var status = backend.GetStatusAsync(session, CancellationToken.None).Result;
        if (status.State != RunState.Success) throw new InvalidOperationException(string.Join("\n", status.Tasks.Select(t => $"{t.FullName} {t.State} {t.Error}")));
        return watch.Elapsed.TotalSeconds;
    }

    static List<string?[]> Keys(string warehouse)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(warehouse, "bench.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT email, CAST(phone AS TEXT), cookie FROM people ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read()) rows.Add([reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)]);
        return rows;
    }

    /// <summary>The engine's clustering over rows already in memory: key-value interning, union-find, leaders.</summary>
    static double Core(string warehouse)
    {
        var rows = Keys(warehouse);
        var watch = Stopwatch.StartNew();
        var graph = Graph(rows);
        var leaders = graph.Leaders(Enumerable.Range(0, graph.Nodes.Count).ToArray());
        watch.Stop();
        Console.WriteLine($"{graph.Nodes.Count} key values, {leaders.Distinct().Count()} ids");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The key graph of the rows (email, phone, cookie per row): values interned here, as the engine's SQL finds them distinct.</summary>
    static IdGraph Graph(List<string?[]> rows)
    {
        string[] keyNames = ["email", "phone", "cookie"];
        var graph = new IdGraph(null);
        var index = keyNames.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var nodes = new int[3];
        foreach (var row in rows)
        {
            var n = 0;
            for (var k = 0; k < 3; k++)
                if (row[k] is { } v)
                {
                    ref var node = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(index[k], v, out var exists);
                    if (!exists) node = graph.Add(keyNames[k], v);
                    nodes[n++] = node;
                }
            graph.AddRecord(nodes.AsSpan(0, n));
        }
        return graph;
    }

    /// <summary>The CDP5200 check alone: TD's graph loop simulated to convergence on the clustered graph (TdGraphLoop).</summary>
    static double TdLoop(string warehouse)
    {
        var graph = Graph(Keys(warehouse));
        var rank = Enumerable.Range(0, graph.Nodes.Count).ToArray();
        var watch = Stopwatch.StartNew();
        var loops = graph.IterationsNeeded(rank, []);
        watch.Stop();
        Console.WriteLine($"{graph.Nodes.Count} key values, {loops} loops");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The baseline: a bare union-find over the records' key values. With <paramref name="timeInterning"/>, mapping
    /// the key values to ints (a dictionary per key, as any in-memory union-find over these edges needs) is timed
    /// too; without it, only union and find over ready int edges.
    /// </summary>
    static double BareUnionFind(string warehouse, bool timeInterning)
    {
        var rows = Keys(warehouse);
        var watch = Stopwatch.StartNew();
        var ids = new[] { new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>() };
        var count = 0;
        var edges = new List<(int, int)>(rows.Count * 2);
        foreach (var row in rows)
        {
            var first = -1;
            for (var k = 0; k < 3; k++)
            {
                if (row[k] is not { } v) continue;
                if (!ids[k].TryGetValue(v, out var id)) ids[k][v] = id = count++;
                if (first < 0) first = id; else edges.Add((first, id));
            }
        }
        if (!timeInterning) watch.Restart();
        var parent = new int[count];
        for (var i = 0; i < parent.Length; i++) parent[i] = i;
        int Find(int x)
        {
            while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
            return x;
        }
        foreach (var (a, b) in edges)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
        var roots = 0;
        for (var i = 0; i < parent.Length; i++) if (Find(i) == i) roots++;
        watch.Stop();
        Console.WriteLine($"{parent.Length} key values, {roots} ids");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The SQL way TD's loops work: every key value takes the smallest label among its neighbours until nothing changes.</summary>
    static double SqlLabelPropagation(string warehouse)
    {
        var file = Path.Combine(warehouse, "labels.db");
        File.Delete(file);
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        void Exec(string sql) { using var c = connection.CreateCommand(); c.CommandText = sql; c.CommandTimeout = 0; c.ExecuteNonQuery(); }
        Exec($"ATTACH DATABASE '{Path.Combine(warehouse, "bench.db")}' AS src");
        var watch = Stopwatch.StartNew();
        Exec("""
            CREATE TABLE nodes (n INTEGER PRIMARY KEY, key TEXT, value TEXT, label INTEGER, UNIQUE (key, value));
            INSERT OR IGNORE INTO nodes (key, value) SELECT 'email', email FROM src.people WHERE email IS NOT NULL;
            INSERT OR IGNORE INTO nodes (key, value) SELECT 'phone', CAST(phone AS TEXT) FROM src.people WHERE phone IS NOT NULL;
            INSERT OR IGNORE INTO nodes (key, value) SELECT 'cookie', cookie FROM src.people WHERE cookie IS NOT NULL;
            UPDATE nodes SET label = n;
            CREATE TABLE keyed AS SELECT e.n AS e, p.n AS p, c.n AS c FROM src.people r
              LEFT JOIN nodes e ON e.key = 'email' AND e.value = r.email
              LEFT JOIN nodes p ON p.key = 'phone' AND p.value = CAST(r.phone AS TEXT)
              LEFT JOIN nodes c ON c.key = 'cookie' AND c.value = r.cookie;
            CREATE TABLE edges (a INTEGER, b INTEGER);
            INSERT INTO edges SELECT e, p FROM keyed WHERE e IS NOT NULL AND p IS NOT NULL;
            INSERT INTO edges SELECT e, c FROM keyed WHERE e IS NOT NULL AND c IS NOT NULL;
            INSERT INTO edges SELECT p, c FROM keyed WHERE p IS NOT NULL AND c IS NOT NULL;
            INSERT INTO edges SELECT b, a FROM edges;
            CREATE INDEX edges_a ON edges (a);
            """);
        var loops = 0;
        while (loops++ < 49)
        {
            Exec("DROP TABLE IF EXISTS best; CREATE TABLE best AS SELECT e.a AS n, min(l.label) AS label FROM edges e JOIN nodes l ON l.n = e.b GROUP BY e.a; CREATE INDEX best_n ON best (n);");
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE nodes SET label = (SELECT b.label FROM best b WHERE b.n = nodes.n) WHERE label > (SELECT b.label FROM best b WHERE b.n = nodes.n)";
            update.CommandTimeout = 0;
            if (update.ExecuteNonQuery() == 0) break;
        }
        watch.Stop();
        Console.WriteLine($"{loops} loops");
        return watch.Elapsed.TotalSeconds;
    }
}
