using System.Text.Json.Serialization;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Planning;

/// <summary>What a step does in this build.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepDecision>))]
public enum StepDecision
{
    /// <summary>Nothing it depends on changed since it last succeeded: it does not run.</summary>
    UpToDate,
    /// <summary>It runs, for the reasons given.</summary>
    WillRun,
    /// <summary>It cannot run: the upstream phase is not complete and this build does not complete it (CDP0090/CDP0091).</summary>
    Blocked,
    /// <summary>Its phase failed and CdpSkipFailedPhase names it: the step does nothing.</summary>
    Skipped,
}

/// <summary>Why a step runs (or cannot), in a form for people (<see cref="Text"/>) and for tools (the other fields).</summary>
/// <param name="Kind">One of <see cref="ReasonKinds"/>.</param>
/// <param name="Name">The setting that changed, as the user wrote it (CdpClient, CdpStaging(web_signups).TimestampColumns).</param>
/// <param name="File">The project-relative file that changed, or the generated file edited or deleted.</param>
/// <param name="Phase">The upstream phase, for the upstream reasons.</param>
public sealed record PlanReason(string Kind, string Text, string? Name = null, string? Old = null, string? New = null, string? File = null, string? Phase = null);

/// <summary>The reason kinds, as they appear in plan.json, run_log.jsonl and the plan's schema.</summary>
public static class ReasonKinds
{
    public const string NeverRan = "never_ran";
    public const string LastFailed = "last_failed";
    public const string StampMissing = "stamp_missing";
    public const string SettingChanged = "setting_changed";
    public const string ConfigurationChanged = "configuration_changed";
    public const string FileChanged = "file_changed";
    public const string HookData = "hook_data";
    public const string UpstreamRuns = "upstream_runs";
    public const string UpstreamRan = "upstream_ran";
    public const string PreviousStepRan = "previous_step_ran";
    public const string HandEdited = "hand_edited";
    public const string GeneratedDeleted = "generated_deleted";
    public const string WarehouseGone = "warehouse_gone";
    public const string UpstreamIncomplete = "upstream_incomplete";
    public const string SkipFailed = "skip_failed";

    public static readonly IReadOnlyList<string> All =
    [
        NeverRan, LastFailed, StampMissing, SettingChanged, ConfigurationChanged, FileChanged, HookData, UpstreamRuns, UpstreamRan,
        PreviousStepRan, HandEdited, GeneratedDeleted, WarehouseGone, UpstreamIncomplete, SkipFailed,
    ];
}

public sealed record StepPlan(Step Step, StepDecision Decision, IReadOnlyList<PlanReason> Reasons, long? LastDurationMs = null)
{
    /// <summary>"sql/web_signups.sql changed; CdpClient changed (a → b)", at most three reasons and a count of the rest.</summary>
    public string Because()
    {
        var shown = string.Join("; ", Reasons.Take(3).Select(r => r.Text));
        return Reasons.Count > 3 ? $"{shown} (and {Reasons.Count - 3} more)" : shown;
    }
}

/// <summary>A generated file the phase's Generate would write otherwise than it is now, with a short diff.</summary>
/// <param name="Change">added, changed or removed.</param>
public sealed record GeneratedFileChange(string File, string Change, string Diff);

public sealed record PhasePlan(Phase Phase, IReadOnlyList<StepPlan> Steps)
{
    /// <summary>Generated files deleted by hand that are written again as they were generated, with no step run for them.</summary>
    public IReadOnlyList<string> RestoredFiles { get; init; } = [];

    /// <summary>What Generate would change in the generated folder (filled for -t:CdpPlan).</summary>
    public IReadOnlyList<GeneratedFileChange> GeneratedChanges { get; init; } = [];

    /// <summary>The tables the phase writes when its Execute runs ("database.table").</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    public StepPlan? Step(Step step) => Steps.FirstOrDefault(s => s.Step == step);

    public IEnumerable<StepPlan> Running => Steps.Where(s => s.Decision == StepDecision.WillRun);

    /// <summary>The last known durations of the steps that run, added up; null when the state knows none of them.</summary>
    public long? EstimatedMs => Running.Any(s => s.LastDurationMs is not null) ? Running.Sum(s => s.LastDurationMs ?? 0) : null;

    public bool UpToDate => Steps.All(s => s.Decision == StepDecision.UpToDate);
}

/// <summary>
/// The plan of one build: for each phase of the build and each step up to the build's goal, whether it
/// is up to date, runs (and why), is blocked, or is skipped. Computed once, after the user's hooks ran
/// and before any step; the step targets' stamps and the state are brought in line with it.
/// </summary>
/// <param name="Goal">The last step the build asks for (Generate for 'dotnet build', Validate for CdpPipeline).</param>
public sealed record BuildPlan(DateTimeOffset ComputedAt, string BuildStartedAt, Step Goal, IReadOnlyList<PhasePlan> Phases)
{
    public const string FileName = "plan.json";

    public PhasePlan? Phase(Phase phase) => Phases.FirstOrDefault(p => p.Phase == phase);

    public StepPlan? Step(Phase phase, Step step) => Phase(phase)?.Step(step);

    public bool NothingToDo => Phases.All(p => p.Steps.All(s => s.Decision != StepDecision.WillRun)) && Phases.All(p => p.RestoredFiles.Count == 0);
}
