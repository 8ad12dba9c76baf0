using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>
/// ingestion/: per source config/{source}_datasources.yml, a historical and/or incremental workflow of
/// td_load> tasks (each followed by a row in ingestion_log), and one td_load> config per object and load
/// kind. One function per file kind, so a new connector adds functions rather than branches.
/// </summary>
internal static class IngestionGenerator
{
    public const string LogTable = "ingestion_log";
    const string LogQuery = "queries/ingestion_log.sql";

    public static (List<GeneratedFile>, List<string>) Generate(PipelineSpec spec, ISqlDialect sql)
    {
        var files = new List<GeneratedFile> { new(LogQuery, LogSql(sql)) };
        var workflows = new List<string>();
        foreach (var source in spec.Sources)
        {
            var objects = spec.Objects.Where(o => o.Source == source.Name).ToList();
            files.Add(new GeneratedFile(DatasourcesPath(source), DatasourcesYml(source, objects)));
            // Historical before incremental, as TD's plugin orders them, so a first run has both sides for hist-union.
            foreach (var historical in LoadKinds(source))
            {
                foreach (var o in objects)
                    files.Add(new GeneratedFile(LoadConfigPath(source, o, historical), LoadConfig(source, o, historical)));
                var workflow = WorkflowName(source, historical);
                files.Add(new GeneratedFile(workflow + ".dig", IngestWorkflow(spec, source, objects, historical)));
                workflows.Add(workflow);
            }
        }
        return (files, workflows);
    }

    static IEnumerable<bool> LoadKinds(SourceSpec source)
    {
        if (source.LoadsHistorical) yield return true;
        if (source.LoadsIncremental) yield return false;
    }

    static string WorkflowName(SourceSpec source, bool historical) => $"{source.Name}_ingest_{(historical ? "hist" : "inc")}";

    static string DatasourcesPath(SourceSpec source) => $"config/{source.Name}_datasources.yml";

    static string LoadConfigPath(SourceSpec source, ObjectSpec o, bool historical) =>
        $"config/{source.Name}_{o.Name}{(historical ? "_hist" : "")}_load.yml";

