namespace CdpSdk.Core.Model;

/// <summary>Base URLs of the three TD APIs (their paths do not collide, so one URL may serve all).</summary>
public sealed record Endpoints(string Api, string Workflow, string Unification);

/// <summary>Settings that apply to the whole pipeline, built with an object initialiser by GlobalSettingsReader.</summary>
public sealed record GlobalSettings
{
    /// <summary>CdpClient: the prefix of every generated project and database.</summary>
    public required string Client { get; init; }

    public required TargetKind Target { get; init; }

    public required string Region { get; init; }

    public required Endpoints Endpoints { get; init; }

    public required SqlEngine Engine { get; init; }

    public required RunMode Mode { get; init; }

    public required string SourceDatabase { get; init; }

    public required string StagingDatabase { get; init; }

    public required string ProjectDirectory { get; init; }

    public required string WarehouseDir { get; init; }

    /// <summary>CdpWarehouseStorage: whether the Local warehouse compresses text (smaller file, slower writes).</summary>
    public WarehouseStorage WarehouseStorage { get; init; } = WarehouseStorage.Fast;

    public required string GeneratedDir { get; init; }

    /// <summary>CdpMinIdCoverage: the least share (percent) of rows a unification must give an id.</summary>
    public required double MinIdCoverage { get; init; }

    public required TimeSpan PollInterval { get; init; }

    public required TimeSpan MonitorTimeout { get; init; }

    /// <summary>Settings of the TreasureData target (ignored by Local).</summary>
    public TreasureDataSettings TreasureData { get; init; } = new();

    /// <summary>CdpWarningsAsErrors: a failing warn-severity check fails its phase like an error.</summary>
    public bool WarningsAsErrors { get; init; }

    /// <summary>CdpRunTests: a phase runs its CdpTest items (in a scratch database) before Deploy, and a failing test stops it.</summary>
    public bool RunTests { get; init; } = true;

    /// <summary>CdpReportDir: where report.md and report.html are written.</summary>
    public string ReportDir { get; init; } = "";

    /// <summary>CdpMode, CdpApprove, CdpStep* and the other decisions of self-healing.</summary>
    public HealingSettings Healing { get; init; } = new();

    /// <summary>Cdp&lt;Phase&gt;Schedule: the schedule: of each phase's recurring workflows (null: none).</summary>
    public PhaseSchedules? Schedules { get; init; }
}

/// <summary>
/// The Digdag <c>schedule:</c> of each phase's recurring workflows, already in Digdag's form
/// (e.g. <c>daily>: 07:00:00</c>); empty means no schedule.
/// </summary>
public sealed record PhaseSchedules(string Ingestion, string HistUnion, string Staging, string Unification)
{
    public string For(Phase phase) => phase switch
    {
        Phase.Ingestion => Ingestion,
        Phase.HistUnion => HistUnion,
        Phase.Staging => Staging,
        _ => Unification,
    };
}
