using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>A few high-importance lines at the end of CdpPipeline: each phase's status, duration, tables and rows; checks; where the report is.</summary>
public sealed class CdpPrintSummary : Microsoft.Build.Utilities.Task
{
    [Required] public string IntermediateDir { get; set; } = "";

    /// <summary>report.html, when CdpReport wrote one.</summary>
    public string ReportFile { get; set; } = "";

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
            Log.LogMessage(MessageImportance.High, "CDP pipeline: no summary, the state cannot be read ({0}: {1})", e.Diagnostic.Code, e.Message);
            return true;
        }
        Log.LogMessage(MessageImportance.High, "CDP pipeline {0} ({1}, target {2}):", state.PipelineId, state.Client, state.Target);
        foreach (var phase in PhaseOrder.All)
        {
            var p = state.Phase(phase);
            Log.LogMessage(MessageImportance.High, "  {0,-12} {1,-10} {2,8:0.0}s  {3} tables, {4} rows",
                phase, p.Status == PhaseStatus.Skipped ? "SKIPPED" : p.Status, p.DurationMs / 1000.0, p.Tables.Count, p.Tables.Sum(t => t.Rows));
        }
        // Last lines a user reads: a skipped phase must not pass for a finished pipeline.
        foreach (var phase in PhaseOrder.All.Where(ph => state.Phase(ph).Status == PhaseStatus.Skipped))
            Log.LogMessage(MessageImportance.High, "  !! {0}", PhaseSkip.Banner(phase.ToString(), state.Phase(phase).Skip));
        foreach (var phase in PhaseOrder.All)
            if (state.Phase(phase).AwaitingApproval is { } pending)
                Log.LogMessage(MessageImportance.High, "  waiting for approval: {0} {1} ({2}); apply it with -p:CdpApprove={1}", phase, pending.Diagnosis.Code, pending.Diagnosis.Title);
        var checks = PhaseOrder.All.SelectMany(p => state.Phase(p).Checks).ToList();
        if (checks.Count > 0)
            Log.LogMessage(MessageImportance.High, "  checks: {0} passed, {1} warned, {2} failed{3}",
                checks.Count(c => c.Status == CheckStatus.Pass), checks.Count(c => c.Status == CheckStatus.Warn), checks.Count(c => c.Failed),
                checks.Any(c => c.Failed) ? " (" + string.Join(", ", checks.Where(c => c.Failed).Select(c => c.Name)) + ")" : "");
        if (ReportFile.Length > 0) Log.LogMessage(MessageImportance.High, "  report: {0}", ReportFile);
        Log.LogMessage(MessageImportance.High, "  state: {0}", Path.Combine(IntermediateDir, "pipeline_state.json"));
        return true;
    }
}
