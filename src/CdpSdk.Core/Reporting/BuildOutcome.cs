using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Reporting;

/// <summary>What a phase did in one build, told apart from what an earlier build left in the state.</summary>
public enum PhaseOutcome
{
    /// <summary>At least one step ran in this build and the phase succeeded.</summary>
    Ran,
    /// <summary>Complete from an earlier build; every step was skipped as up to date.</summary>
    UpToDate,
    Failed,
    /// <summary>Failed and passed over with CdpSkipFailedPhase.</summary>
    Skipped,
    /// <summary>An upstream phase failed in this build, so this one did not start; its state is from an earlier build.</summary>
    NotRunUpstreamFailed,
    /// <summary>Never ran, or ran in an earlier build without finishing.</summary>
    NotRun,
}

/// <summary>One phase's outcome in a build and the time its steps took in that build.</summary>
public sealed record PhaseBuildOutcome(Phase Phase, PhaseOutcome Outcome, long DurationMs, IReadOnlyList<string> StepsRun)
{
    public string Label => Outcome switch
    {
        PhaseOutcome.Ran => "succeeded",
        PhaseOutcome.UpToDate => "up to date",
        PhaseOutcome.Failed => "FAILED",
        PhaseOutcome.Skipped => "SKIPPED",
        PhaseOutcome.NotRunUpstreamFailed => "not run (upstream failed)",
        _ => "not run",
    };
}

public static class BuildOutcome
{
    /// <summary>
    /// Each phase's outcome in the build that started at <paramref name="buildStartedAt"/>: a step belongs to
    /// the build when it started at or after that time. Without a start time every recorded step counts (the
    /// old behaviour), so a caller that cannot tell builds apart says what the state says.
    /// </summary>
    public static IReadOnlyList<PhaseBuildOutcome> Of(PipelineState state, DateTimeOffset? buildStartedAt)
    {
        var outcomes = new List<PhaseBuildOutcome>();
        var upstreamFailed = false;
        foreach (var phase in PhaseOrder.All)
        {
            var p = state.Phase(phase);
            var run = p.Steps.Where(s => buildStartedAt is not { } start || s.Value.StartedAt >= start)
                .OrderBy(s => s.Value.StartedAt).ToList();
            var ranNow = run.Count > 0;
            var outcome = p.Status switch
            {
                PhaseStatus.Skipped => PhaseOutcome.Skipped,
                PhaseStatus.Failed when ranNow => PhaseOutcome.Failed,
                _ when upstreamFailed && !ranNow => PhaseOutcome.NotRunUpstreamFailed,
                PhaseStatus.Succeeded when ranNow => PhaseOutcome.Ran,
                PhaseStatus.Succeeded => PhaseOutcome.UpToDate,
                PhaseStatus.Failed => PhaseOutcome.Failed,
                _ => PhaseOutcome.NotRun,
            };
            if (outcome is PhaseOutcome.Failed) upstreamFailed = true;
            outcomes.Add(new PhaseBuildOutcome(phase, outcome, run.Sum(s => s.Value.DurationMs), run.Select(s => s.Key).ToList()));
        }
        return outcomes;
    }

    /// <summary>A round-trip ("o") timestamp as the SDK passes it between builds; null when absent or unreadable.</summary>
    public static DateTimeOffset? ParseStart(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