    /// <summary>
    /// {source}_ingest_inc.dig / _hist.dig. Only the incremental workflow is scheduled: the historical
    /// backfill runs once. The datasources file is exported, so ${source_name} and friends come from it.
    /// </summary>
    static string IngestWorkflow(PipelineSpec spec, SourceSpec source, List<ObjectSpec> objects, bool historical)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Ingestion, source.Database, scheduled: !historical, [DatasourcesPath(source)]);
        dig.Map(0, "+create_database").Map(1, "td_ddl>").Pair(1, "create_databases", YamlValue.List([source.Database])).Blank();
        foreach (var o in objects)
        {
            var table = historical ? o.HistTable : o.Table;
            dig.Map(0, $"+load_{o.Name}")
                .Map(1, "_export")
                .Pair(2, "object_name", o.Name)
                .Pair(2, "table_name", table)
                .Map(1, "+load")
                .Pair(2, "td_load>", LoadConfigPath(source, o, historical))
                .Pair(2, "database", source.Database)
                .Pair(2, "table", table)
                .Map(1, "+log")
                .Pair(2, "td>", LogQuery)
                .Pair(2, "database", source.Database)
                .Pair(2, "insert_into", LogTable)
                .Blank();
        }
        return dig.End();
    }

    /// <summary>
    /// config/{source}_datasources.yml: what TD's ingestion plugin keeps per source — the connector, mode,
    /// incremental field and start date, and every object with its tables and load configs.
    /// </summary>
    static string DatasourcesYml(SourceSpec source, List<ObjectSpec> objects)
    {
        var y = YamlText.Generated()
            .Pair(0, "source_name", source.Name)
            .Pair(0, "connector", source.Connector)
            .Pair(0, "mode", source.Mode.ToTd())
            .Pair(0, "incremental_field", source.IncrementalField)
            .Pair(0, "start_date", source.StartDate)
            .Pair(0, "target_database", source.Database)
            .Map(0, "objects");
        foreach (var o in objects)
        {
            y.Item(1, "name", o.Name)
                .Pair(2, "format", o.Format)
                .Pair(2, "primary_key", o.PrimaryKey);
            if (o.AcceptNewColumns) y.Pair(2, "accept_new_columns", true);
            if (source.LoadsIncremental)
                y.Pair(2, "table", o.Table).Pair(2, "location", Slashes(o.Location))
                    .Pair(2, "load_config", LoadConfigPath(source, o, historical: false));
            if (source.LoadsHistorical)
                y.Pair(2, "hist_table", o.HistTable).Pair(2, "hist_location", Slashes(o.HistoricalLocation))
                    .Pair(2, "hist_load_config", LoadConfigPath(source, o, historical: true));
        }
        return y.ToString();
    }

    /// <summary>
    /// config/{source}_{object}[_hist]_load.yml, a td_load> config (Embulk/TD data-connector shape); file
    /// paths are relative to the .cdpproj folder. History is reloaded whole; incremental loads only add rows
    /// newer than the last load (by the incremental field, never older than the start date).
    /// </summary>
    static string LoadConfig(SourceSpec source, ObjectSpec o, bool historical)
    {
        var y = YamlText.Generated().Map(0, "in");
        var location = Slashes(historical ? o.HistoricalLocation : o.Location);
        y.Pair(1, "type", source.Connector);
        if (source.Connector == "file")
        {
            y.Pair(1, "path_prefix", location).Map(1, "parser").Pair(2, "type", o.Format);
            if (o.Format == "csv")
            {
                y.Pair(2, "charset", o.Csv.Charset).Pair(2, "delimiter", o.Csv.Delimiter).Pair(2, "quote", o.Csv.Quote);
                if (o.Csv.Columns.Count == 0)
                    y.Pair(2, "skip_header_lines", 1).Comment(2, "columns come from the header line");
                else
                {
                    // A file without a header line: every line is data, the columns are the CdpObject's Columns.
                    y.Pair(2, "skip_header_lines", 0).Map(2, "columns");
                    foreach (var c in o.Csv.Columns) y.Item(3, "name", c).Pair(4, "type", "string");
                }
            }
            // Only the Local target loads it: on TD a Parquet file source is refused at configuration (CDP0164).
            else if (o.Format == "parquet") y.Comment(2, "columns and types come from the file's Parquet schema");
        }
        else if (source.Connector == Configuration.IngestionReader.HttpConnector) HttpInput(y, source, o, location);
        else y.Pair(1, "object", location);
        if (!historical)
        {
            y.Pair(1, "incremental", true).Pair(1, "incremental_columns", YamlValue.List([source.IncrementalField]));
            if (source.StartDate.Length > 0) y.Pair(1, "start_date", source.StartDate);
        }
        return y.Map(0, "out").Pair(1, "mode", historical ? "replace" : "append").ToString();
    }

    /// <summary>A paged JSON API (Local target): the auth header is named by its environment variable, never written.</summary>
    static void HttpInput(YamlText y, SourceSpec source, ObjectSpec o, string url)
    {
        y.Pair(1, "url", url);
        if (o.Paging.RecordsPath.Length > 0) y.Pair(1, "records_path", o.Paging.RecordsPath);
        if (o.Paging.NextPath.Length > 0) y.Pair(1, "next_page_path", o.Paging.NextPath);
        if (o.Paging.CursorParameter.Length > 0) y.Pair(1, "cursor_parameter", o.Paging.CursorParameter);
        if (source.AuthHeaderEnv.Length > 0) y.Pair(1, "auth_header_env", source.AuthHeaderEnv);
        y.Map(1, "parser").Pair(2, "type", "json");
    }

    /// <summary>queries/ingestion_log.sql: one row per load; records_loaded is what the td_load> task before it reported.</summary>
    static string LogSql(ISqlDialect sql) =>
        WorkflowGenerator.SqlHeader + "\n" +
        "-- One row per load; records_loaded is what the td_load> task before it reported.\n" +
        "SELECT\n" +
        $"  '${{source_name}}' AS {sql.Quote("source_name")},\n" +
        $"  '${{object_name}}' AS {sql.Quote("object_name")},\n" +
        $"  '${{table_name}}' AS {sql.Quote("table_name")},\n" +
        $"  'success' AS {sql.Quote("status")},\n" +
        $"  ${{td.last_job.num_records}} AS {sql.Quote("records_loaded")},\n" +
        $"  ${{session_unixtime}} AS {sql.Quote("time")}\n";

    static string Slashes(string path) => path.Replace('\\', '/');
}
