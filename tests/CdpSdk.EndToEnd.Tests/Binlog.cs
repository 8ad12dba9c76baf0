using Microsoft.Build.Logging.StructuredLogger;
using MSBuildProject = Microsoft.Build.Logging.StructuredLogger.Project;
using MSBuildTarget = Microsoft.Build.Logging.StructuredLogger.Target;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>A phase as the binlog shows it: the project node built with CdpPhase, and its step targets.</summary>
public sealed record PhaseNode(string Phase, IReadOnlyDictionary<string, MSBuildTarget> Steps, IReadOnlyList<string> EntryTargets);

/// <summary>Reads a binlog with MSBuild.StructuredLogger, as the Structured Log Viewer does.</summary>
internal static class Binlog
{
    public static readonly string[] StepTargets = ["CdpGenerate", "CdpDeploy", "CdpExecute", "CdpMonitor", "CdpValidate"];

    public static Build Read(string path)
    {
        var build = BinaryLog.ReadBuild(path);
        return build;
    }

    /// <summary>Project nodes that carry a CdpPhase global property, in the order they started.</summary>
    public static IReadOnlyList<PhaseNode> Phases(Build build) =>
        build.FindChildrenRecursive<MSBuildProject>()
            .Where(p => p.GlobalProperties is not null && p.GlobalProperties.TryGetValue("CdpPhase", out var v) && !string.IsNullOrEmpty(v))
            .OrderBy(p => p.StartTime)
            .Select(p => new PhaseNode(p.GlobalProperties["CdpPhase"],
                p.Children.OfType<MSBuildTarget>().Where(t => StepTargets.Contains(t.Name))
                    .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First()),
                p.EntryTargets ?? []))
            .ToList();

    /// <summary>
    /// A target skipped as up to date: MSBuild either records it as skipped or runs no task in it and
    /// says "Skipping target … because all output files are up-to-date".
    /// </summary>
    public static bool WasSkipped(MSBuildTarget target) =>
        target.Skipped || (!target.Children.OfType<Microsoft.Build.Logging.StructuredLogger.Task>().Any()
                           && target.FindChildrenRecursive<Message>().Any(m => m.Text.Contains("Skipping target", StringComparison.Ordinal)));

    public static bool Ran(MSBuildTarget target) =>
        !WasSkipped(target) && target.Children.OfType<Microsoft.Build.Logging.StructuredLogger.Task>().Any(t => t.Name == "CdpRunStep");

    /// <summary>Every string of the build: the string table the reader kept, and each node's text.</summary>
    public static IEnumerable<string> AllStrings(Build build) =>
        (build.StringTable?.Instances ?? Enumerable.Empty<string>()).Concat(AllText(build));

    public static IEnumerable<string> AllText(Build build) =>
        build.FindChildrenRecursive<BaseNode>().Select(n => n.ToString() ?? "");
}
