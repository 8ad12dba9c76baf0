namespace CdpSdk.Local;

/// <summary>CDP30xx: what can go wrong while the Local target executes a workflow (docs/errors.md).</summary>
public static class LocalErrors
{
    /// <summary>A failure the runner did not anticipate; still reported on the task, never a crash.</summary>
    public const string Unexpected = "CDP3000";
    public const string UnknownOperator = "CDP3001";
    public const string SqlFailed = "CDP3002";
    public const string DataFileMissing = "CDP3003";
    public const string UnknownVariable = "CDP3004";
    public const string UnsupportedHttpCall = "CDP3005";
    public const string BadWorkflowFile = "CDP3006";
    public const string BadDataFile = "CDP3007";
    public const string BadUnifyConfig = "CDP3008";
    public const string NotDeployed = "CDP3009";
    public const string BadTaskParameter = "CDP3010";
    public const string HttpSourceFailed = "CDP3012";
    public const string AuthEnvMissing = "CDP3013";
    /// <summary>Another process (a build, a DuckDB client) holds the warehouse file's lock.</summary>
    public const string WarehouseBusy = "CDP3014";

    // A data file that would otherwise load wrong rows, or none, without a word: always at a file and 1-based line.
    public const string MalformedCsv = "CDP3015";
    public const string RaggedRow = "CDP3016";
    public const string BadHeader = "CDP3017";
    public const string KeyColumnMissing = "CDP3018";
    public const string SchemaDrift = "CDP3019";
    public const string NotUtf8Text = "CDP3020";
    /// <summary>Warning: a data file with no bytes at all loads nothing and leaves its table as it was.</summary>
    public const string EmptyDataFile = "CDP3021";

    // The user's environment: always naming the path.
    public const string WarehouseNotAFolder = "CDP3022";
    public const string WarehouseNotWritable = "CDP3023";
    public const string WarehouseFileCorrupt = "CDP3024";
    public const string DiskFull = "CDP3025";

    // Parquet files (Format="parquet"): named by file; a Parquet file has no lines.
    public const string BadParquetFile = "CDP3026";
    public const string ParquetTypeChanged = "CDP3027";
    public const string BadParquetValue = "CDP3028";

    /// <summary>CDP52xx: warnings from the Local engine about how the pipeline would behave on TD.</summary>
    public const string MergeIterationsTooLow = "CDP5200";
}
