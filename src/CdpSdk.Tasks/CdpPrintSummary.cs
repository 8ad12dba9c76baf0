using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// A few high-importance lines at the end of CdpPipeline: what each phase did in this build, with the
/// durations of this build; checks; and the report as the project's output ("retail -> …/report.html"),
/// which the terminal logger shows on the project's line as a link even at default verbosity.
/// The summary lines are extended messages of type TLTESTOUTPUT: the console logger prints them as any
/// high-importance message, and the terminal logger prints them at once, at default verbosity, in a project
/// that ran a target named _TestRunStart (the protocol test runners use; the SDK's _CdpPipelineEnd runs one).
/// Without that protocol (another MSBuild) they are ordinary messages again: shown with -tl:off or -v:d.
/// </summary>
public sealed class CdpPrintSummary : Microsoft.Build.Utilities.Task
{
    [Required] public string IntermediateDir { get; set; } = "";

    /// <summary>$(MSBuildProjectName): the terminal logger takes "&lt;project&gt; -> &lt;path&gt;" as the project's output.</summary>
    public string ProjectName { get; set; } = "";

    /// <summary>When this build started (round-trip UTC); steps recorded earlier belong to an earlier build.</summary>
    public string BuildStartedAt { get; set; } = "";

    /// <summary>report.html, when CdpReport wrote one.</summary>
    public string ReportFile { get; set; } = "";

    /// <summary>One summary line, shown by the console logger and, at default verbosity, by the terminal logger.</summary>
    void Line(string format, params object?[] args)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
        BuildEngine.LogMessageEvent(new ExtendedBuildMessageEventArgs(TerminalLoggerOutput, text, null, nameof(CdpPrintSummary), MessageImportance.High));
    }

    /// <summary>The terminal logger's message type for lines a test run prints as they come (dotnet/msbuild TerminalLogger).</summary>
    public const string TerminalLoggerOutput = "TLTESTOUTPUT";

    public override bool Execute()
    {
        PipelineState state;
        try
        {
            state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")).Load();
        }
        catch (Core.Diagnostics.CdpException e)
        {
            // The step that read the state first has reported it (CDP9001 and the command that resets it); a
            // summary of unreadable state would only add a crash after that error.
            Line("CDP pipeline: no summary, the state cannot be read ({0}: {1})", e.Diagnostic.Code, e.Message);
            return true;
        }
        var start = BuildOutcome.ParseStart(BuildStartedAt);
        var outcomes = BuildOutcome.Of(state, start, BuildOutcome.ConfigHashes(IntermediateDir));
        var nothingRan = outcomes.All(o => o.Outcome == PhaseOutcome.UpToDate);
        Line("CDP pipeline {0} ({1}, target {2}){3}", state.PipelineId, state.Client, state.Target,
            nothingRan ? ": nothing to do: every step up to date" : ":");
        foreach (var o in outcomes)
            Line("  {0,-12} {1,-29} {2,8}  {3}",
                o.Phase, o.Label, o.StepsRun.Count > 0 ? $"{o.DurationMs / 1000.0:0.0}s" : "", TableCounts.Text(state.Phase(o.Phase).Tables));
        // Last lines a user reads: a skipped phase must not pass for a finished pipeline.
        foreach (var phase in PhaseOrder.All.Where(ph => state.Phase(ph).Status == PhaseStatus.Skipped))
            Line("  !! {0}", PhaseSkip.Banner(phase.ToString(), state.Phase(phase).Skip));
        foreach (var phase in PhaseOrder.All)
            if (state.Phase(phase).AwaitingApproval is { } pending)
                Line("  waiting for approval: {0} {1} ({2}); apply it with -p:CdpApprove={1}", phase, pending.Diagnosis.Code, pending.Diagnosis.Title);
        // Checks of a phase that did not validate in this build are from an earlier run: said so, not counted as this build's.
        var all = PhaseOrder.All.SelectMany(p => state.Phase(p).Checks).ToList();
        var checks = all.Where(c => BuildOutcome.InBuild(c, start)).ToList();
        var earlier = all.Count - checks.Count;
        if (checks.Count > 0)
            Line("  checks: {0} passed, {1} warned, {2} failed{3}{4}",
                checks.Count(c => c.Status == CheckStatus.Pass), checks.Count(c => c.Status == CheckStatus.Warn), checks.Count(c => c.Failed),
                checks.Any(c => c.Failed) ? " (" + string.Join(", ", checks.Where(c => c.Failed).Select(c => c.Name)) + ")" : "",
                earlier > 0 ? $"; {earlier} more from earlier runs (see the report)" : "");
        else if (earlier > 0)
            Line("  checks: none ran in this build; {0} from earlier runs (see the report)", earlier);
        Line("  state: {0}", Path.Combine(IntermediateDir, "pipeline_state.json"));
        if (ReportFile.Length > 0)
            Log.LogMessage(MessageImportance.High, "{0} -> {1}", ProjectName.Length > 0 ? ProjectName : "report", ReportFile);
        return true;
    }
}
