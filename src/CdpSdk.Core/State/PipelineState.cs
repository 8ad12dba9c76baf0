using CdpSdk.Core.Model;

namespace CdpSdk.Core.State;

/// <summary>Skipped: the phase failed and the user chose to go past it with CdpSkipFailedPhase (see PhaseSkip).</summary>
public enum PhaseStatus { NotStarted, Running, Succeeded, Failed, Skipped }

public sealed record StepRecord(string Status, DateTimeOffset StartedAt, long DurationMs, string? Error = null);

public sealed record SessionRecord(string Workflow, string SessionId, string AttemptId, DateTimeOffset SessionTime, string Status);

public sealed record TableRecord(string Database, string Table, long Rows);

/// <summary>Why a phase is Skipped: the step it failed at, the error it failed with, and when the switch took effect.</summary>
public sealed record SkipRecord(DateTimeOffset SkippedAt, string FailedStep, string? Error, string Switch);

/// <summary>What the pipeline knows about one phase: enough to report it and to resume it.</summary>
public sealed record PhaseState
{
    public PhaseStatus Status { get; init; } = PhaseStatus.NotStarted;
    public string? CurrentStep { get; init; }
    /// <summary>The configuration hash the phase last ran with; a phase is complete only for the hash it validated.</summary>
    public string? ConfigHash { get; init; }
    public DateTimeOffset? SessionTime { get; init; }
    public string? ProjectName { get; init; }
    public CdpSdk.Core.Backend.Revision? Revision { get; init; }
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>
    /// SHA-256 of each generated file as Generate wrote it (project-relative path → hash): a file on disk
    /// with another hash was edited by hand, which Generate and Deploy detect before overwriting or pushing it.
    /// </summary>
    public IReadOnlyDictionary<string, string> FileHashes { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<SessionRecord> Sessions { get; init; } = [];
    public IReadOnlyList<TableRecord> Tables { get; init; } = [];
    public IReadOnlyDictionary<string, StepRecord> Steps { get; init; } = new Dictionary<string, StepRecord>();
    /// <summary>The data-quality checks of the phase's last Validate.</summary>
    public IReadOnlyList<CdpSdk.Core.Validation.CheckResult> Checks { get; init; } = [];
    /// <summary>The phase's CdpTest unit tests, as they last ran (before its Deploy, or by the CdpTest target).</summary>
    public IReadOnlyList<CdpSdk.Core.Testing.UnitTestResult> Tests { get; init; } = [];
    /// <summary>Set while Status is Skipped: what was skipped and why, for the report and for whoever reads the state later.</summary>
    public SkipRecord? Skip { get; init; }
    public long DurationMs => Steps.Values.Sum(s => s.DurationMs);

    /// <summary>The fix a stopped build proposed and awaits approval for (-p:CdpApprove=code); cleared when the phase goes on.</summary>
    public PendingFix? PendingFix { get; init; }

    /// <summary>The pending fix the user can approve; a pending missing secret (only the user can provide it) is not one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PendingFix? AwaitingApproval => PendingFix is { Diagnosis.Kind: not CdpSdk.Core.Diagnosis.FixKind.Impossible } pending ? pending : null;
}

/// <summary>A diagnosis whose fix was proposed but not applied: what failed, at which step, and the fix as shown to the user.</summary>
public sealed record PendingFix(CdpSdk.Core.Diagnosis.Diagnosis Diagnosis, Step Step, string Proposal, DateTimeOffset At);

/// <summary>obj/cdp/pipeline_state.json: the pipeline's memory between builds.</summary>
public sealed record PipelineState
{
    public int SchemaVersion { get; init; } = 1;
    public string PipelineId { get; init; } = "";
    public string Client { get; init; } = "";
    public string Target { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public IReadOnlyDictionary<string, PhaseState> Phases { get; init; } = new Dictionary<string, PhaseState>();

    /// <summary>Row counts by database.table after each table's phase last validated: what row_count_change compares with.</summary>
    public IReadOnlyDictionary<string, long> RowCountHistory { get; init; } = new Dictionary<string, long>();

    public PhaseState Phase(Phase phase) => Phases.TryGetValue(phase.ToString(), out var p) ? p : new PhaseState();

    public PipelineState With(Phase phase, Func<PhaseState, PhaseState> change)
    {
        var phases = new SortedDictionary<string, PhaseState>(Phases.ToDictionary(), StringComparer.Ordinal)
        {
            [phase.ToString()] = change(Phase(phase)),
        };
        return this with { Phases = phases };
    }
}
