using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Reporting;

/// <summary>
/// Everything the final report shows, gathered once and rendered as Markdown and HTML. With
/// <see cref="BuildStartedAt"/> it is the report of one build: what each phase did in it, the time its steps
/// took in it, and which checks are from earlier runs. Paths in it are relative to the project's folder.
/// </summary>
/// <param name="Start">When the build started (without one: when the pipeline first ran).</param>
/// <param name="End">When the last step of this build ended; null when none ran.</param>
/// <param name="Duration">The time this build's steps took (zero without a build start: durations are never added across builds).</param>
public sealed record ReportData(
    string PipelineId,
    string Client,
    string Target,
    string ProjectFile,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    TimeSpan Duration,
    string Outcome,
    bool Failed,
    IReadOnlyList<PhaseRow> Phases,
    IReadOnlyList<FileGroup> Files,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<UnificationRow> Unifications,
    Lineage Lineage,
    IReadOnlyList<DictionaryRow> Dictionary,
    IReadOnlyList<NextStep> NextSteps,
    IReadOnlyList<string> Notes,
    DateTimeOffset GeneratedAt)
{
    /// <summary>Step retries and self-healing decisions of this build (fixes applied, stops, skips), oldest first.</summary>
    public IReadOnlyList<DecisionRow> Decisions { get; init; } = [];

    /// <summary>When the build this report describes started; null for a report of the state alone (no build known).</summary>
    public DateTimeOffset? BuildStartedAt { get; init; }

    /// <summary>When the pipeline (its id) first ran.</summary>
    public DateTimeOffset? PipelineCreatedAt { get; init; }

    /// <summary>No step ran in this build: every one was up to date.</summary>
    public bool NothingToDo { get; init; }

    /// <summary>"this build", or the UTC date of the earlier run a check's result comes from.</summary>
    public string RunOf(CheckResult check) =>
        BuildStartedAt is not { } start ? "run of " + MarkdownReport.Time(check.StartedAt)
        : check.StartedAt >= start ? "this build" : "earlier run, " + MarkdownReport.Time(check.StartedAt);

    public bool InThisBuild(CheckResult check) => BuildStartedAt is { } start && check.StartedAt >= start;
    /// <summary>The CdpTest unit tests as they last ran, by phase.</summary>
    public IReadOnlyList<CdpSdk.Core.Testing.UnitTestResult> Tests { get; init; } = [];

    /// <summary>Phases that failed and were skipped with CdpSkipFailedPhase: every rendering leads with them.</summary>
    public IReadOnlyList<PhaseRow> SkippedPhases => Phases.Where(p => p.Skip is not null).ToList();
}

/// <param name="Status">The phase's status in the pipeline state (Succeeded, Failed, …), whichever build left it.</param>
/// <param name="Duration">The time the phase's steps took in this build.</param>
/// <param name="Tables">Data tables the phase produced (log and key-stats tables are <see cref="LogTables"/>).</param>
/// <param name="FailedStep">The step a failed or skipped phase failed at.</param>
/// <param name="Skip">Set when the phase failed and was skipped (CdpSkipFailedPhase).</param>
public sealed record PhaseRow(string Phase, string Status, TimeSpan Duration, int Tables, long Rows, IReadOnlyList<string> Sessions, string? FailedStep, string? Error,
    CdpSdk.Core.State.SkipRecord? Skip = null)
{
    /// <summary>The loud line a skipped phase gets at the top of the report.</summary>
    public string? SkipBanner => Skip is null ? null : CdpSdk.Core.Phases.PhaseSkip.Banner(Phase, Skip);

    /// <summary>What the phase did in this build; null in a report of the state alone.</summary>
    public PhaseBuildOutcome? Outcome { get; init; }

    /// <summary>When a step of the phase last ran, in whichever build.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>Append-only log and statistics tables (ingestion_log, key stats), counted apart from the data.</summary>
    public int LogTables { get; init; }

    public long LogRows { get; init; }
}

public sealed record FileGroup(string Title, string Directory, IReadOnlyList<string> Files);

public sealed record KeyStatsTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <param name="Profiles">Distinct ids (people) over the enriched tables.</param>
/// <param name="KeyValues">Rows of the id's lookup table: the key values (emails, phones…) merged into profiles.</param>
/// <param name="ResolutionRate">Share of records with an id that joined another record's profile: 1 − profiles / records with an id.</param>
/// <param name="KeyValuesPerProfile">Key values per profile, on average: <see cref="KeyValues"/> / <see cref="Profiles"/>.</param>
/// <param name="KeyStats">&lt;id&gt;_result_key_stats of the latest run: rows and ids per enriched table.</param>
public sealed record UnificationRow(
    string Name, string IdName, string Database, long Records, long RecordsWithId, long Profiles, long KeyValues,
    double Coverage, double ResolutionRate, double KeyValuesPerProfile, int MergeIterations, string Iterations, KeyStatsTable KeyStats)
{
    /// <summary>&lt;id&gt;_source_key_stats of the latest run: rows, valid and distinct values per source table and key.</summary>
    public KeyStatsTable SourceKeyStats { get; init; } = new([], []);

    /// <summary>When the key stats shown were computed (their run's session time); null when there are none.</summary>
    public DateTimeOffset? KeyStatsTime { get; init; }

    /// <summary>Rows of &lt;id&gt;_graph (the id graph TD's loop and the Local engine leave); null when the table is absent.</summary>
    public long? GraphRows { get; init; }

    public IReadOnlyList<MasterTableRow> MasterTables { get; init; } = [];
}

/// <summary>A master table of the unification: one row per profile, each attribute its best value.</summary>
public sealed record MasterTableRow(string Table, long Rows, IReadOnlyList<string> Attributes);

public enum LineageKind { Source, Ingestion, HistUnion, Staging, Unification, Enriched }

public sealed record LineageNode(string Id, string Label, string Detail, LineageKind Kind, string Status);

public sealed record LineageEdge(string From, string To);

public sealed record Lineage(IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges);

public sealed record DictionaryRow(string Table, string Column, string Type, string Description, string Source);

public sealed record NextStep(string Title, string Command);
