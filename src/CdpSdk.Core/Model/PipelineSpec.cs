using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Model;

/// <summary>A data source (CdpSource): how its objects are loaded, and into which database.</summary>
public sealed record SourceSpec
{
    public required string Name { get; init; }

    /// <summary>file, http (Local and TD), or a TD connector type.</summary>
    public required string Connector { get; init; }

    public required LoadMode Mode { get; init; }

    /// <summary>The column incremental loads continue from.</summary>
    public required string IncrementalField { get; init; }

    /// <summary>Where the first incremental load starts (Digdag's time format), or empty.</summary>
    public string StartDate { get; init; } = "";

    public required string Database { get; init; }

    public required SourceLocation At { get; init; }

    public bool LoadsHistorical => Mode is LoadMode.Historical or LoadMode.Both;
    public bool LoadsIncremental => Mode is LoadMode.Incremental or LoadMode.Both;

    /// <summary>Connector http: the NAME of the environment variable holding the Authorization header value (never the value).</summary>
    public string AuthHeaderEnv { get; init; } = "";
}

/// <summary>An object of a source, loaded into <see cref="Table"/> (incremental) and <c>{Table}_hist</c> (historical).</summary>
public sealed record ObjectSpec
{
    public required string Name { get; init; }

    /// <summary>The CdpSource it belongs to.</summary>
    public required string Source { get; init; }

    /// <summary>The file (relative to the project) or URL incremental loads read.</summary>
    public required string Location { get; init; }

    /// <summary>What historical loads read: Location unless HistoricalLocation was given.</summary>
    public required string HistoricalLocation { get; init; }

    public required string Format { get; init; }

    public required string Table { get; init; }

    public required string PrimaryKey { get; init; }

    public required SourceLocation At { get; init; }

    public string HistTable => Table + "_hist";

    /// <summary>Connector http: the paging of a JSON API (<see cref="HttpPaging"/>).</summary>
    public HttpPaging Paging { get; init; } = HttpPaging.None;

    /// <summary>How a CSV file is written: field delimiter, quote character and character set (Embulk's csv parser settings).</summary>
    public CsvFormat Csv { get; init; } = CsvFormat.Default;

    /// <summary>A header with columns the table does not have yet widens the table instead of failing as schema drift (Local).</summary>
    public bool AcceptNewColumns { get; init; }
}

/// <summary>A CSV file's delimiter, quote and charset, as TD's file parser (Embulk csv) names them.</summary>
public sealed record CsvFormat(string Delimiter = ",", string Quote = "\"", string Charset = "UTF-8")
{
    public static readonly CsvFormat Default = new();

    /// <summary>The column names of a file without a header line (every line is data); empty when the first line is the header.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
}

/// <summary>
/// Where a JSON API page keeps its records (dotted path; empty when the page is the array) and the next
/// page: a link (URL, absolute or relative) at <see cref="NextPath"/>, or a cursor value there that is sent
/// back as the <see cref="CursorParameter"/> query parameter.
/// </summary>
public sealed record HttpPaging(string RecordsPath, string NextPath, string CursorParameter)
{
    public static readonly HttpPaging None = new("", "", "");
}

/// <summary>One hist-union: the historical and/or incremental table combined into <see cref="Output"/>.</summary>
public sealed record HistUnionTableSpec
{
    /// <summary>The incremental table's name, which names the output too.</summary>
    public required string Table { get; init; }

    public required string Source { get; init; }

    public required string Database { get; init; }

    /// <summary>The historical table, or null when the source loads only incrementally.</summary>
    public required string? HistTable { get; init; }

    /// <summary>The incremental table, or null when the source loads only historically.</summary>
    public required string? IncTable { get; init; }

    public required string PrimaryKey { get; init; }

    public required string IncrementalField { get; init; }

    public string Output => Table + "_hist_union";
}

/// <summary>One staging table: a hist-union table cleaned (emails, phones, timestamps) into the staging database.</summary>
public sealed record StagingTableSpec
{
    /// <summary>The hist-union table read.</summary>
    public required string Input { get; init; }

    public required string InputDatabase { get; init; }

    public required string Output { get; init; }

    public required string Database { get; init; }

    public required string Source { get; init; }

    public IReadOnlyList<string> EmailColumns { get; init; } = [];

    public IReadOnlyList<string> PhoneColumns { get; init; } = [];

    public IReadOnlyList<string> TimestampColumns { get; init; } = [];

