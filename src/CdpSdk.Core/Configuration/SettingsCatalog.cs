namespace CdpSdk.Core.Configuration;

/// <summary>One public MSBuild property of the SDK.</summary>
/// <param name="Scope">Which phase's resolved configuration it belongs to ("Global", a phase name, or "Runtime" for settings that change how a build runs, not what it produces).</param>
public sealed record PropertySetting(string Name, string Description, string Default, IReadOnlyList<string> AllowedValues, string Scope);

/// <summary>One metadata of a public item type.</summary>
public sealed record MetadataSetting(string Name, string Description, string Default, IReadOnlyList<string> AllowedValues, bool Required = false);

/// <summary>One public item type of the SDK and its metadata.</summary>
public sealed record ItemSetting(string Name, string Description, string IncludeMeaning, IReadOnlyList<MetadataSetting> Metadata);

/// <summary>
/// The single list of every Cdp property and item. Validation, the IntelliSense schemas and the SDK
/// README table are all checked against it, so the words stay the same everywhere.
/// </summary>
public static class SettingsCatalog
{
    static readonly string[] None = [];

    public static readonly IReadOnlyList<PropertySetting> Properties =
    [
        new("CdpClient", "Client name: prefixes the databases ({client}_src, {client}_stg) and workflow projects. Lowercase letters, digits and underscore, starting with a letter.", "(required)", None, "Global"),
        new("CdpTarget", "Where the pipeline runs: Local (embedded DuckDB warehouse running the Presto SQL) or TreasureData.", "Local", ["Local", "TreasureData"], "Global"),
        new("CdpRegion", "Treasure Data region whose API hosts are used.", "us", ["us", "eu01", "tokyo", "ap02"], "Global"),
        new("CdpEndpoint", "One base URL for all Treasure Data APIs (v3, workflow, unification), e.g. a proxy or http://127.0.0.1:port. Overrides CdpRegion.", "", None, "Global"),
        new("CdpApiEndpoint", "Base URL of the TD v3 API only. Overrides CdpEndpoint and CdpRegion for that API.", "", None, "Global"),
        new("CdpWorkflowEndpoint", "Base URL of the TD Workflow API only. Overrides CdpEndpoint and CdpRegion for that API.", "", None, "Global"),
        new("CdpUnificationEndpoint", "Base URL of the TD CDP unification API only. Overrides CdpEndpoint and CdpRegion for that API.", "", None, "Global"),
        new("CdpSqlEngine", "SQL engine of the generated Treasure Data workflows: presto or hive. The Local target always runs the Presto rendering (on DuckDB); with hive, a CdpStaging TransformSql needs its Hive version too (TransformHiveSql). Checks are Presto queries on both.", "presto", ["presto", "hive"], "Global"),
        new("CdpMode", "How a failure with a diagnosed fix is handled: HumanInLoop stops the build with the diagnosis, the proposed fix and the -p:CdpApprove switch that applies it; Autonomous applies fixes whose confidence reaches CdpAutoFixMinConfidence and stops otherwise.", "HumanInLoop", ["HumanInLoop", "Autonomous"], "Runtime"),
        new("CdpAutoFixMinConfidence", "Autonomous mode: the least confidence (0 to 1) a diagnosis needs for its fix to be applied without approval.", "0.8", None, "Runtime"),
        new("CdpApprove", "Diagnosis codes (CDP61xx, separated by ;) whose proposed fix this build may apply, as printed by a stopped build, e.g. -p:CdpApprove=CDP6104. The fix is backed up, applied and the phase resumes where it stopped.", "", None, "Runtime"),
        new("CdpStepMaxAttempts", "Runs of a step in all, counting the first, when it fails with a transient error (service unavailable, rate limit, lost connection).", "3", None, "Runtime"),
        new("CdpStepRetryDelay", "Seconds before the first retry of a failed step; each later retry waits CdpStepRetryMultiplier times longer, with jitter.", "5", None, "Runtime"),
        new("CdpStepRetryMultiplier", "How many times longer each retry of a step waits than the one before.", "2", None, "Runtime"),
        new("CdpHandEditedFiles", "A generated workflow file edited by hand: Ask (HumanInLoop stops with CDP6111; Autonomous regenerates), Keep (deploy the edited file, warn), or Regenerate (back it up, then overwrite it).", "Ask", ["Ask", "Keep", "Regenerate"], "Runtime"),
        new("CdpSkipFailedPhase", "Phases (separated by ;) whose failure the pipeline may go past: a failed phase named here is marked Skipped in the state and the report, and the phases after it run with a warning.", "", None, "Runtime"),
        new("CdpBackup", "The CdpRestore target: the id of the backup to put back (obj/cdp/backups/<id>); empty lists the backups.", "", None, "Runtime"),
        new("CdpPlanFormat", "The CdpPlan target: text prints the plan (which steps would run and why); json writes it as JSON (schema/cdp-plan.schema.json) into CdpPlanFile, or the log.", "text", ["text", "json"], "Runtime"),
        new("CdpPlanGoal", "The CdpPlan target: the last step the plan goes up to (Validate, as CdpPipeline; Generate, as 'dotnet build').", "Validate", ["Generate", "Deploy", "Execute", "Monitor", "Validate"], "Runtime"),
        new("CdpPlanFile", "The CdpPlan target with CdpPlanFormat=json: the file the plan is written to (relative to the project); empty writes it into the log.", "", None, "Runtime"),
        new("CdpPhase", "Runs a step target for one phase only: Ingestion, HistUnion, Staging or Unification. Empty means every phase in order.", "", ["Ingestion", "HistUnion", "Staging", "Unification"], "Runtime"),
        new("CdpSourceDatabase", "Database the ingestion loads into and hist-union reads from and writes to.", "{client}_src", None, "Ingestion"),
        new("CdpStagingDatabase", "Database the staging transforms write to.", "{client}_stg", None, "Staging"),
        new("CdpWarehouseDir", "Local target: folder of the DuckDB warehouse (one <client>-cdp.duckdb file, one schema per database). Outside obj/ so Clean never deletes data.", "$(MSBuildProjectDirectory)/warehouse/", None, "Global"),
        new("CdpWarehouseStorage", "Local target: how the warehouse stores text columns. Fast keeps them uncompressed (numbers are still compressed); Compact FSST-compresses them too, for a file about 2.8 times smaller, less memory and builds about a fifth slower. Tables keep the storage they were written with; any DuckDB client reads both.", "Fast", ["Fast", "Compact"], "Runtime"),
        new("CdpGeneratedDir", "Folder the generated workflow projects are written to, one sub-folder per phase.", "$(BaseIntermediateOutputPath)cdp/workflows/", None, "Global"),
        new("CdpMinIdCoverage", "Unification validation: the least percentage of enriched rows that must carry an id.", "90", None, "Unification"),
        new("CdpMonitorPollInterval", "Seconds between two status polls of a running workflow session.", "30", None, "Runtime"),
        new("CdpMonitorTimeout", "Minutes a workflow session may run before Monitor gives up.", "120", None, "Runtime"),
        new("CdpCreateMissingDatabases", "TreasureData target: create the databases a deployed project reads that do not exist yet (otherwise Deploy fails listing them).", "false", ["true", "false"], "Runtime"),
        new("CdpKillOnCancel", "TreasureData target: kill the running workflow attempt when the build is cancelled (Ctrl+C) during Execute or Monitor; otherwise it keeps running and the next build reattaches to it.", "false", ["true", "false"], "Runtime"),
        new("CdpSecretsFile", "TreasureData target: a local JSON file of project secrets ({\"key\": \"value\"}) uploaded at Deploy for the ${secret:key} references of the generated projects. Keep it out of source control. CDP_SECRET_<KEY> environment variables (dots as double underscores) take precedence.", "", None, "Runtime"),
        new("CdpHttpTimeout", "TreasureData target: seconds one HTTP request to a TD API may take.", "60", None, "Runtime"),
        new("CdpHttpMaxRetries", "TreasureData target: retries of a TD API request after a transient failure (408, 429, 5xx, connection failure).", "6", None, "Runtime"),
        new("CdpHttpRetryDelay", "TreasureData target: seconds before the first retry; each later retry waits about twice as long (with jitter), or what TD's Retry-After says.", "1", None, "Runtime"),
        new("CdpWarningsAsErrors", "Data quality: a failing CdpCheck of Severity warn fails its phase like an error.", "false", ["true", "false"], "Runtime"),
        new("CdpRunTests", "Each phase runs its CdpTest unit tests (in a scratch database, never the warehouse) before Deploy; a failing test stops the phase before its workflows run on real data. false skips them (the CdpTest target still runs them).", "true", ["true", "false"], "Runtime"),
        new("CdpReportDir", "Folder the final report (report.md, report.html) is written to.", "$(BaseOutputPath)cdp/", None, "Runtime"),
        new("CdpIngestionSchedule", "Digdag schedule: of the incremental ingestion workflows (the historical backfill runs once): daily, daily 07:30, hourly 15:00, a cron expression such as 0 7 * * *, or Digdag's form such as weekly>: Sun,09:00:00. Empty: not scheduled.", "", None, "Ingestion"),
        new("CdpHistUnionSchedule", "Digdag schedule: of the hist-union workflows, in the forms CdpIngestionSchedule accepts.", "", None, "HistUnion"),
        new("CdpStagingSchedule", "Digdag schedule: of the staging transform workflows, in the forms CdpIngestionSchedule accepts.", "", None, "Staging"),
        new("CdpUnificationSchedule", "Digdag schedule: of unif_runner.dig, in the forms CdpIngestionSchedule accepts.", "", None, "Unification"),
    ];

