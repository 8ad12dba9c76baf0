using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Reporting;

/// <summary>Everything the final report shows, gathered once and rendered as Markdown and HTML.</summary>
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
    /// <summary>Step retries and self-healing decisions of this run (fixes applied, stops, skips), oldest first.</summary>
    public IReadOnlyList<DecisionRow> Decisions { get; init; } = [];

    /// <summary>The CdpTest unit tests as they last ran, by phase.</summary>
    public IReadOnlyList<CdpSdk.Core.Testing.UnitTestResult> Tests { get; init; } = [];

    /// <summary>Phases that failed and were skipped with CdpSkipFailedPhase: every rendering leads with them.</summary>
    public IReadOnlyList<PhaseRow> SkippedPhases => Phases.Where(p => p.Skip is not null).ToList();
}

/// <param name="FailedStep">The step a failed or skipped phase failed at.</param>
/// <param name="Skip">Set when the phase failed and was skipped (CdpSkipFailedPhase).</param>
public sealed record PhaseRow(string Phase, string Status, TimeSpan Duration, int Tables, long Rows, IReadOnlyList<string> Sessions, string? FailedStep, string? Error,
    CdpSdk.Core.State.SkipRecord? Skip = null)
{
    /// <summary>The loud line a skipped phase gets at the top of the report.</summary>
    public string? SkipBanner => Skip is null ? null : CdpSdk.Core.Phases.PhaseSkip.Banner(Phase, Skip);
}

public sealed record FileGroup(string Title, string Directory, IReadOnlyList<string> Files);

public sealed record KeyStatsTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <param name="Profiles">Distinct ids (people) over the enriched tables.</param>
/// <param name="KeyValues">Rows of the id's lookup table: the identifiers merged into profiles.</param>
/// <param name="ResolutionRate">Share of records with an id that joined another record's profile: 1 − profiles / records with an id.</param>
public sealed record UnificationRow(
    string Name, string IdName, string Database, long Records, long RecordsWithId, long Profiles, long KeyValues,
    double Coverage, double ResolutionRate, double IdentifiersPerProfile, int MergeIterations, string Iterations, KeyStatsTable KeyStats);

public enum LineageKind { Source, Ingestion, HistUnion, Staging, Unification, Enriched }

public sealed record LineageNode(string Id, string Label, string Detail, LineageKind Kind, string Status);

public sealed record LineageEdge(string From, string To);

public sealed record Lineage(IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges);

public sealed record DictionaryRow(string Table, string Column, string Type, string Description, string Source);

public sealed record NextStep(string Title, string Command);
