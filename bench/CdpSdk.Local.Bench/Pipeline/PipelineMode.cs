using System.Diagnostics;
using System.Globalization;

namespace CdpSdk.Local.Bench.Pipeline;

/// <summary>
/// The pipeline benchmark (issue 13 item 8):
///   dotnet run -c Release --project bench/CdpSdk.Local.Bench -- pipeline [rows] [runs] [--timeout-minutes=N] [--keep] [--same-storage-floor]
/// Generates the three-source dataset, packs the SDK from this repository into a feed of its own, and runs, in
/// turn, (a) <c>dotnet build -t:CdpPipeline</c> of the benchmark project from a clean project folder (no
/// warehouse, no obj/) and (b) the hand-written DuckDB floor (<see cref="DuckDbFloor"/>) in a child process.
/// The two alternate (b a, a b, b a …) so machine load falls on both alike. It drives only dotnet build, so it
/// measures whatever engine the packed SDK's Local target has. With --same-storage-floor each round also runs
/// (c), the floor storing text as the pipeline's default storage does (no FSST, no dictionary forms), so the
/// ratio can be read both against DuckDB's defaults and against the same storage choice.
/// </summary>
internal static class PipelineMode
{
    const string SdkVersion = "1.0.0";

    public static int Run(string[] args)
    {
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var rows = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 1_500_000;
        var runs = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 3;
        var timeout = args.FirstOrDefault(a => a.StartsWith("--timeout-minutes=", StringComparison.Ordinal)) is { } t
            ? TimeSpan.FromMinutes(double.Parse(t[18..], CultureInfo.InvariantCulture)) : TimeSpan.FromMinutes(60);
        var keep = args.Contains("--keep");
        var sameStorage = args.Contains("--same-storage-floor");

        var repo = RepoRoot();
        var work = Path.Combine(Path.GetTempPath(), "cdp-pipeline-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var project = Path.Combine(work, "project");
        var data = Path.Combine(project, "data");
        try
        {
            Console.WriteLine($"pipeline benchmark: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {Git(repo, "rev-parse", "--short", "HEAD")}, " +
                $"{Environment.ProcessorCount} cores, load {LoadAverage()}, work folder {work}");
            var watch = Stopwatch.StartNew();
            var (bytes, total) = new PipelineData(rows, seed: 13).Write(data);
            Console.WriteLine($"data: {total:N0} rows, {bytes / 1e6:0} MB of CSV over 5 files, {watch.Elapsed.TotalSeconds:0.0} s");

            var feed = Path.Combine(work, "feed");
            var pack = ProcessTree.Measure("dotnet", repo, ["pack", Path.Combine(repo, "sdk", "CdpSdk", "CdpSdk.csproj"), "-c", "Release", "-o", feed,
                $"-p:Version={SdkVersion}", "-nodeReuse:false", "-nologo"], CleanEnvironment);
            if (pack.ExitCode != 0) return Fail("packing the SDK", pack.Output);
            PipelineProject.Write(project, feed, Path.Combine(work, "packages"), SdkVersion);
            // Resolving the SDK (its restore into the packages folder) once, outside the measured builds.
            var warm = ProcessTree.Measure("dotnet", project, ["msbuild", PipelineProject.FileName, "-getProperty:CdpClient", "-nodeReuse:false", "-nologo"], CleanEnvironment);
            if (warm.ExitCode != 0) return Fail("resolving the packed SDK", warm.Output);

            var pipeline = new List<ProcessTree.Run>();
            var floor = new List<ProcessTree.Run>();
            var floorSameStorage = new List<ProcessTree.Run>();
            var logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;
            for (var i = 0; i < runs; i++)
            {
                var order = (i % 2 == 0 ? "ba" : "ab") + (sameStorage ? "c" : "");
                foreach (var which in order)
                {
                    if (which == 'a')
                    {
                        CleanProject(project);
                        var a = Build(project, timeout);
                        File.WriteAllText(Path.Combine(logs, $"pipeline{i}.log"), a.Output);
                        if (a.ExitCode != 0) return Fail($"dotnet build -t:CdpPipeline (run {i + 1}; log {logs}/pipeline{i}.log)", a.Output);
                        pipeline.Add(a);
                        // The build's own count of rows given an id, to compare with the floor's (a message, so absent is not an error).
                        var ids = a.Output.Split('\n').FirstOrDefault(l => l.Contains(" rows an id", StringComparison.Ordinal))?.Trim() ?? "";
                        Console.WriteLine($"(a) run {i + 1}: {a.Seconds:0.0} s, peak {Mb(a.PeakBytes)} MB (process tree), {ids}, load {LoadAverage()}");
                    }
                    else
                    {
                        // (c) disables what the pipeline's Fast storage disables (WarehouseInstances).
                        string[] floorArgs = ["pipeline-floor", data, Path.Combine(work, "floor"), .. which == 'c' ? ["dictionary,dict_fsst,fsst"] : Array.Empty<string>()];
                        var b = ProcessTree.Measure(Environment.ProcessPath!, work, floorArgs);
                        if (b.ExitCode != 0) return Fail($"the DuckDB floor (run {i + 1})", b.Output);
                        var last = b.Output.TrimEnd().Split('\n')[^1].Split(' ');
                        var own = long.Parse(last[1], CultureInfo.InvariantCulture);
                        (which == 'b' ? floor : floorSameStorage).Add(b with { PeakBytes = own });
                        Console.WriteLine($"({which}) run {i + 1}: {b.Seconds:0.0} s ({double.Parse(last[0], CultureInfo.InvariantCulture):0.0} s inside), " +
                            $"peak {Mb(own)} MB (own working set), {b.Output.Split('\n')[0].Trim()}, load {LoadAverage()}");
                    }
                }
            }
            Report(total, pipeline, floor, floorSameStorage);
            return 0;
        }
        finally
        {
            if (keep) Console.WriteLine($"kept {work}");
            else try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>(a): the user's command. A run past the timeout is stopped and reported as not finished.</summary>
    static ProcessTree.Run Build(string project, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var run = ProcessTree.Measure("dotnet", project, ["build", PipelineProject.FileName, "-t:CdpPipeline", "-nodeReuse:false", "-nologo", "-tl:off"], CleanEnvironment, cancel.Token);
        return cancel.IsCancellationRequested ? run with { ExitCode = -1, Output = run.Output + $"\nstopped after {timeout.TotalMinutes} minutes" } : run;
    }

    static void Report(long rows, List<ProcessTree.Run> pipeline, List<ProcessTree.Run> floor, List<ProcessTree.Run> floorSameStorage)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
        string Runs(List<ProcessTree.Run> r) => string.Join(", ", r.Select(x => x.Seconds.ToString("0.0", CultureInfo.InvariantCulture)));
        Console.WriteLine();
        Console.WriteLine("| measurement | median seconds | rows/s | peak memory MB (median) | runs (s) |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        if (pipeline.Count > 0)
            Console.WriteLine($"| (a) `dotnet build -t:CdpPipeline`, clean warehouse (process tree) | {Median(pipeline.Select(r => r.Seconds)):0.0} | " +
                $"{rows / Median(pipeline.Select(r => r.Seconds)):N0} | {Mb((long)Median(pipeline.Select(r => (double)r.PeakBytes)))} | {Runs(pipeline)} |");
        if (floor.Count > 0)
            Console.WriteLine($"| (b) hand-written DuckDB program, same steps (own working set) | {Median(floor.Select(r => r.Seconds)):0.0} | " +
                $"{rows / Median(floor.Select(r => r.Seconds)):N0} | {Mb((long)Median(floor.Select(r => (double)r.PeakBytes)))} | {Runs(floor)} |");
        if (floorSameStorage.Count > 0)
            Console.WriteLine($"| (c) the same program, text stored as the pipeline stores it | {Median(floorSameStorage.Select(r => r.Seconds)):0.0} | " +
                $"{rows / Median(floorSameStorage.Select(r => r.Seconds)):N0} | {Mb((long)Median(floorSameStorage.Select(r => (double)r.PeakBytes)))} | {Runs(floorSameStorage)} |");
        if (pipeline.Count == 0) return;
        Console.WriteLine();
        foreach (var (name, runs) in new[] { ("b", floor), ("c", floorSameStorage) }.Where(f => f.Item2.Count > 0))
            Console.WriteLine($"ratio (a)/({name}) of the medians: {Median(pipeline.Select(r => r.Seconds)) / Median(runs.Select(r => r.Seconds)):0.00}× " +
                $"(per run pair: {string.Join(", ", pipeline.Zip(runs).Select(p => (p.First.Seconds / p.Second.Seconds).ToString("0.00", CultureInfo.InvariantCulture)))})");
    }

    /// <summary>Everything the previous build left (warehouse, obj/, bin/, reports) goes; the data and project files stay.</summary>
    static void CleanProject(string project)
    {
        string[] kept = ["data", "global.json", "NuGet.config", "Directory.Build.props", PipelineProject.FileName];
        foreach (var entry in Directory.EnumerateFileSystemEntries(project))
        {
            if (kept.Contains(Path.GetFileName(entry))) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true); else File.Delete(entry);
        }
    }

    /// <summary>The environment a user's shell gives dotnet: none of this process's MSBuild variables (dotnet run sets some).</summary>
    static Dictionary<string, string?> CleanEnvironment =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null)
            .Concat(new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["TD_API_KEY"] = null })
            .ToDictionary();

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CdpSdk.sln"))) return dir.FullName;
        throw new InvalidOperationException("CdpSdk.sln not found above " + AppContext.BaseDirectory);
    }

    static string Git(string repo, params string[] args)
    {
        var run = ProcessTree.Measure("git", repo, args);
        return run.Output.Trim();
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static string Mb(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

    static int Fail(string what, string output)
    {
        var lines = output.TrimEnd().Split('\n');
        Console.Error.WriteLine($"{what} failed:\n{string.Join('\n', lines.TakeLast(40))}");
        return 1;
    }
}
