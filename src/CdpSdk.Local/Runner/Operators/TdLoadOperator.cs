using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Loading;
using CdpSdk.Local.State;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>
/// td_load>: runs an Embulk-style load config of type file against the data folder (the .cdpproj's).
/// Incremental loads keep a watermark in the system database so a rerun adds no duplicate rows.
/// Stores td.last_job.num_records, which the ingestion_log task after it records.
/// </summary>
internal sealed class TdLoadOperator : IOperator
{
    public string Name => "td_load";

    public void Run(OperatorCall call)
    {
        var configPath = call.Run.Files.Resolve(call.File, call.Required("td_load>", call.CommandText.Trim()));
        var raw = DigdagYaml.Load(call.Run.Files, configPath);
        var config = (OrderedDictionary<string, object?>)Template.ExpandTree(raw, e => call.Runner.Lookup(call.Scope, e, call.TaskName), configPath)!;
        var input = Section(config, "in");
        var output = Section(config, "out");
        var database = call.Required("database", call.ParamOrExported("database", "td.database"));
        var table = call.Required("table", call.Param("table"));

        var type = Text(input, "type") ?? "";
        var inputs = type switch
        {
            "file" => FileInputs(call, input, configPath),
            "http" => [HttpInput(call, input, configPath)],
            _ => throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where}: connector type '{type}' in {configPath} cannot run on the Local target, which loads files (type: file) and JSON APIs (type: http)."),
        };
        var replace = (Text(output, "mode") ?? "append") == "replace";

        IncrementalFilter? filter = null;
        using var connection = call.Run.Warehouse.OpenForTask(database);
        if (Text(input, "incremental") == "true")
        {
            var column = ((input.GetValueOrDefault("incremental_columns") as List<object?>)?.FirstOrDefault() is { } named ? Template.Render(named) : null)
                ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath} sets incremental: true but no incremental_columns.");
            // A watermark for a table that is gone (warehouse file deleted) would skip every row.
            var watermark = Warehouse.Sql.TableExists(connection, database, table) ? Watermarks.Get(connection, database, table, column) : null;
            filter = new IncrementalFilter(column, Text(input, "start_date"), watermark);
        }

        // One transaction for every file, the watermark and the finished mark: a load is all or nothing,
        // so an interrupted run that loads again neither loses nor duplicates rows.
        long loaded = 0;
        using var tx = connection.BeginTransaction();
        var first = true;
        foreach (var (label, columns, read) in inputs)
        {
            var records = filter is null ? read() : read().Where(filter.Accept);
            try
            {
                loaded += TableLoader.Load(connection, tx, database, table, columns, records, replace && first);
            }
            catch (SqliteException e)
            {
                throw new CdpException(LocalErrors.SqlFailed, $"Loading {label} into {database}.{table} ({call.Where}) failed: {e.Message}");
            }
            catch (CsvHelper.CsvFormatException e)
            {
                throw new CdpException(LocalErrors.BadDataFile, $"Data file '{label}' ({call.Where}) is not valid CSV: {e.Message}");
            }
            first = false;
            call.Info($"read {label}");
        }
        if (filter?.Highest is { } highest) Watermarks.Set(connection, tx, database, table, filter.Column, highest);
        if (filter is not null)
            call.Info($"incremental on {filter.Column}: skipped {filter.SkippedOld} already-loaded or too old, {filter.SkippedWithoutValue} without a value; watermark {filter.Highest ?? "(none)"}");
        call.Info($"{loaded} records {(replace ? "replaced" : "appended to")} {database}.{table}");
        call.Run.JobCounter++;
        call.Store("td.last_job_id", $"local-{call.Run.JobCounter}");
        call.Store("td.last_job.num_records", loaded);
        call.MarkFinished(connection, tx);
        tx.Commit();
    }

    /// <summary>One input of a load: what to call it in the log, the columns known up front, and its records.</summary>
    sealed record Input(string Label, IReadOnlyList<string> Columns, Func<IEnumerable<Record>> Read);

    static List<Input> FileInputs(OperatorCall call, OrderedDictionary<string, object?> input, string configPath)
    {
        var prefix = Text(input, "path_prefix") ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath} has no in.path_prefix.");
        var format = Text(Section(input, "parser"), "type") ?? "csv";
        return DataFiles(call, prefix, configPath).Select(file =>
        {
            var source = RecordSource.Open(file, format);
            return new Input(Path.GetRelativePath(call.Run.DataRoot, file).Replace('\\', '/'), source.Columns, source.Read);
        }).ToList();
    }

    static Input HttpInput(OperatorCall call, OrderedDictionary<string, object?> input, string configPath)
    {
        var url = Text(input, "url") ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath} has no in.url.");
        var source = new HttpJsonSource(url, Text(input, "records_path") ?? "", Text(input, "next_page_path") ?? "", Text(input, "cursor_parameter") ?? "",
            Text(input, "auth_header_env"), call.Where);
        return new Input(new Uri(url).GetLeftPart(UriPartial.Path), [], source.Read);
    }

    /// <summary>Embulk's path_prefix: the file itself, or every file whose path starts with it, in name order.</summary>
    static List<string> DataFiles(OperatorCall call, string prefix, string configPath)
    {
        var full = Path.GetFullPath(Path.Combine(call.Run.DataRoot, prefix));
        if (File.Exists(full)) return [full];
        var dir = Path.GetDirectoryName(full)!;
        var matches = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Where(f => f.StartsWith(full, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (matches.Count == 0)
            throw new CdpException(LocalErrors.DataFileMissing, $"The data file '{prefix}' of {configPath} ({call.Where}) does not exist under {call.Run.DataRoot} (paths are relative to the .cdpproj folder).");
        return matches;
    }

    static OrderedDictionary<string, object?> Section(OrderedDictionary<string, object?> map, string key) =>
        map.GetValueOrDefault(key) as OrderedDictionary<string, object?> ?? new(StringComparer.Ordinal);

    static string? Text(OrderedDictionary<string, object?> map, string key) => map.GetValueOrDefault(key) is { } v ? Template.Render(v) : null;
}
