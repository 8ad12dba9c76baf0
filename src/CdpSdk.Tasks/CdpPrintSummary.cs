using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>A few high-importance lines at the end of CdpPipeline: each phase's status, duration, tables and rows.</summary>
public sealed class CdpPrintSummary : Microsoft.Build.Utilities.Task
{
    [Required] public string IntermediateDir { get; set; } = "";

    public override bool Execute()
    {
        var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")).Load();
        Log.LogMessage(MessageImportance.High, "CDP pipeline {0} ({1}, target {2}):", state.PipelineId, state.Client, state.Target);
        foreach (var phase in PhaseOrder.All)
        {
            var p = state.Phase(phase);
            Log.LogMessage(MessageImportance.High, "  {0,-12} {1,-10} {2,8:0.0}s  {3} tables, {4} rows",
                phase, p.Status, p.DurationMs / 1000.0, p.Tables.Count, p.Tables.Sum(t => t.Rows));
        }
        Log.LogMessage(MessageImportance.High, "  state: {0}", Path.Combine(IntermediateDir, "pipeline_state.json"));
        return true;
    }
}
