namespace CdpSdk.Core.Model;

/// <summary>What to do with a generated file that was edited by hand since it was generated.</summary>
public enum HandEditPolicy
{
    /// <summary>HumanInLoop: stop and ask (CDP6111); Autonomous: regenerate, the edited file backed up first.</summary>
    Ask,
    /// <summary>Keep the edited file (deploy it as it is) and warn on every build.</summary>
    Keep,
    /// <summary>Back the edited file up and overwrite it with the generated one.</summary>
    Regenerate,
}

/// <summary>
/// How a build reacts to failures: retries of a step, which diagnosed fixes it may apply, and the
/// explicit decisions given on the command line. Runtime settings: not part of any phase's hash.
/// </summary>
public sealed record HealingSettings
{
    public RunMode Mode { get; init; } = RunMode.HumanInLoop;

    /// <summary>CdpAutoFixMinConfidence: Autonomous mode applies a fix only when the diagnosis is at least this sure.</summary>
    public double MinConfidence { get; init; } = 0.8;

    /// <summary>CdpApprove: diagnosis codes (CDP61xx) whose proposed fix the user approved for this build.</summary>
    public IReadOnlyList<string> Approved { get; init; } = [];

    /// <summary>CdpStepMaxAttempts: runs of a step in all, counting the first, when it fails with a retryable error.</summary>
    public int StepMaxAttempts { get; init; } = 3;

    /// <summary>CdpStepRetryDelay: the wait before the first retry of a step; later ones grow by StepRetryMultiplier.</summary>
    public TimeSpan StepRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>CdpStepRetryMultiplier: how much longer each retry of a step waits than the one before.</summary>
    public double StepRetryMultiplier { get; init; } = 2;

    /// <summary>CdpHandEditedFiles: keep or regenerate a generated file edited by hand.</summary>
    public HandEditPolicy HandEdits { get; init; } = HandEditPolicy.Ask;

    /// <summary>CdpSkipFailedPhase: failed phases the user chose to skip so the pipeline goes on without them.</summary>
    public IReadOnlyList<Phase> SkipFailed { get; init; } = [];

    public bool IsApproved(string code) => Approved.Contains(code, StringComparer.OrdinalIgnoreCase);
}
