using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Loading;
using CdpSdk.Local.State;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

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
        using var lease = call.Run.Warehouse.Borrow(database);
        var connection = lease.Connection;
        if (Text(input, "incremental") == "true")
        {
            var column = ((input.GetValueOrDefault("incremental_columns") as List<object?>)?.FirstOrDefault() is { } named ? Template.Render(named) : null)
                ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath} sets incremental: true but no incremental_columns.");
            // A watermark for a table that is gone (warehouse file deleted) would skip every row.
            var watermark = Sql.TableExists(connection, database, table) ? Watermarks.Get(connection, database, table, column) : null;
            filter = new IncrementalFilter(column, Text(input, "start_date"), watermark);
        }

        var required = RequiredColumns(call, filter?.Column);
        var acceptNewColumns = ObjectEntry(call) is { } entry && Text(entry, "accept_new_columns") == "true";

        // Files DuckDB's reader can read are staged first, outside the transaction (see CsvStaging).
        var staged = inputs.Select((input, i) => input.Source is { IsEmpty: false } file && file.TryStage(connection, $"_cdp_file_{i}") ? $"_cdp_file_{i}" : null).ToList();

        // One transaction for every file, the watermark and the finished mark: a load is all or nothing,
        // so an interrupted run that loads again neither loses nor duplicates rows, and a file found
        // malformed halfway leaves nothing of itself (or of the files before it) behind.
        long loaded = 0;
        using var tx = connection.BeginTransaction();
        var first = true;
        foreach (var ((label, source, columns, read), stagedAs) in inputs.Zip(staged))
        {
            if (source?.IsEmpty == true)
            {
                // No header to check the table against: more likely an export that failed than an intent to
                // empty the table, so even a replace load leaves it as it was.
                call.Run.Log.Report(Diagnostic.Warning(LocalErrors.EmptyDataFile,
                    $"Data file {label} is empty (0 bytes, not even a header line); nothing was loaded from it and {database}.{table} was left as it was ({call.Where}).",
                    new SourceLocation(label)));
                call.Info($"skipped {label}: empty file");
                continue;
            }
            if (source is not null) CheckHeader(label, columns, required);
            if (stagedAs is not null)
            {
                loaded += Translated(call, label, database, table, () => TableLoader.LoadStaged(connection, database, table, label, columns, stagedAs, filter, replace && first, acceptNewColumns));
                first = false;
                call.Info($"read {label}");
                continue;
            }
            var checkedRecords = source is null || columns.Count > 0 ? read() : read().Select(r => CheckRecord(label, r, required));
            var records = filter is null ? checkedRecords : checkedRecords.Where(filter.Accept);
            loaded += Translated(call, label, database, table, () => TableLoader.Load(connection, database, table, label, columns, records, replace && first, acceptNewColumns, source?.DeclaredTypes));
            first = false;
            call.Info($"read {label}");
        }
        if (filter?.Highest is { } highest) Watermarks.Set(connection, database, table, filter.Column, highest);
        if (filter is not null)
            call.Info($"incremental on {filter.Column}: skipped {filter.SkippedOld} already-loaded or too old, {filter.SkippedWithoutValue} without a value; watermark {filter.Highest ?? "(none)"}");
        call.Info($"{loaded} records {(replace ? "replaced" : "appended to")} {database}.{table}");
        call.Run.JobCounter++;
        call.Store("td.last_job_id", $"local-{call.Run.JobCounter}");
        call.Store("td.last_job.num_records", loaded);
        call.MarkFinished(connection);
        tx.Commit();
    }

    /// <summary>A warehouse failure while loading as a coded error naming the file.</summary>
    static long Translated(OperatorCall call, string label, string database, string table, Func<long> load)
    {
        try
        {
            return load();
        }
        catch (DuckDBException e)
        {
            throw WarehouseFailures.Translate(e, call.Run.Warehouse.File)
                ?? new CdpException(LocalErrors.SqlFailed, $"Loading {label} into {database}.{table} ({call.Where}) failed: {DuckDbWarehouse.FirstLine(e)}");
        }
    }

    /// <summary>One input of a load: what to call it in the log, the file it reads (null for HTTP), the columns known up front, and its records.</summary>
    sealed record Input(string Label, RecordSource? Source, IReadOnlyList<string> Columns, Func<IEnumerable<Record>> Read);

    /// <summary>
    /// The columns every record must have: the object's primary key (from the datasources config the workflow
    /// exports) and the incremental field. Without them rows would load with a NULL key, or all be skipped
    /// as having no cursor value, and the load would still look successful.
    /// </summary>
    /// <summary>The object's entry in the source's datasources config (its primary key, accept_new_columns).</summary>
    static OrderedDictionary<string, object?>? ObjectEntry(OperatorCall call)
    {
        var (_, name) = call.Runner.Lookup(call.Scope, "object_name", call.TaskName);
        var (_, objects) = call.Runner.Lookup(call.Scope, "objects", call.TaskName);
        return name is string objectName && objects is List<object?> list
            ? list.OfType<OrderedDictionary<string, object?>>().FirstOrDefault(o => Text(o, "name") == objectName)
            : null;
    }

    static List<string> RequiredColumns(OperatorCall call, string? incrementalColumn)
    {
        var required = new List<string>();
        if (ObjectEntry(call) is { } entry && Text(entry, "primary_key") is { Length: > 0 } key) required.Add(key);
        var (_, field) = call.Runner.Lookup(call.Scope, "incremental_field", call.TaskName);
        if ((incrementalColumn ?? (field is null ? null : Template.Render(field))) is { Length: > 0 } cursor && !required.Contains(cursor)) required.Add(cursor);
        return required;
    }

    static void CheckHeader(string label, IReadOnlyList<string> columns, List<string> required)
    {
        if (columns.Count == 0) return;
        var missing = required.Where(r => !columns.Contains(r, StringComparer.Ordinal)).ToList();
        if (missing.Count == 0) return;
        var near = missing.Select(m => columns.FirstOrDefault(c => Squash(c) == Squash(m)) is { } c ? $" ('{c}' looks like '{m}': rename it)" : "");
        throw DataFileError.At(LocalErrors.KeyColumnMissing, label, 1, 0,
            $"the header has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}{string.Concat(near)}, which the object needs as its primary key or incremental field; the header has {string.Join(", ", columns)}");
    }

    static Record CheckRecord(string label, Record record, List<string> required)
    {
        foreach (var column in required)
            if (Array.IndexOf(record.Names, column) < 0)
                throw DataFileError.At(LocalErrors.KeyColumnMissing, label, record.Line, 0,
                    $"a record has no '{column}', which the object needs as its primary key or incremental field; it has {string.Join(", ", record.Names)}");
        return record;
    }

    static string Squash(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    static List<Input> FileInputs(OperatorCall call, OrderedDictionary<string, object?> input, string configPath)
    {
        var prefix = Text(input, "path_prefix") ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath} has no in.path_prefix.");
        var format = Text(Section(input, "parser"), "type") ?? "csv";
        var parser = Section(input, "parser");
        var dialect = new CsvDialect(Single(parser, "delimiter", ',', configPath), Single(parser, "quote", '"', configPath), Text(parser, "charset") ?? "UTF-8")
        {
            // skip_header_lines: 0 with parser columns: a file without a header line, every line data.
            Columns = Text(parser, "skip_header_lines") == "0" && parser.GetValueOrDefault("columns") is List<object?> named
                ? named.OfType<OrderedDictionary<string, object?>>().Select(c => Text(c, "name")).OfType<string>().ToList()
                : [],
        };
        return DataFiles(call, prefix, configPath).Select(file =>
        {
            var label = Path.GetRelativePath(call.Run.DataRoot, file).Replace('\\', '/');
            var source = RecordSource.Open(file, label, format, dialect);
            return new Input(label, source, source.Columns, source.Read);
        }).ToList();
    }

    static Input HttpInput(OperatorCall call, OrderedDictionary<string, object?> input, string configPath)
    {
        var url = Text(input, "url") ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath} has no in.url.");
        var source = new HttpJsonSource(url, Text(input, "records_path") ?? "", Text(input, "next_page_path") ?? "", Text(input, "cursor_parameter") ?? "",
            Text(input, "auth_header_env"), call.Where);
        return new Input(new Uri(url).GetLeftPart(UriPartial.Path), null, [], source.Read);
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

    static char Single(OrderedDictionary<string, object?> parser, string key, char fallback, string configPath) => Text(parser, key) switch
    {
        null or "" => fallback,
        { Length: 1 } one when one[0] < 128 => one[0],
        "\\t" => '\t',
        var other => throw new CdpException(LocalErrors.BadTaskParameter, $"{configPath}: parser {key} '{other}' must be one ASCII character."),
    };
}
