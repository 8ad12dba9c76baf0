using System.Diagnostics;
using System.Globalization;
using CdpSdk.Local.Bench;

// The Local engine's benchmarks (on demand; not part of dotnet test):
//   dotnet run -c Release --project bench/CdpSdk.Local.Bench -- [rows] [runs]
// Each measurement runs in its own child process (this program with a mode argument), so every peak
// memory figure is that step's alone. Prints a Markdown table of medians for docs/performance.md.
// The whole pipeline against a hand-written DuckDB floor: -- pipeline [rows] [runs] (see Pipeline/PipelineMode.cs).
if (args.Length > 0 && args[0] == "pipeline") return CdpSdk.Local.Bench.Pipeline.PipelineMode.Run(args[1..]);
if (args.Length > 0 && Modes.TryRun(args)) return 0;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var work = Path.Combine(Path.GetTempPath(), "cdp-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
try
{
    var csv = Path.Combine(work, "people.csv");
    var size = BenchData.WriteCsv(csv, rows);
    Console.WriteLine($"{rows:N0} rows, {size / 1e6:0.0} MB CSV, {runs} runs each, {Environment.ProcessorCount} cores");

    var results = new List<Result>();
    Measure(results, "CSV ingestion: Local td_load>", runs, i => Child("ingest", csv, Path.Combine(work, $"ingest{i}")));
    Measure(results, "CSV ingestion: sqlite3 .import", runs, i => SqliteCli.Import(csv, Path.Combine(work, $"cli{i}.db")));
    var warehouse = Path.Combine(work, "ingest0");
    Measure(results, "Unification: Local engine, full run (read, cluster, write lookup/graph/enriched/stats)", runs, _ => Child("unify", warehouse));
    Measure(results, "Unification: Local clustering core (IdGraph over the rows in memory)", runs, _ => Child("core", warehouse));
    Measure(results, "Unification: TD's loop simulated to convergence (the CDP5200 check, inside the full run)", runs, _ => Child("tdloop", warehouse));
    Measure(results, "Unification: bare in-memory union-find, key values interned (timed)", runs, _ => Child("unionfind", warehouse));
    Measure(results, "Unification: bare in-memory union-find over ready int edges", runs, _ => Child("unionfind-int", warehouse));
    Measure(results, "Unification: iterative SQL label propagation (SQLite)", 1, _ => Child("sqllabel", warehouse));
    // TD's NOT EXISTS form is quadratic on SQLite: its baseline runs on a sample, beside the Local form on the same sample.
    var sample = Math.Min(rows, 20_000);
    Measure(results, $"Hist-union: NOT EXISTS (TD's form) on SQLite, {sample:N0} rows", runs, _ => Child("histunion", warehouse, "presto", $"{sample}") with { Rows = sample });
    Measure(results, $"Hist-union: LEFT JOIN anti-join (Local's form), {sample:N0} rows", runs, _ => Child("histunion", warehouse, "sqlite", $"{sample}") with { Rows = sample });
    Measure(results, $"Hist-union: LEFT JOIN anti-join (Local's form), {rows:N0} rows", runs, _ => Child("histunion", warehouse, "sqlite", $"{rows}"));

    Console.WriteLine();
    Console.WriteLine("| measurement | median seconds | rows/s | peak memory MB |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (var r in results)
        Console.WriteLine($"| {r.Name} | {r.Seconds:0.000} | {(r.Rows ?? rows) / r.Seconds:N0} | {(r.PeakBytes > 0 ? (r.PeakBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : "n/a")} |");
    double S(string prefix) => results.First(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).Seconds;
    Console.WriteLine();
    Console.WriteLine($"Ingestion speed vs sqlite3 .import: {S("CSV ingestion: sqlite3") / S("CSV ingestion: Local"):0.00}× (target ≥ 0.5×)");
    Console.WriteLine($"Clustering core vs bare union-find with interning: {S("Unification: Local clustering") / S("Unification: bare in-memory union-find, key"):0.00}× the time (target ≤ 3×)");
    Console.WriteLine($"Clustering core vs union-find over ready int edges: {S("Unification: Local clustering") / S("Unification: bare in-memory union-find over"):0.00}× the time");
    Console.WriteLine($"Full unification vs bare union-find with interning: {S("Unification: Local engine") / S("Unification: bare in-memory union-find, key"):0.00}× the time");
    Console.WriteLine($"TD loop simulation vs clustering core: {S("Unification: TD's loop") / S("Unification: Local clustering"):0.00}× the time");
    Console.WriteLine($"SQL label propagation vs Local engine: {S("Unification: iterative SQL") / S("Unification: Local engine"):0.00}× the time");
    Console.WriteLine($"Hist-union on {sample:N0} rows, NOT EXISTS vs LEFT JOIN: {S("Hist-union: NOT EXISTS") / S($"Hist-union: LEFT JOIN anti-join (Local's form), {sample:N0}"):0.0}× the time");
    return 0;
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

static void Measure(List<Result> results, string name, int runs, Func<int, Result> run)
{
    var all = Enumerable.Range(0, runs).Select(i => run(i)).ToList();
    var median = all.OrderBy(r => r.Seconds).ElementAt(all.Count / 2);
    results.Add(median with { Name = name });
    Console.WriteLine($"{name}: {string.Join(", ", all.Select(r => r.Seconds.ToString("0.000", CultureInfo.InvariantCulture)))} s");
}

/// <summary>Runs this program in a mode; the child prints "seconds peakBytes" as its last line.</summary>
static Result Child(params string[] args)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in args) start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed:\n{output}");
    var last = output.TrimEnd().Split('\n')[^1].Split(' ');
    return new Result(args[0], double.Parse(last[0], CultureInfo.InvariantCulture), long.Parse(last[1], CultureInfo.InvariantCulture));
}
