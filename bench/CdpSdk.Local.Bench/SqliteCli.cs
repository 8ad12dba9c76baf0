using System.Diagnostics;

namespace CdpSdk.Local.Bench;

/// <summary>The sqlite3 command-line shell's own CSV import, the reference for ingestion speed (Debian package sqlite3).</summary>
internal static class SqliteCli
{
    public static Result Import(string csv, string db)
    {
        // /usr/bin/time reports the shell's peak memory (max RSS) when it is installed.
        var time = File.Exists("/usr/bin/time");
        var start = new ProcessStartInfo(time ? "/usr/bin/time" : "sqlite3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (time) { start.ArgumentList.Add("-f"); start.ArgumentList.Add("maxrss=%M"); start.ArgumentList.Add("sqlite3"); }
        foreach (var a in new[] { db, ".mode csv", $".import '{csv}' people" }) start.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("sqlite3 is not installed; on Debian/Ubuntu: apt-get install -y sqlite3");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            watch.Stop();
            if (process.ExitCode != 0) throw new InvalidOperationException("sqlite3 .import failed: " + error);
            var rss = error.Split('\n').FirstOrDefault(l => l.StartsWith("maxrss=", StringComparison.Ordinal));
            return new Result("sqlite3", watch.Elapsed.TotalSeconds, rss is null ? 0 : long.Parse(rss[7..].Trim()) * 1024);
        }
    }
}
