using System.Diagnostics;

namespace CdpSdk.Local.Tests;

/// <summary>
/// Debian's headless Chromium, installed on first use when missing (the CI image has apt and runs as root).
/// Each run gets a fresh profile and no network chatter, so it is deterministic and leaves nothing behind.
/// </summary>
internal static class Chromium
{
    const string Binary = "/usr/bin/chromium";
    static readonly object Gate = new();

    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (File.Exists(Binary)) return;
            var install = Run("apt-get", ["install", "-y", "chromium"], TimeSpan.FromMinutes(10));
            if (!File.Exists(Binary))
            {
                // A fresh image may have no package lists yet.
                Run("apt-get", ["update"], TimeSpan.FromMinutes(5));
                install = Run("apt-get", ["install", "-y", "chromium"], TimeSpan.FromMinutes(10));
            }
            Assert.That(File.Exists(Binary), Is.True, "could not install chromium:\n" + install);
        }
    }

    public static string Screenshot(string html, string png, int width, int height) =>
        Headless([$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(html).AbsoluteUri]);

    public static string DumpDom(string html) => Headless(["--dump-dom", new Uri(html).AbsoluteUri]);

    static string Headless(IEnumerable<string> args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "cdp-chromium-" + Guid.NewGuid().ToString("N"));
        try
        {
            return Run(Binary, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profile}", .. args], TimeSpan.FromMinutes(2));
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static string Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish in {timeout}");
        }
        return stdout.Result + (process.ExitCode == 0 ? "" : $"\n(exit {process.ExitCode}) {stderr.Result}");
    }
}
