using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// One line when a phase build ends: "&lt;project&gt; -> &lt;Phase&gt;: …". The terminal logger takes a
/// high-importance "&lt;project&gt; -> …" message as the project's output and prints it on the phase's
/// finished line at default verbosity, where other messages are hidden (dotnet/msbuild TerminalLogger).
/// It also rewrites run_results.json for the build so far (what ran in it, its durations): the snapshots
/// written between steps do not know when the build started.
/// </summary>
public sealed class CdpPrintPhase : Microsoft.Build.Utilities.Task
{
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string ProjectName { get; set; } = "";
    [Required] public string Phase { get; set; } = "";
    /// <summary>The step target the phase build went up to (CdpGenerate … CdpValidate).</summary>
    public string Step { get; set; } = "";
    public string BuildStartedAt { get; set; } = "";

    public override bool Execute()
    {
        if (!Enum.TryParse<Phase>(Phase, out var phase)) return true;
        var statePath = Path.Combine(IntermediateDir, "pipeline_state.json");
        var state = new StateStore(statePath).Load();
        var start = BuildOutcome.ParseStart(BuildStartedAt);
        if (start is not null) Core.Results.RunResults.Write(state, Core.Results.RunResults.Beside(statePath), start, BuildOutcome.ConfigHashes(IntermediateDir));
        var outcome = BuildOutcome.Of(state, start).Single(o => o.Phase == phase);
        var p = state.Phase(phase);
        var what = Step is "CdpValidate" or "" ? TableCounts.Text(p.Tables) : $"{Step.Replace("Cdp", "", StringComparison.Ordinal).ToLowerInvariant()} done";
        var how = outcome.StepsRun.Count == 0 ? " (up to date)" : outcome.Outcome == PhaseOutcome.Skipped ? " (SKIPPED)" : "";
        Log.LogMessage(MessageImportance.High, "{0} -> {1}: {2}{3}", ProjectName, phase, what, how);
        return true;
    }
}