    public required SourceLocation At { get; init; }

    /// <summary>A user's SELECT in Presto SQL (path relative to the project) applied to the cleaned rows, or empty.</summary>
    public string TransformSql { get; init; } = "";

    /// <summary>The source's incremental field, kept through hist-union; unify.yml names it as incremental_columns.</summary>
    public string IncrementalField { get; init; } = "";

    /// <summary>
    /// The Hive version of <see cref="TransformSql"/> (path relative to the project), kept only in a project with
    /// CdpSqlEngine=hive: the TD Hive rendering embeds it, everything else runs the Presto file.
    /// </summary>
    public string TransformHiveSql { get; init; } = "";
}

public sealed record UnifyKey(string Name, string ValidRegexp, IReadOnlyList<string> InvalidTexts);

public sealed record KeyColumn(string Column, string Key);

public sealed record UnifyTable(string Database, string Table, IReadOnlyList<KeyColumn> KeyColumns)
{
    /// <summary>unify.yml's <c>as:</c> name of the table; empty when it has none (then the table's own name is used).</summary>
    public string As { get; init; } = "";

    /// <summary>The table TD's unification writes this table's rows and ids to: enriched_ and the as: name, else the table's.</summary>
    public string EnrichedTable => "enriched_" + (As.Length > 0 ? As : Table);
}

/// <summary>One ID unification: its keys, the tables whose columns carry them, and how ids are given (TD's defaults unless a unify.yml says otherwise).</summary>
public sealed record UnificationSpec
{
    public required string Name { get; init; }

    public IdMethod IdMethod { get; init; } = IdMethod.PersistentId;

    public UpdateStrategy UpdateStrategy { get; init; } = UpdateStrategy.Incremental;

    /// <summary>The id column the enriched tables get (TD's persistent_id name).</summary>
    public string IdName { get; init; } = "td_id";

    /// <summary>unify.yml merge_iterations: how many loops TD's graph algorithm runs at most.</summary>
    public int MergeIterations { get; init; } = 3;

    /// <summary>The user's unify.yml (full path) when the unification is read from one; empty when it is built from items.</summary>
    public string UnifyYmlPath { get; init; } = "";

    public IReadOnlyList<UnifyKey> Keys { get; init; } = [];

    public IReadOnlyList<UnifyTable> Tables { get; init; } = [];

    public required SourceLocation At { get; init; }

    public string Database => "cdp_unification_" + Name;

    /// <summary>The attributes of the unification's master tables (unify.yml master_tables), from CdpUnificationMasterAttribute items.</summary>
    public IReadOnlyList<MasterAttributeSpec> MasterAttributes { get; init; } = [];
}

/// <summary>One attribute of a master table: per id, the best value of its source columns.</summary>
public sealed record MasterAttributeSpec(string MasterTable, string Name, int ArrayElements, string ValidRegexp, IReadOnlyList<string> InvalidTexts, IReadOnlyList<MasterSourceColumn> Sources);

/// <summary>A column an attribute reads: lower priority wins, then the first or last value by order_by.</summary>
public sealed record MasterSourceColumn(string Table, string Column, int Priority, string Order, string OrderBy);

/// <summary>The whole validated pipeline: what every phase reads, produces and where.</summary>
public sealed record PipelineSpec(
    GlobalSettings Settings,
    IReadOnlyList<SourceSpec> Sources,
    IReadOnlyList<ObjectSpec> Objects,
    IReadOnlyList<HistUnionTableSpec> HistUnion,
    IReadOnlyList<StagingTableSpec> Staging,
    IReadOnlyList<UnificationSpec> Unifications)
{
    public string ProjectName(Phase phase) => $"{Settings.Client}_{phase.FolderName()}";

    public SourceSpec SourceOf(ObjectSpec o) => Sources.FirstOrDefault(s => s.Name == o.Source)
        ?? throw new Diagnostics.CdpException("CDP0040", $"CdpObject '{o.Name}' names Source '{o.Source}', which is not a CdpSource.", o.At);

    /// <summary>Data-quality rules (CdpCheck items), each run by the Validate step of its phase.</summary>
    public IReadOnlyList<CheckSpec> Checks { get; init; } = [];

    /// <summary>Unit tests of transforms (CdpTest items), run on given rows in a scratch database before the phase deploys.</summary>
    public IReadOnlyList<UnitTestSpec> Tests { get; init; } = [];
}
