using System.Diagnostics;
using System.Text;
using CdpSdk.Tests.Shared;

namespace CdpSdk.EndToEnd.Tests;

public sealed record CommandResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>Runs the real dotnet CLI, as a user would, with a clean MSBuild environment.</summary>
internal static class DotNet
{
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        Run(workingDirectory, environment, null, args);

    /// <summary>Runs dotnet; when <paramref name="interruptWhen"/> becomes true the process gets SIGINT, as Ctrl+C would send.</summary>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, Func<bool>? interruptWhen, params string[] args)
    {
        var (process, output) = Start(workingDirectory, environment, args);
        using (process)
        {
            if (interruptWhen is not null)
            {
                var deadline = DateTime.UtcNow.AddMinutes(5);
                while (!process.HasExited && !interruptWhen() && DateTime.UtcNow < deadline) Thread.Sleep(100);
                if (!process.HasExited) Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            }
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in 10 minutes:\n{output}");
            }
            process.WaitForExit();
            lock (output) return new CommandResult(process.ExitCode, output.ToString());
        }
    }

    /// <summary>Starts dotnet without waiting, for a test that kills it midway; the output collects as it runs.</summary>
    public static (Process Process, StringBuilder Output) Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        Start("dotnet", workingDirectory, environment, args);

    /// <summary>Starts <paramref name="fileName"/> (dotnet, or a wrapper that runs it, such as script for a pseudo-terminal) with the clean environment.</summary>
    public static (Process Process, StringBuilder Output) Start(string fileName, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        CollectedProcess.Start(fileName, workingDirectory, args, variables =>
        {
            // The test host's own MSBuild variables would leak into the child build.
            foreach (var key in variables.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
                variables.Remove(key);
            variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            variables["DOTNET_NOLOGO"] = "1";
            variables["TD_API_KEY"] = null;
            foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) variables[k] = v;
        });

    /// <summary>dotnet build with the switches every end-to-end build uses: no lingering nodes, plain console.</summary>
    public static CommandResult Build(string workingDirectory, params string[] args) =>
        Run(workingDirectory, null, ["build", .. args, "-nodeReuse:false", "-nologo", "-clp:NoSummary"]);
}
