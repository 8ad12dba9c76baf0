using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Phases;

/// <summary>
/// CdpSkipFailedPhase: going past a failed phase is a decision the user makes by naming the phase, never
/// something the build does on its own. Checked before every step of a phase: a phase the state says
/// failed and the switch names is marked Skipped (in the state, the run log and the report) and its steps
/// do nothing, so the phases after it can run. The skip lasts only as long as the switch is given: a
/// build without it runs the skipped phase again.
/// </summary>
public static class PhaseSkip
{
    public const string Property = "CdpSkipFailedPhase";

    /// <summary>True when the step must not run because its phase is skipped; the caller then does nothing (and writes no stamp).</summary>
    public static bool TrySkip(StepContext ctx, Step step)
    {
        if (!ctx.Spec.Settings.Healing.SkipFailed.Contains(ctx.Phase)) return false;
        var p = ctx.State.Load().Phase(ctx.Phase);
        switch (p.Status)
        {
            case PhaseStatus.Failed:
                Skip(ctx, p);
                return true;
            case PhaseStatus.Skipped:
                // Still skipped: once loudly per build (on the step it failed at, the one a build always reaches), quietly for the rest.
                if (step.ToString() == p.Skip?.FailedStep) ctx.Log.Report(Diagnostic.Warning("CDP6201", Still(ctx.Phase, p.Skip)));
                else ctx.Log.Info($"{ctx.Phase} {step}: nothing to do, the phase is SKIPPED ({Property}).");
                return true;
            default:
                // Named but not failed: the switch cannot skip a phase that may still succeed. Warn once, as the phase's run starts.
                if (p.Status != PhaseStatus.Running || p.CurrentStep == step.ToString())
                    ctx.Log.Report(Diagnostic.Warning("CDP6203",
                        $"{Property} names {ctx.Phase}, but {ctx.Phase} has not failed ({p.Status}): it runs normally. Only a phase that failed can be skipped; remove {ctx.Phase} from {Property}."));
                return false;
        }
    }

    static void Skip(StepContext ctx, PhaseState failed)
    {
        var step = failed.CurrentStep ?? failed.Steps.FirstOrDefault(s => s.Value.Status == "Failed").Key ?? "?";
        var error = failed.Steps.GetValueOrDefault(step)?.Error;
        var record = new SkipRecord(DateTimeOffset.UtcNow, step, error, $"-p:{Property}={ctx.Phase}");
        var state = ctx.State.Update(s => s.With(ctx.Phase, p => p with { Status = PhaseStatus.Skipped, Skip = record }));
        var message = $"Phase {ctx.Phase} FAILED at {step} and is SKIPPED by {Property}; the phases after it run on incomplete data. " +
                      $"It failed with: {error ?? "(no error recorded)"}. Build without {Property} to run {ctx.Phase} again.";
        ctx.Log.Report(Diagnostic.Warning("CDP6201", message));
        RunLog.Beside(ctx.State.Path).Write("decision", state.PipelineId, ctx.Phase.ToString(), step, new Dictionary<string, object?>
        {
            ["decision"] = "skip_phase", ["code"] = "CDP6201", ["switch"] = record.Switch, ["failed_step"] = step, ["error"] = error, ["reason"] = message,
        });
        RunResults.Write(state, RunResults.Beside(ctx.State.Path));
    }

    static string Still(Phase phase, SkipRecord? skip) =>
        $"Phase {phase} stays SKIPPED by {Property} (it failed at {skip?.FailedStep}: {skip?.Error ?? "no error recorded"}); the phases after it run on incomplete data. Build without {Property} to run {phase} again.";

    /// <summary>The banner line for a skipped phase in the report and the build summary.</summary>
    public static string Banner(string phase, SkipRecord? skip) =>
        $"Phase {phase} was SKIPPED after failing at {skip?.FailedStep ?? "?"}: {skip?.Error ?? "no error recorded"}. The phases after it ran on incomplete data ({skip?.Switch ?? Property}).";
}
