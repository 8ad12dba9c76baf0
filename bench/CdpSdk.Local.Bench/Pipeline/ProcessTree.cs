using System.Diagnostics;
using System.Globalization;
using CdpSdk.Tests.Shared;

namespace CdpSdk.Local.Bench.Pipeline;

/// <summary>
/// Runs a command and samples, every 50 ms, the resident memory of it and every process below it (dotnet build
/// starts MSBuild nodes and the SDK's engine runs inside them), from /proc. The peak is the largest sum seen,
/// so a short spike between two samples can be missed; /usr/bin/time would report one process only.
/// </summary>
internal static class ProcessTree
{
    public sealed record Run(int ExitCode, double Seconds, long PeakBytes, string Output);

    public static Run Measure(string fileName, string workingDirectory, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        var (process, output) = CollectedProcess.Start(fileName, workingDirectory, args, variables =>
        {
            foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
                if (v is null) variables.Remove(k); else variables[k] = v;
        });
        using var owned = process;
        long peak = 0;
        while (!process.WaitForExit(50))
        {
            peak = Math.Max(peak, TreeRss(process.Id));
            if (cancel.IsCancellationRequested) process.Kill(entireProcessTree: true);
        }
        watch.Stop();
        process.WaitForExit();
        lock (output) return new Run(process.ExitCode, watch.Elapsed.TotalSeconds, peak, output.ToString());
    }

    /// <summary>The summed resident set of <paramref name="root"/> and its descendants, in bytes.</summary>
    static long TreeRss(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var parent = ParentOf(dir);
            if (parent <= 0) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        long total = 0;
        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            total += Rss(pid);
            if (children.TryGetValue(pid, out var list)) foreach (var c in list) pending.Push(c);
        }
        return total;
    }

    static int ParentOf(string dir)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return -1; }
        catch (UnauthorizedAccessException) { return -1; }
    }

    static long Rss(int pid)
    {
        try
        {
            // statm: size resident shared … in pages.
            var statm = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
            return long.Parse(statm[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
