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
    /// <summary>Succeeded in an earlier build, but its configuration changed since and it did not run in this one.</summary>
    Stale,
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
        PhaseOutcome.Stale => "stale (configuration changed)",
        _ => "not run",
    };

    /// <summary>The word run_results.json gives the phase: dbt's success, error and skipped, and the SDK's own for the rest.</summary>
    public string Status => Outcome switch
    {
        PhaseOutcome.Ran => "success",
        PhaseOutcome.UpToDate => "up_to_date",
        PhaseOutcome.Failed => "error",
        PhaseOutcome.Skipped => "skipped",
        PhaseOutcome.NotRunUpstreamFailed => "not_run_upstream_failed",
        PhaseOutcome.Stale => "stale",
        _ => "not_run",
    };

    /// <summary>Whether a step of the phase ran in this build.</summary>
    public bool RanInThisBuild => StepsRun.Count > 0;
}

public static class BuildOutcome
{
    /// <summary>
    /// Each phase's outcome in the build that started at <paramref name="buildStartedAt"/>: a step belongs to
    /// the build when it started at or after that time. Without a start time every recorded step counts (the
    /// old behaviour), so a caller that cannot tell builds apart says what the state says.
    /// </summary>
    /// <param name="currentConfigHashes">Each phase's configuration hash as this build resolved it (config.hash); a phase
    /// that succeeded with another hash and did not run now is stale. Without them no phase is called stale.</param>
    public static IReadOnlyList<PhaseBuildOutcome> Of(PipelineState state, DateTimeOffset? buildStartedAt, IReadOnlyDictionary<Phase, string>? currentConfigHashes = null)
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
                PhaseStatus.Succeeded when currentConfigHashes is not null && currentConfigHashes.TryGetValue(phase, out var hash) && hash != p.ConfigHash => PhaseOutcome.Stale,
                PhaseStatus.Succeeded => PhaseOutcome.UpToDate,
                PhaseStatus.Failed => PhaseOutcome.Failed,
                _ => PhaseOutcome.NotRun,
            };
            if (outcome is PhaseOutcome.Failed) upstreamFailed = true;
            outcomes.Add(new PhaseBuildOutcome(phase, outcome, run.Sum(s => s.Value.DurationMs), run.Select(s => s.Key).ToList()));
        }
        return outcomes;
    }

    /// <summary>Whether a check ran in the build that started at <paramref name="buildStartedAt"/> (every check counts without a start).</summary>
    public static bool InBuild(CdpSdk.Core.Validation.CheckResult check, DateTimeOffset? buildStartedAt) =>
        buildStartedAt is not { } start || check.StartedAt >= start;

    /// <summary>
    /// The configuration hash of each phase as the latest resolution wrote it (obj/cdp/&lt;Phase&gt;/config.hash);
    /// a phase without the file is left out.
    /// </summary>
    public static IReadOnlyDictionary<Phase, string> ConfigHashes(string intermediateDir)
    {
        var hashes = new Dictionary<Phase, string>();
        foreach (var phase in PhaseOrder.All)
        {
            var file = Path.Combine(intermediateDir, phase.ToString(), "config.hash");
            if (File.Exists(file)) hashes[phase] = File.ReadAllText(file).Trim();
        }
        return hashes;
    }

    /// <summary>A round-trip ("o") timestamp as the SDK passes it between builds; null when absent or unreadable.</summary>
    public static DateTimeOffset? ParseStart(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
