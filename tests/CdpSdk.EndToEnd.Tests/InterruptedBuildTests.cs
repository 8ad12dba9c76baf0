using System.Diagnostics;

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

        var (process, output) = DotNet.Start(interrupted, null, "build", Path.Combine(interrupted, "retail.cdpproj"), "-t:CdpPipeline", "-nodeReuse:false", "-nologo", "-v:n");
        using (process)
        {
            var killed = KillWhenFinished(process, output, KillAfterTask, TimeSpan.FromMinutes(5));
            lock (output) Assert.That(killed, Is.True, "the build ended before the task to kill after finished:\n" + output);
        }
        Assert.That(AttemptState(interrupted, "web_ingest_inc"), Is.Not.EqualTo("success"), "the kill must land before the Ingestion phase finished");

        var resumed = DotNet.Build(interrupted, Path.Combine(interrupted, "retail.cdpproj"), "-t:CdpPipeline");
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        // Where exactly the kill lands depends on the machine; some finished tasks must have been carried over.
        Assert.That(CarriedTasks(interrupted), Is.Not.Empty, "the resumed attempt skips what the killed one finished");

        var uninterrupted = DotNet.Build(reference, Path.Combine(reference, "retail.cdpproj"), "-t:CdpPipeline");
        Assert.That(uninterrupted.ExitCode, Is.Zero, uninterrupted.ToString());

        var expected = Warehouse(reference);
        var actual = Warehouse(interrupted);
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

    /// <summary>
    /// Watches the build's log and kills the whole build tree once the task has finished: the runner logs a
    /// task's last line after its transaction (effect and finished mark) committed. The build holds the
    /// warehouse file's lock while it runs, so the log, not the file, is what can be watched.
    /// </summary>
    static bool KillWhenFinished(Process build, System.Text.StringBuilder output, string task, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && !build.HasExited)
        {
            bool finished;
            lock (output) finished = output.ToString().Contains(task + ": ", StringComparison.Ordinal);
            if (finished)
            {
                build.Kill(entireProcessTree: true);
                build.WaitForExit();
                return true;
            }
            Thread.Sleep(2);
        }
        return false;
    }

    static string? AttemptState(string workspace, string workflow) => LocalWarehouse.Query(LocalWarehouse.File(workspace, "retail"),
        $"SELECT a.state FROM _cdp_system.attempts a JOIN _cdp_system.sessions s ON s.id = a.session_id WHERE s.workflow = '{workflow}' ORDER BY a.id DESC LIMIT 1").FirstOrDefault()?[0] as string;

    static List<string> CarriedTasks(string workspace) => LocalWarehouse.Query(LocalWarehouse.File(workspace, "retail"),
        "SELECT full_name FROM _cdp_system.tasks WHERE log LIKE '(finished in attempt %'").Select(r => (string)r[0]!).ToList();

    /// <summary>
    /// Every table of every database (schema), rows as text in a stable order. The time column holds the session
    /// time, which is the build's own clock, so it is left out; everything else must match.
    /// </summary>
    static Dictionary<string, List<string>> Warehouse(string workspace)
    {
        var file = LocalWarehouse.File(workspace, "retail");
        var tables = new Dictionary<string, List<string>>();
        foreach (var row in LocalWarehouse.Query(file, "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('_cdp_system', 'main') AND table_type = 'BASE TABLE'"))
        {
            var (db, table) = ((string)row[0]!, (string)row[1]!);
            var columns = LocalWarehouse.Query(file, $"SELECT column_name FROM information_schema.columns WHERE table_schema = '{db}' AND table_name = '{table}' ORDER BY ordinal_position")
                .Select(r => (string)r[0]!).Where(c => c != "time").ToList();
            var select = string.Join(", ", columns.Select(c => $"\"{c}\""));
            tables[$"{db}.{table}"] = LocalWarehouse.Query(file, $"SELECT {select} FROM \"{db}\".\"{table}\"")
                .Select(r => string.Join(" | ", r.Select(v => v is null ? "NULL" : $"{v.GetType().Name}:{v}"))).Order(StringComparer.Ordinal).ToList();
        }
        return tables;
    }
}
