using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Runs one step (Generate, Deploy, Execute, Monitor or Validate) of one phase, then touches the step's
/// stamp so the next build can skip it. A thin adapter: the work is in CdpSdk.Core's PhaseRunner.
/// </summary>
public sealed class CdpRunStep : Microsoft.Build.Utilities.Task, ICancelableTask
{
    readonly CancellationTokenSource _cancel = new();

    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SpecFile { get; set; } = "";
    [Required] public string Phase { get; set; } = "";
    [Required] public string Step { get; set; } = "";
    [Required] public string StampFile { get; set; } = "";

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        StepContext? ctx = null;
        try
        {
            if (!PhaseOrder.TryParse(Phase, out var phase) || !Enum.TryParse<Step>(Step, out var step))
                throw new CdpException("CDP9003", $"Unknown phase '{Phase}' or step '{Step}'.");
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var hash = File.ReadAllText(CdpResolveConfiguration.ConfigStamp(IntermediateDir, phase)).Trim();
            ctx = new StepContext(spec, phase, hash, new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")),
                () => BackendFactory.Create(spec, log), log, _cancel.Token);

            PhaseRunner.RunAsync(ctx, step).GetAwaiter().GetResult();
            Core.Model.SpecFile.WriteIfChanged(StampFile, $"{phase} {step} {DateTimeOffset.UtcNow:O}\n");
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning(null, "CDP9004", null, Diagnostic.HelpBase + "cdp9004", ProjectFile, 0, 0, 0, 0, "{0}", $"{Phase} {Step} was cancelled.");
            if (ctx is not null && Step is "Execute" or "Monitor" && ctx.Spec.Settings.TreasureData.KillOnCancel)
                KillOnCancel.Run(ctx);
            return false;
        }
        return !Log.HasLoggedErrors;
    }
}
