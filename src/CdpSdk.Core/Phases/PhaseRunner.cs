using System.Diagnostics;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Phases;

/// <summary>
/// Runs one step of one phase and records it in the pipeline state. The same code drives the Local and
/// the TreasureData target; only the backend differs.
/// </summary>
public static class PhaseRunner
{
    public static async Task RunAsync(StepContext ctx, Step step)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var previous = ctx.State.Load().Phase(ctx.Phase).Steps.GetValueOrDefault(step.ToString());
        var state = ctx.State.Update(s => Begin(s, ctx, step, started).With(ctx.Phase, p => p with
        {
            Status = PhaseStatus.Running,
            CurrentStep = step.ToString(),
            Skip = null, // a skipped phase that runs again is no longer skipped
            ConfigHash = step == Step.Generate ? ctx.ConfigHash : p.ConfigHash,
        }));
        var runLog = RunLog.Beside(ctx.State.Path);
        // A step that failed last time and runs again is a retry (a rerun resuming where the pipeline stopped);
        // retries within one build are logged by the StepHealer with their attempt and delay.
        if (previous is { Status: "Failed" } && ctx.Attempt == 1)
            runLog.Write("retry", state.PipelineId, ctx.Phase.ToString(), step.ToString(), new Dictionary<string, object?>
            {
                ["previous_error"] = previous.Error, ["previous_started_at"] = previous.StartedAt,
            });
        runLog.Write("step_started", state.PipelineId, ctx.Phase.ToString(), step.ToString(),
            ctx.Reason is null ? [] : new Dictionary<string, object?> { ["reason"] = ctx.Reason });
        try
        {
            await (step switch
            {
                Step.Generate => Steps.GenerateStep.RunAsync(ctx),
                Step.Deploy => Steps.DeployStep.RunAsync(ctx),
                Step.Execute => Steps.ExecuteStep.RunAsync(ctx),
                Step.Monitor => Steps.MonitorStep.RunAsync(ctx),
                Step.Validate => Steps.ValidateStep.RunAsync(ctx),
                _ => throw new ArgumentOutOfRangeException(nameof(step)),
            });
            Record(ctx, step, started, clock, null);
        }
        catch (Exception e) when (e is CdpException or OperationCanceledException)
        {
            Record(ctx, step, started, clock, e.Message);
            throw;
        }
    }

    /// <summary>A pipeline run starts when Ingestion generates afresh; every later phase belongs to it.</summary>
    static PipelineState Begin(PipelineState state, StepContext ctx, Step step, DateTimeOffset now)
    {
        var fresh = state.PipelineId.Length == 0 || (ctx.Phase == Phase.Ingestion && step == Step.Generate);
        return state with
        {
            PipelineId = fresh ? $"{ctx.Spec.Settings.Client}-{now:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..6]}" : state.PipelineId,
            CreatedAt = fresh ? now : state.CreatedAt,
            Client = ctx.Spec.Settings.Client,
            Target = ctx.Spec.Settings.Target.ToString(),
        };
    }

    static void Record(StepContext ctx, Step step, DateTimeOffset started, Stopwatch clock, string? error)
    {
        var done = error is null && step == Step.Validate;
        var state = ctx.State.Update(s => s.With(ctx.Phase, p => p with
        {
            Status = error is not null ? PhaseStatus.Failed : done ? PhaseStatus.Succeeded : PhaseStatus.Running,
            CurrentStep = done ? null : step.ToString(),
            Steps = new SortedDictionary<string, StepRecord>(p.Steps.ToDictionary(), StringComparer.Ordinal)
            {
                [step.ToString()] = new StepRecord(error is null ? "Succeeded" : "Failed", started, clock.ElapsedMilliseconds, error),
            },
        }));
        RunLog.Beside(ctx.State.Path).Write("step_finished", state.PipelineId, ctx.Phase.ToString(), step.ToString(), new Dictionary<string, object?>
        {
            ["status"] = error is null ? "success" : "error", ["duration_ms"] = clock.ElapsedMilliseconds, ["error"] = error,
        });
        RunResults.Write(state, RunResults.Beside(ctx.State.Path));
    }

    /// <summary>
    /// A phase may run only when the phase before it validated with the configuration it has now; this
    /// is what keeps phases strictly ordered even when one is built on its own. The one exception is an
    /// upstream phase the user skipped after it failed (<paramref name="skipFailed"/>, CdpSkipFailedPhase):
    /// then the phase runs, and the result is a warning (CDP6202) rather than an error, because its input
    /// is incomplete. A skipped phase further upstream warns too.
    /// </summary>
    /// <returns>null when the phase may run cleanly; a warning when it may run on incomplete input; an error when it may not run.</returns>
    public static Diagnostic? CheckUpstream(PipelineState state, Phase phase, Func<Phase, string> currentHash, SourceLocation at, IReadOnlyCollection<Phase>? skipFailed = null)
    {
        if (phase.Upstream() is not { } upstream) return null;
        var p = state.Phase(upstream);
        var how = $"run 'dotnet build -t:CdpValidate -p:CdpPhase={upstream}' (or -t:CdpPipeline) first";
        var skippedByUser = p.Status == PhaseStatus.Skipped && (skipFailed?.Contains(upstream) ?? false);
        if (p.Status != PhaseStatus.Succeeded && !skippedByUser)
            return Diagnostic.Error("CDP0090", $"Phase {phase} cannot run: the upstream phase {upstream} is not complete ({Describe(p)}); {how}.", at);
        // A skipped upstream ran with the configuration it failed with: comparing hashes would only block the skip.
        if (!skippedByUser && p.ConfigHash != currentHash(upstream))
            return Diagnostic.Error("CDP0091", $"Phase {phase} cannot run: the configuration of {upstream} changed since it was validated; {how}.", at);
        var skipped = PhaseOrder.All.Where(e => e < phase && state.Phase(e).Status == PhaseStatus.Skipped).ToList();
        if (skipped.Count == 0) return null;
        return Diagnostic.Warning("CDP6202",
            $"Phase {phase} runs on incomplete input: upstream phase {string.Join(" and ", skipped.Select(s => $"{s} (failed at {state.Phase(s).Skip?.FailedStep ?? "?"})"))} " +
            $"{(skipped.Count == 1 ? "was" : "were")} SKIPPED by {PhaseSkip.Property}. Its tables are missing or partial; build without {PhaseSkip.Property} to run {string.Join(" and ", skipped)} again.", at);
    }

    static string Describe(PhaseState p) => p.Status switch
    {
        PhaseStatus.NotStarted => "it has not run",
        PhaseStatus.Failed => $"it failed at {p.CurrentStep}",
        PhaseStatus.Skipped => $"it failed at {p.Skip?.FailedStep} and was skipped, but {PhaseSkip.Property} no longer names it",
        _ => $"it stopped at {p.CurrentStep}",
    };
}
