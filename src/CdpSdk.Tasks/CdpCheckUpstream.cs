using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Fails a phase's Deploy (and so every later step) when the upstream phase has not validated with its current configuration;
/// warns (CDP6202) when it runs after a phase skipped with CdpSkipFailedPhase.
/// </summary>
public sealed class CdpCheckUpstream : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SpecFile { get; set; } = "";
    [Required] public string SdkVersion { get; set; } = "";
    [Required] public string Phase { get; set; } = "";

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        try
        {
            if (!PhaseOrder.TryParse(Phase, out var phase)) return true;
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")).Load();
            var problem = PhaseRunner.CheckUpstream(state, phase, p => PhaseConfiguration.Hash(spec, p, SdkVersion), new SourceLocation(ProjectFile),
                spec.Settings.Healing.SkipFailed);
            if (problem is not null)
            {
                log.Report(problem);
                // An error refuses the phase; a warning lets it run on a skipped upstream's incomplete output.
                var decision = problem.Severity == DiagnosticSeverity.Error ? "refuse_phase" : "run_on_skipped_upstream";
                Core.Results.RunLog.Beside(Path.Combine(IntermediateDir, "pipeline_state.json")).Write("decision", state.PipelineId, phase.ToString(), null,
                    new Dictionary<string, object?> { ["decision"] = decision, ["code"] = problem.Code, ["reason"] = problem.Message });
            }
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        return !Log.HasLoggedErrors;
    }
}
