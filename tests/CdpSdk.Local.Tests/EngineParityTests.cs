using System.Globalization;
using System.Text;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The tables, rows and clusters the Local engine gives for the retail sample and TD's five unification
/// samples, compared with golden files (EngineParity/*.txt) first written by the SQLite engine, so that a new
/// engine (DuckDB, running the Presto rendering) is shown to give the same answers. Values are compared as
/// text, not by engine type (SQLite types values, DuckDB columns): numbers by value, booleans as 1/0.
/// A golden file is rewritten with CDP_UPDATE_PARITY=1; a change to one needs a commit saying why.
/// </summary>
public sealed class EngineParityTests
{
    /// <summary>Columns whose values are the wall clock of the run, not its data.</summary>
    static readonly HashSet<string> WallClockColumns = new(StringComparer.OrdinalIgnoreCase) { "loaded_at", "started_at", "finished_at", "created_at", "updated_at", "run_at" };

    [TestCase("retail")]
    [TestCase("td-unification/ex1")]
    [TestCase("td-unification/ex2")]
    [TestCase("td-unification/ex3")]
    [TestCase("td-unification/ex4")]
    [TestCase("td-unification/ex5")]
    public async Task TheEngineGivesTheTablesRowsAndClustersOfTheGoldenFile(string sampleName)
    {
        using var sample = new RetailSample(sampleName);
        var spec = sample.Spec();
        using var backend = sample.Backend(spec);
        await sample.RunAll(spec, backend);
        if (sampleName.EndsWith("ex5", StringComparison.Ordinal))
        {
            // TD's incremental second day, as TdUnificationSampleTests runs it.
            foreach (var site in new[] { "aaa", "xxx", "yyy", "zzz" })
                File.AppendAllLines(Path.Combine(sample.Root, "data", site + ".csv"), File.ReadAllLines(Path.Combine(sample.Root, "data", "insert", site + ".csv")).Skip(1));
            foreach (var phase in PhaseOrder.All) await sample.RunPhase(spec, phase, backend, RetailSample.SessionTime.AddDays(1));
        }

        var actual = await Snapshot(spec, backend);
        var golden = Path.Combine(RetailSample.RepositoryRoot, "tests", "CdpSdk.Local.Tests", "EngineParity", sampleName.Replace('/', '_') + ".txt");
        if (Environment.GetEnvironmentVariable("CDP_UPDATE_PARITY") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, actual);
        }
        Assert.That(File.Exists(golden), Is.True, $"{golden} is missing: run with CDP_UPDATE_PARITY=1 to write it");
        var expected = File.ReadAllText(golden).ReplaceLineEndings("\n");
        if (actual != expected) Assert.Fail(FirstDifferences(expected, actual));
    }

    /// <summary>Every table of the spec's databases: columns, row count, the rows sorted, and each id's clusters.</summary>
    static async Task<string> Snapshot(PipelineSpec spec, IWorkflowBackend backend)
    {
        var text = new StringBuilder();
        foreach (var database in Databases(spec))
        {
            foreach (var table in (await backend.ListTablesAsync(database, CancellationToken.None)).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var result = await backend.QueryAsync(database, $"SELECT * FROM \"{table.Name}\"", CancellationToken.None);
                var kept = Enumerable.Range(0, result.Columns.Count).Where(i => !WallClockColumns.Contains(result.Columns[i])).ToList();
                text.Append("## ").Append(database).Append('.').Append(table.Name).Append(" (").Append(result.Rows.Count).Append(" rows)\n");
                text.Append("columns: ").Append(string.Join(", ", kept.Select(i => result.Columns[i]))).Append('\n');
                foreach (var line in result.Rows.Select(r => string.Join(" | ", kept.Select(i => Canonical(r[i])))).Order(StringComparer.Ordinal))
                    text.Append(line).Append('\n');
                if (table.Name.EndsWith("_lookup", StringComparison.Ordinal)) AppendClusters(text, result);
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The partition of key values an id table makes, independent of the id strings themselves.</summary>
    static void AppendClusters(StringBuilder text, QueryResult lookup)
    {
        int id = lookup.Columns.ToList().IndexOf("id"), type = lookup.Columns.ToList().IndexOf("key_type"), value = lookup.Columns.ToList().IndexOf("key_value");
        if (id < 0 || value < 0) return;
        var clusters = lookup.Rows.GroupBy(r => Canonical(r[id]))
            .Select(g => string.Join(", ", g.Select(r => (type >= 0 ? Canonical(r[type]) + ":" : "") + Canonical(r[value])).Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();
        text.Append("clusters: ").Append(clusters.Count).Append('\n');
        foreach (var cluster in clusters) text.Append("  { ").Append(cluster).Append(" }\n");
    }

    static IEnumerable<string> Databases(PipelineSpec spec) =>
        new[] { spec.Settings.SourceDatabase, spec.Settings.StagingDatabase }
            .Concat(spec.Sources.Select(s => s.Database))
            .Concat(spec.HistUnion.Select(h => h.Database))
            .Concat(spec.Staging.SelectMany(s => new[] { s.InputDatabase, s.Database }))
            .Concat(spec.Unifications.SelectMany(u => u.Tables.Select(t => t.Database).Append(u.Database)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    static string Canonical(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "1" : "0",
        string s => s.Replace("\n", "\\n"),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        decimal m => ((double)m).ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static string FirstDifferences(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var missing = e.Except(a).Take(15).Select(l => "- " + l);
        var unexpected = a.Except(e).Take(15).Select(l => "+ " + l);
        return "The engine's tables differ from the golden file (- golden, + now):\n" + string.Join("\n", missing.Concat(unexpected));
    }
}