    public static readonly IReadOnlyList<ItemSetting> Items =
    [
        new("CdpSource", "A data source to ingest.", "Source name (lowercase letters, digits, underscore).",
        [
            new("Connector", "Connector type: file (local CSV/JSON/NDJSON/Parquet files) or http (a paged JSON API) for the Local target, or a TD data connector type (e.g. s3, shopify) for Treasure Data.", "file", None),
            new("Mode", "Load mode: incremental, historical, or both (a historical backfill, then incremental loads).", "incremental", ["incremental", "historical", "both"]),
            new("IncrementalField", "Column whose increasing value drives incremental loads and picks the latest record in hist-union.", "updated_at", None),
            new("StartDate", "Earliest incremental-field value to load, as yyyy-MM-ddTHH:mm:ss[.ffffff].", "", None),
            new("Database", "Database the source's tables are loaded into.", "$(CdpSourceDatabase)", None),
            new("AuthHeaderEnv", "Connector http: NAME of the environment variable whose value is sent as the Authorization header (the value is read at run time, never stored).", "", None),
        ]),
        new("CdpObject", "An object (table) of a source.", "Object name; several may be given separated by ';'.",
        [
            new("Source", "Name of the CdpSource the object belongs to.", "", None, Required: true),
            new("Location", "Where incremental data comes from: a file path relative to the project, or the connector's object name.", "", None, Required: true),
            new("HistoricalLocation", "Where historical (backfill) data comes from, for sources with Mode historical or both.", "$(Location)", None),
            new("Format", "File format: csv, json, ndjson or parquet (.parquet). On Treasure Data, Parquet with Connector file or s3 is CDP0164: TD's file and S3 imports read no Parquet.", "from the file extension", ["csv", "json", "ndjson", "parquet"]),
            new("Table", "Name of the loaded table.", "{source}_{object}", None),
            new("PrimaryKey", "Column identifying a record; hist-union keeps its latest version.", "id", None),
            new("Delimiter", "CSV files: the field delimiter, one character, or tab.", ",", None),
            new("Quote", "CSV files: the quote character around fields that hold the delimiter, a quote or a line break.", "\"", None),
            new("Encoding", "CSV files: the character set, as TD's parser names it: UTF-8, ISO-8859-1, windows-1252, Shift_JIS, EUC-JP or windows-31j.", "UTF-8", ["UTF-8", "ISO-8859-1", "windows-1252", "Shift_JIS", "EUC-JP", "windows-31j"]),
            new("Columns", "CSV files without a header line: the column names, comma-separated; every line of the file is then data.", "the file's header line", None),
            new("AcceptNewColumns", "Local target: a data file whose header adds columns widens the table (older rows get NULL) instead of failing with CDP3019; renamed or dropped columns still fail.", "false", ["true", "false"]),
            new("RecordsPath", "Connector http: dotted path to the records array in each JSON page (empty: the page is the array).", "", None),
            new("NextPagePath", "Connector http: dotted path to the next page's link (absolute or relative URL), or to a cursor when CursorParameter is set; paging stops when it is missing or empty.", "", None),
            new("CursorParameter", "Connector http: query parameter that sends the cursor found at NextPagePath back for the next page.", "", None),
        ]),
        new("CdpHistUnion", "Restricts hist-union to the listed ingested tables (all ingested tables when no item is given).", "Ingested table name ({source}_{object}).", []),
        new("CdpStaging", "Cleans one hist-union table into the staging database (every hist-union table is staged as is when no item is given).", "Hist-union input table name ({source}_{object}).",
        [
            new("EmailColumns", "Comma-separated email columns: trimmed and lower-cased into cleaned_<column>.", "", None),
            new("PhoneColumns", "Comma-separated phone columns: digits only into standardized_<column>.", "", None),
            new("TimestampColumns", "Comma-separated timestamp columns: parsed into standardized_<column> (ISO 8601).", "", None),
            new("Table", "Name of the staging table.", "{source}_{object}", None),
            new("TransformSql", "Path (relative to the project) of a .sql file holding one SELECT over the cleaned rows, read as 'cleaned', e.g. SELECT *, upper(country) AS country_code FROM cleaned. Its result is the staging table. Presto SQL (TD's dialect): Local, the unit tests and TD with CdpSqlEngine=presto run it.", "", None),
            new("TransformHiveSql", "With CdpSqlEngine=hive: the Hive version of TransformSql (e.g. sql/x.hive.sql), the same SELECT over 'cleaned' in Hive SQL, which TD runs; required beside TransformSql in a hive project (Local still runs the Presto file).", "", None),
        ]),
        new("CdpUnification", "An ID unification (TD's unify.yml) over staging tables.", "Unification name (a SQL symbol); its output database is cdp_unification_<name>.",
        [
            new("IdMethod", "Kind of id: persistent_id (stable across runs) or canonical_id.", "persistent_id", ["persistent_id", "canonical_id"]),
            new("UpdateStrategy", "incremental (only new records) or full (recompute everything).", "incremental", ["incremental", "full"]),
            new("IdName", "Name of the id column added to enriched tables.", "td_id", None),
            new("MergeIterations", "TD's merge_iterations (1 to 49).", "3", None),
            new("UnifyYml", "Path to an existing TD unify.yml to use as is instead of CdpUnificationKey/CdpUnificationTable items.", "", None),
        ]),
        new("CdpUnificationKey", "A key unification merges on.", "Key name (a SQL symbol), e.g. email.",
        [
            new("Unification", "Name of the CdpUnification the key belongs to (may be omitted when there is one).", "", None),
            new("ValidRegexp", "Regular expression a key value must match to count.", "", None),
            new("InvalidTexts", "Comma-separated values that never count as keys (e.g. N/A,unknown).", "", None),
        ]),
        new("CdpUnificationTable", "A staging table unification reads (by default every staging table with email or phone columns).", "Staging table name.",
        [
            new("Unification", "Name of the CdpUnification the table belongs to (may be omitted when there is one).", "", None),
            new("KeyColumns", "Comma-separated column:key pairs, e.g. cleaned_email:email,standardized_phone:phone.", "", None, Required: true),
            new("Database", "Database of the table.", "$(CdpStagingDatabase)", None),
        ]),
        new("CdpCheck", "A data-quality rule on a table a phase produces, run by that phase's Validate step (like a dbt test).", "Check name (letters, digits, underscore).",
        [
            new("Rule", "What is checked (sql when Sql is set): not_null, unique, accepted_values, relationships (every value exists in To.Field), range (Min/Max), freshness (timestamps parse, none in the future, the newest within MaxAge), completeness (at least Min percent filled), schema (the Column list exists, name:type with type string, integer or number), row_count_change (at most Max percent change against the last successful run), sql (the rows the Sql query returns).", "", ["not_null", "unique", "accepted_values", "relationships", "range", "freshness", "completeness", "schema", "row_count_change", "sql"]),
            new("Phase", "The phase whose Validate runs the check; its Table is one that phase produces.", "", ["Ingestion", "HistUnion", "Staging", "Unification"], Required: true),
            new("Table", "The checked table (a Sql check: the table the report names, optional).", "", None),
            new("Sql", "A custom check: the file (relative to the project) of one Presto SELECT returning the rows that break the rule, like a dbt singular test; counted and sampled like the built-in rules. It runs in Database, or the phase's database.", "", None),
            new("Database", "Database of the table, to check a table the phase does not list as its own.", "the phase's database of Table", None),
            new("Column", "The checked column; for schema, the required columns (name or name:type) separated by commas.", "", None),
            new("Values", "accepted_values: the allowed values, separated by commas.", "", None),
            new("To", "relationships: the referenced table, as table or database.table.", "", None),
            new("Field", "relationships: the referenced column.", "$(Column)", None),
            new("Min", "range: the least value; completeness: the least percentage of filled (non-blank) rows.", "completeness: 100", None),
            new("Max", "range: the greatest value; row_count_change: the greatest change in percent.", "row_count_change: 20", None),
            new("MaxAge", "freshness: how old the newest timestamp may be, e.g. 30m, 12h, 7d (without it only plausibility is checked).", "", None),
            new("Severity", "error stops the pipeline before the next phase; warn is reported (an error with CdpWarningsAsErrors).", "error (row_count_change: warn)", ["error", "warn"]),
        ]),
        new("CdpTest", "A unit test of a transform (like a dbt unit test): given input rows, the output Table must hold the expected rows. It runs in a scratch database on the Local engine, whatever the target, before the phase deploys.", "Test name (letters, digits, underscore).",
        [
            new("Table", "The tested output: a hist-union table ({table}_hist_union), a staging table (its cleaning and TransformSql), a unification's enriched_{table} or master table.", "", None, Required: true),
            new("Phase", "The phase that writes Table (only needed when two phases write a table of that name).", "the phase that writes Table", ["HistUnion", "Staging", "Unification"]),
            new("Given", "The input rows: inline CSV (a header line, then one row a line; an empty cell is NULL; a header cell may be name:type), or a .csv, .yml or .yaml file. A YAML mapping of table name to rows gives several inputs (hist-union's two tables, a unification's tables); inputs not given are empty.", "", None, Required: true),
            new("Expect", "The expected rows of Table, inline CSV or a .csv, .yml or .yaml file. Only its columns are compared, rows in any order; a failure lists missing, unexpected and changed rows.", "", None, Required: true),
        ]),
        new("CdpUnificationMasterAttribute", "An attribute of a unification master table (one row per id): the best value of its source columns.", "Attribute (column) name.",
        [
            new("Unification", "Name of the CdpUnification the attribute belongs to (may be omitted when there is one).", "", None),
            new("MasterTable", "Name of the master table in cdp_unification_<name>.", "{unification}_master", None),
            new("SourceColumns", "Comma-separated table.column[:priority[:first|last[:order_by]]]: the lowest priority with a valid value wins, then the first or last value by order_by.", "", None, Required: true),
            new("ArrayElements", "Keep this many distinct values (1 to 10) as a JSON array instead of one value.", "1", None),
            new("ValidRegexp", "A value counts only when it matches this regular expression.", "", None),
            new("InvalidTexts", "Comma-separated values that never count.", "", None),
        ]),
    ];

    public static PropertySetting? FindProperty(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static ItemSetting? FindItem(string name) =>
        Items.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
}
