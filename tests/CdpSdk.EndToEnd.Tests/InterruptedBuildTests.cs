using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// A 'dotnet build' killed in the middle of the Ingestion phase, then built again, leaves the same warehouse
/// as a build that was never interrupted: the resumed attempt skips the tasks that finished and repeats none
/// of their appends.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class InterruptedBuildTests
{
    // The incremental Shopify workflow appends rows (td_load> append, ingestion_log insert_into): the tasks
    // a resume must not repeat. The kill is sent once its first object is loaded and logged, and lands in
    // the orders load, which reads a long file of orders older than the source's StartDate first: slow to
    // read, but none of them is loaded, so the later phases stay as fast as the sample's.
    const string KillAfterTask = "+shopify_ingest_inc+load_customers+log";
    const int PaddingOrders = 300_000;

    [Test]
    public void AKilledBuildResumesAndEndsWithTheSameWarehouseAsAnUninterruptedOne()
    {
        var reference = PackedSdk.CopySample("retail");
        var interrupted = PackedSdk.CopySample("retail");
        PadOrders(reference);
        PadOrders(interrupted);

        var (process, output) = DotNet.Start(interrupted, null, "build", Path.Combine(interrupted, "retail.cdpproj"), "-t:CdpPipeline", "-nodeReuse:false", "-nologo");
        using (process)
        {
            var killed = KillWhenFinished(process, Path.Combine(interrupted, "warehouse", "_cdp_system.db"), KillAfterTask, TimeSpan.FromMinutes(5));
            lock (output) Assert.That(killed, Is.True, "the build ended before the task to kill after finished:\n" + output);
        }
        Assert.That(AttemptState(interrupted, "web_ingest_inc"), Is.Not.EqualTo("success"), "the kill must land before the Ingestion phase finished");

        var resumed = DotNet.Build(interrupted, Path.Combine(interrupted, "retail.cdpproj"), "-t:CdpPipeline");
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        // Where exactly the kill lands depends on the machine; some finished tasks must have been carried over.
        Assert.That(CarriedTasks(interrupted), Is.Not.Empty, "the resumed attempt skips what the killed one finished");

        var uninterrupted = DotNet.Build(reference, Path.Combine(reference, "retail.cdpproj"), "-t:CdpPipeline");
        Assert.That(uninterrupted.ExitCode, Is.Zero, uninterrupted.ToString());

        var expected = Warehouse(Path.Combine(reference, "warehouse"));
        var actual = Warehouse(Path.Combine(interrupted, "warehouse"));
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (table, rows) in expected)
            Assert.That(actual[table], Is.EqualTo(rows), table + " differs row for row");
    }

    /// <summary>Orders from before the StartDate ahead of the sample's own, so the incremental load takes long enough to be killed in.</summary>
    static void PadOrders(string workspace)
    {
        var file = Path.Combine(workspace, "data", "shopify", "orders.csv");
        var lines = File.ReadAllLines(file);
        using var writer = new StreamWriter(file);
        writer.WriteLine(lines[0]);
        for (var i = 0; i < PaddingOrders; i++)
            writer.WriteLine($"{900_000 + i},old{i}@example.org,{i % 500}.{i % 100:00},2023-06-01 10:00:00,2023-06-{1 + i % 28:00} 12:00:00");
        foreach (var line in lines.Skip(1)) writer.WriteLine(line);
    }

    /// <summary>Polls the system database and kills the whole build tree once the task has finished.</summary>
    static bool KillWhenFinished(Process build, string systemDb, string task, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && !build.HasExited)
        {
            if (File.Exists(systemDb) && TaskFinished(systemDb, task))
            {
                build.Kill(entireProcessTree: true);
                build.WaitForExit();
                return true;
            }
            Thread.Sleep(2);
        }
        return false;
    }

    static bool TaskFinished(string systemDb, string task)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={systemDb};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM tasks WHERE full_name = $n AND state = 'success'";
            command.Parameters.AddWithValue("$n", task);
            return (long)command.ExecuteScalar()! > 0;
        }
        catch (SqliteException)
        {
            return false; // locked by the writer, or its schema not created yet: look again
        }
    }

    static string? AttemptState(string workspace, string workflow) => Query(Path.Combine(workspace, "warehouse", "_cdp_system.db"),
        $"SELECT a.state FROM attempts a JOIN sessions s ON s.id = a.session_id WHERE s.workflow = '{workflow}' ORDER BY a.id DESC LIMIT 1").FirstOrDefault()?[0] as string;

    static List<string> CarriedTasks(string workspace) => Query(Path.Combine(workspace, "warehouse", "_cdp_system.db"),
        "SELECT full_name FROM tasks WHERE log LIKE '(finished in attempt %'").Select(r => (string)r[0]!).ToList();

    /// <summary>
    /// Every table of every database, rows as text in a stable order. The time column holds the session time,
    /// which is the build's own clock, so it is left out; everything else must match.
    /// </summary>
    static Dictionary<string, List<string>> Warehouse(string dir)
    {
        var tables = new Dictionary<string, List<string>>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.db").Where(f => !Path.GetFileName(f).StartsWith("_cdp", StringComparison.Ordinal)))
        {
            var db = Path.GetFileNameWithoutExtension(file);
            foreach (var table in Query(file, "SELECT name FROM sqlite_master WHERE type = 'table'").Select(r => (string)r[0]!))
            {
                var columns = Query(file, $"PRAGMA table_info(\"{table}\")").Select(r => (string)r[1]!).Where(c => c != "time").ToList();
                var select = string.Join(", ", columns.Select(c => $"\"{c}\""));
                tables[$"{db}.{table}"] = Query(file, $"SELECT {select} FROM \"{table}\"")
                    .Select(r => string.Join(" | ", r.Select(v => v is null ? "NULL" : $"{v.GetType().Name}:{v}"))).Order(StringComparer.Ordinal).ToList();
            }
        }
        return tables;
    }

    static List<object?[]> Query(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
