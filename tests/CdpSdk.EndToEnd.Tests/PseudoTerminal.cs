using System.Text.RegularExpressions;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// Runs dotnet inside a pseudo-terminal (util-linux 'script'), where 'dotnet build' uses the terminal
/// logger as it does in a user's shell, and returns what the terminal showed with the ANSI codes removed.
/// </summary>
internal static partial class PseudoTerminal
{
    public static bool Available => File.Exists("/usr/bin/script") || File.Exists("/bin/script");

    public static CommandResult Dotnet(string workingDirectory, params string[] args)
    {
        var command = "dotnet " + string.Join(' ', args.Select(Quote));
        // COLUMNS keeps the live lines wide enough that the project lines are not cut.
        var (process, output) = DotNet.Start("script", workingDirectory, new Dictionary<string, string?> { ["COLUMNS"] = "200" }, "-qec", command, "/dev/null");
        using (process)
        {
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{command} did not finish in 10 minutes:\n{output}");
            }
            process.WaitForExit();
            lock (output) return new CommandResult(process.ExitCode, Plain(output.ToString()));
        }
    }

    /// <summary>The text a user reads: escape sequences (colours, cursor moves, OSC links and progress) removed, one line per line.</summary>
    public static string Plain(string terminal) =>
        Osc().Replace(Csi().Replace(terminal, ""), "").Replace("\r\n", "\n").Replace('\r', '\n');

    static string Quote(string a) => a.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or ';' or '&') ? "'" + a.Replace("'", "'\\''") + "'" : a;

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")] private static partial Regex Csi();
    [GeneratedRegex(@"\x1b\][^\x07\x1b]*(\x07|\x1b\\)")] private static partial Regex Osc();
}
