using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>
/// ingestion/: per source a historical and/or incremental workflow of td_load> tasks, each followed by a
/// row in ingestion_log, and one Embulk-style load config per object and load kind.
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
            // Historical before incremental, as TD's plugin orders them, so a first run has both sides for hist-union.
            if (source.LoadsHistorical)
                AddWorkflow(spec, source, objects, historical: true, files, workflows);
            if (source.LoadsIncremental)
                AddWorkflow(spec, source, objects, historical: false, files, workflows);
        }
        return (files, workflows);
    }

    static void AddWorkflow(PipelineSpec spec, SourceSpec source, List<ObjectSpec> objects, bool historical, List<GeneratedFile> files, List<string> workflows)
    {
        var workflow = $"{source.Name}_ingest_{(historical ? "hist" : "inc")}";
        var dig = new YamlText().Line(YamlText.Header).Line("timezone: UTC").Line();
        foreach (var line in WorkflowGenerator.TdExport(spec, source.Database)) dig.Line(line);
        dig.Line(1, "source_name: " + YamlText.Str(source.Name)).Line();
        dig.Line("+create_database:").Line(1, "td_ddl>:").Line(1, "create_databases: " + YamlText.List([source.Database])).Line();

        foreach (var o in objects)
        {
            var table = historical ? o.HistTable : o.Table;
            var config = $"config/{source.Name}_{o.Name}{(historical ? "_hist" : "")}_load.yml";
            files.Add(new GeneratedFile(config, LoadConfig(source, o, historical)));
            dig.Line($"+load_{o.Name}:")
                .Line(1, "_export:")
                .Line(2, "object_name: " + YamlText.Str(o.Name))
                .Line(2, "table_name: " + YamlText.Str(table))
                .Line(1, "+load:")
                .Line(2, "td_load>: " + config)
                .Line(2, "database: " + YamlText.Str(source.Database))
                .Line(2, "table: " + YamlText.Str(table))
                .Line(1, "+log:")
                .Line(2, "td>: " + LogQuery)
                .Line(2, "database: " + YamlText.Str(source.Database))
                .Line(2, "insert_into: " + LogTable)
                .Line();
        }
        files.Add(new GeneratedFile(workflow + ".dig", dig.ToString().TrimEnd('\n') + "\n"));
        workflows.Add(workflow);
    }

    /// <summary>Embulk/TD data-connector shape; file paths are relative to the .cdpproj folder.</summary>
    static string LoadConfig(SourceSpec source, ObjectSpec o, bool historical)
    {
        var y = new YamlText().Line(YamlText.Header).Line("in:");
        var location = (historical ? o.HistoricalLocation : o.Location).Replace('\\', '/');
        y.Line(1, "type: " + YamlText.Str(source.Connector));
        if (source.Connector == "file")
        {
            y.Line(1, "path_prefix: " + YamlText.Str(location)).Line(1, "parser:").Line(2, "type: " + o.Format);
            if (o.Format == "csv")
                y.Line(2, "charset: UTF-8").Line(2, "delimiter: ','").Line(2, "quote: '\"'")
                    .Line(2, "skip_header_lines: 1")
                    .Line(2, "# columns come from the header line");
        }
        else y.Line(1, "object: " + YamlText.Str(location));
        if (!historical)
        {
            y.Line(1, "incremental: true").Line(1, "incremental_columns: " + YamlText.List([source.IncrementalField]));
            if (source.StartDate.Length > 0) y.Line(1, "start_date: " + YamlText.Str(source.StartDate));
        }
        // History is reloaded whole; incremental loads only add what is newer than the last one.
        return y.Line("out:").Line(1, "mode: " + (historical ? "replace" : "append")).ToString();
    }

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
}
