using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;

namespace CdpSdk.Core.Healing;

/// <summary>
/// Retries of a step that failed with a transient error (CdpStepMaxAttempts, CdpStepRetryDelay,
/// CdpStepRetryMultiplier, with jitter); each retry is a warning (CDP6002) and a "retry" line in the run log.
/// </summary>
internal static class StepRetries
{
    public static async Task RunAsync(StepContext ctx, Step step, DeferredLog log)
    {
        var h = ctx.Spec.Settings.Healing;
        var policy = new RetryPolicy(h.StepMaxAttempts, h.StepRetryDelay, h.StepRetryMultiplier);
        var restartAt = step;
        await policy.RunAsync(async n =>
        {
            // A retry of Monitor after its workflow failed starts a new attempt first (RestartPoint).
            for (var s = n > 1 ? restartAt : step; s <= step; s++)
                await PhaseRunner.RunAsync(ctx with { Attempt = n }, s);
            return true;
        }, e => e is CdpException c && IsTransient(c.Diagnostic), (next, e, wait) =>
        {
            var code = ((CdpException)e).Diagnostic.Code;
            restartAt = ResumePoints.RestartPoint(step, code);
            log.Release(asErrors: false);
            ctx.Log.Report(Diagnostic.Warning("CDP6002", $"{ctx.Phase} {step} failed with a transient error ({code}: {e.Message}); retry {next - 1} of {h.StepMaxAttempts - 1} in {wait.TotalSeconds:0.#} s."));
            RunLog.Beside(ctx.State.Path).Write("retry", ctx.State.Load().PipelineId, ctx.Phase.ToString(), step.ToString(), new Dictionary<string, object?>
            {
                ["attempt"] = next, ["maxAttempts"] = h.StepMaxAttempts, ["delayMs"] = (long)wait.TotalMilliseconds,
                ["diagnosis"] = DiagnosisCatalog.TransientApi, ["error"] = code, ["message"] = e.Message,
            });
        }, ct: ctx.Cancellation);
    }

    static bool IsTransient(Diagnostic failure) =>
        Failure.Of(failure).Kind == FailureKind.Transient;
}
