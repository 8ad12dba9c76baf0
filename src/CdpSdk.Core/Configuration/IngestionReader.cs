using System.Globalization;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Reads CdpSource and CdpObject items.</summary>
internal static class IngestionReader
{
    static readonly Dictionary<string, LoadMode> Modes = new() { ["incremental"] = LoadMode.Incremental, ["historical"] = LoadMode.Historical, ["both"] = LoadMode.Both };
    static readonly string[] Formats = ["csv", "json", "ndjson", "parquet"];
    static readonly string[] StartDateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFF", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFK"];

    public static IReadOnlyList<SourceSpec> ReadSources(ReadContext ctx, GlobalSettings settings)
    {
        var sources = new List<SourceSpec>();
        foreach (var item in ctx.Project.ItemsOf("CdpSource"))
        {
            var name = item.Identity;
            if (!NameRules.IsTable(name))
                ctx.Error("CDP0031", $"CdpSource '{name}' is not a valid source name: use lowercase letters, digits and underscore.", item.Location);
            if (sources.Any(s => s.Name == name))
                ctx.Error("CDP0032", $"CdpSource '{name}' is declared twice.", item.Location);

            var mode = ctx.ParseChoice(item.Get("Mode"), LoadMode.Incremental, Modes, "CDP0033", $"Mode of CdpSource '{name}'", item.Location);
            var field = Or(item.Get("IncrementalField"), "updated_at");
            if (!NameRules.IsSymbol(field))
                ctx.Error("CDP0035", $"IncrementalField '{field}' of CdpSource '{name}' is not a column name.", item.Location);
            var start = item.Get("StartDate");
            if (start.Length > 0 && !DateTime.TryParseExact(start, StartDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _))
                ctx.Error("CDP0034", $"StartDate '{start}' of CdpSource '{name}' is not a date: use yyyy-MM-ddTHH:mm:ss.ffffff, e.g. 2024-01-01T00:00:00.000000.", item.Location);
            var connector = Or(item.Get("Connector"), "file").ToLowerInvariant();
            if (!NameRules.IsSymbol(connector))
                ctx.Error("CDP0036", $"Connector '{connector}' of CdpSource '{name}' is not a connector type name.", item.Location);
            if (settings.Target == TargetKind.Local && connector is not ("file" or HttpConnector))
                ctx.Error("CDP0037", $"CdpSource '{name}' uses connector '{connector}', which the Local target cannot run: use Connector=\"file\" or \"http\", or CdpTarget=TreasureData.", item.Location);
            var authEnv = item.Get("AuthHeaderEnv");
            // The setting names a variable; a value that is not a name is most likely the secret itself.
            if (authEnv.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(authEnv, "^[A-Za-z_][A-Za-z0-9_]{0,127}$"))
                ctx.Error("CDP0150", $"AuthHeaderEnv of CdpSource '{name}' must be the NAME of an environment variable holding the header value (letters, digits, underscore), not the value itself.", item.Location);
            var database = Or(item.Get("Database"), settings.SourceDatabase);
            if (!NameRules.IsDatabase(database))
                ctx.Error("CDP0018", $"Database '{database}' of CdpSource '{name}' is not a valid TD database name.", item.Location);

            sources.Add(new SourceSpec
            {
                Name = name, Connector = connector, Mode = mode, IncrementalField = field, StartDate = start, Database = database, At = item.Location,
                AuthHeaderEnv = authEnv,
            });
        }
        if (sources.Count == 0)
            ctx.Error("CDP0030", "No CdpSource item: declare at least one source, e.g. <CdpSource Include=\"shop\" Mode=\"incremental\" />.", new(ctx.Project.ProjectFile));
        return sources;
    }

    public static IReadOnlyList<ObjectSpec> ReadObjects(ReadContext ctx, GlobalSettings settings, IReadOnlyList<SourceSpec> sources)
    {
        var objects = new List<ObjectSpec>();
        foreach (var item in ctx.Project.ItemsOf("CdpObject"))
        {
            var name = item.Identity;
            var sourceName = item.Get("Source");
            var source = sources.FirstOrDefault(s => s.Name == sourceName);
            if (sourceName.Length == 0)
                ctx.Error("CDP0040", $"CdpObject '{name}' has no Source: add Source=\"<a CdpSource name>\".", item.Location);
            else if (source is null)
                ctx.Error("CDP0040", $"CdpObject '{name}' names Source '{sourceName}', which is not a CdpSource. Declared sources: {string.Join(", ", sources.Select(s => s.Name))}.", item.Location);
            if (!NameRules.IsTable(name))
                ctx.Error("CDP0044", $"CdpObject '{name}' is not a valid object name: use lowercase letters, digits and underscore.", item.Location);

            var location = item.Get("Location");
            if (location.Length == 0)
                ctx.Error("CDP0041", $"CdpObject '{name}' has no Location: give the data file (Local) or the connector's object.", item.Location);
            var histLocation = Or(item.Get("HistoricalLocation"), location);

            var table = Or(item.Get("Table"), $"{sourceName}_{name}");
            if (!NameRules.IsTable(table))
                ctx.Error("CDP0044", $"Table '{table}' of CdpObject '{name}' is not a valid table name.", item.Location);
            if (objects.Any(o => o.Table == table && (source?.Database ?? "") == sources.FirstOrDefault(s => s.Name == o.Source)?.Database))
                ctx.Error("CDP0042", $"CdpObject '{name}' loads table '{table}', which another object already loads.", item.Location);

            var key = Or(item.Get("PrimaryKey"), "id");
            if (!NameRules.IsSymbol(key))
                ctx.Error("CDP0044", $"PrimaryKey '{key}' of CdpObject '{name}' is not a column name.", item.Location);

            var format = item.Get("Format").ToLowerInvariant();
            if (format.Length == 0) format = source is { Connector: HttpConnector } ? "json" : FormatFromExtension(location);
            if (!Formats.Contains(format))
                ctx.Error("CDP0043", $"Format '{format}' of CdpObject '{name}' is not supported. Use one of: {string.Join(", ", Formats)}.", item.Location);

            if (format == "parquet" && settings.Target == TargetKind.TreasureData && source is { Connector: "file" or "s3" or "s3_v2" })
                ctx.Error("CDP0164", $"CdpObject '{name}' is a Parquet file, which TD cannot import through Connector=\"{source.Connector}\": TD's file parsers and its S3 import (v1 and v2) read CSV, TSV and JSON only. " +
                    "Convert the files to CSV or NDJSON, or import them with TD's own Amazon S3 Parquet integration (a data connector set up in TD) and name that connector's type in Connector; Parquet files load as they are on CdpTarget=Local.", item.Location);
            if (settings.Target == TargetKind.Local && source is { Connector: "file" } && location.Length > 0)
            {
                if (source.LoadsIncremental) RequireFile(ctx, settings, name, location, item.Location);
                // A historical-only source reads only histLocation, which is Location when not given.
                if (source.LoadsHistorical && (histLocation != location || !source.LoadsIncremental)) RequireFile(ctx, settings, name, histLocation, item.Location);
            }
            var paging = HttpPaging.None;
            if (source is { Connector: HttpConnector })
            {
                paging = new HttpPaging(item.Get("RecordsPath"), item.Get("NextPagePath"), item.Get("CursorParameter"));
                foreach (var url in new[] { location, histLocation }.Distinct().Where(u => u.Length > 0 && !IsHttpUrl(u)))
                    ctx.Error("CDP0151", $"Location '{url}' of CdpObject '{name}' must be an http(s) URL: its source uses Connector=\"http\".", item.Location);
                if (format != "json")
                    ctx.Error("CDP0152", $"CdpObject '{name}' reads a JSON API (Connector=\"http\"): leave Format empty or set it to json.", item.Location);
            }
            // Reported above (CDP0040); kept out of the spec so nothing later looks up a source that is not there.
            if (source is null) continue;
            objects.Add(new ObjectSpec
            {
                Name = name, Source = sourceName, Location = location, HistoricalLocation = histLocation, Format = format, Table = table, PrimaryKey = key,
                At = item.Location,
                Paging = paging,
                Csv = ReadCsvFormat(ctx, item, name, format),
                AcceptNewColumns = ctx.ParseChoice(item.Get("AcceptNewColumns"), false, Booleans, "CDP0160", $"AcceptNewColumns of CdpObject '{name}'", item.Location),
            });
        }
        foreach (var source in sources.Where(s => objects.All(o => o.Source != s.Name)))
            ctx.Error("CDP0046", $"CdpSource '{source.Name}' has no CdpObject: add <CdpObject Include=\"…\" Source=\"{source.Name}\" Location=\"…\" />.", source.At);
        return objects;
    }

    static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    /// <summary>Delimiter and Quote: one character (or tab); Encoding: a character set .NET and TD both know.</summary>
    static CsvFormat ReadCsvFormat(ReadContext ctx, RawItem item, string name, string format)
    {
        var (delimiter, quote, charset) = (item.Get("Delimiter"), item.Get("Quote"), item.Get("Encoding"));
        if (format != "csv" && (delimiter + quote + charset).Length > 0)
            ctx.Error("CDP0161", $"Delimiter, Quote and Encoding of CdpObject '{name}' apply to CSV files; its Format is {format}.", item.Location);
        delimiter = delimiter is "tab" or "\\t" ? "\t" : delimiter;
        foreach (var (setting, value) in new[] { ("Delimiter", delimiter), ("Quote", quote) })
            if (value.Length > 1 || (value.Length == 1 && char.IsLetterOrDigit(value[0])))
                ctx.Error("CDP0161", $"{setting} '{value}' of CdpObject '{name}' must be one character that is not a letter or digit (Delimiter also takes 'tab').", item.Location);
        if (delimiter.Length == 1 && delimiter == quote)
            ctx.Error("CDP0161", $"Delimiter and Quote of CdpObject '{name}' are both '{delimiter}'.", item.Location);
        if (charset.Length > 0 && !CsvCharsets.IsKnown(charset))
            ctx.Error("CDP0162", $"Encoding '{charset}' of CdpObject '{name}' is not a character set the SDK knows: use one of {string.Join(", ", CsvCharsets.Names)}.", item.Location);
        var columns = item.Get("Columns").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length > 0 && format != "csv")
            ctx.Error("CDP0163", $"Columns of CdpObject '{name}' names the columns of a CSV file without a header line; its Format is {format}.", item.Location);
        foreach (var bad in columns.Where(c => !NameRules.IsSymbol(c)))
            ctx.Error("CDP0163", $"Columns of CdpObject '{name}' names '{bad}', which is not a column name (letters, digits, underscore).", item.Location);
        foreach (var twice in columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            ctx.Error("CDP0163", $"Columns of CdpObject '{name}' names '{twice.Key}' twice.", item.Location);
        return new CsvFormat(delimiter.Length > 0 ? delimiter : ",", quote.Length > 0 ? quote : "\"", CsvCharsets.IsKnown(charset) ? CsvCharsets.Canonical(charset) : "UTF-8")
        {
            Columns = columns,
        };
    }

    static void RequireFile(ReadContext ctx, GlobalSettings settings, string name, string location, Diagnostics.SourceLocation at)
    {
        if (!File.Exists(Path.Combine(settings.ProjectDirectory, location)))
            ctx.Error("CDP0045", $"The data file '{location}' of CdpObject '{name}' does not exist (paths are relative to the project folder).", at);
    }

    static string FormatFromExtension(string location) => Path.GetExtension(location).ToLowerInvariant() switch
    {
        ".json" => "json",
        ".ndjson" or ".jsonl" => "ndjson",
        ".parquet" => "parquet",
        _ => "csv",
    };

    static bool IsHttpUrl(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>JSON APIs over HTTP, paged; runs on the Local target (TD uses its own connectors).</summary>
    public const string HttpConnector = "http";

    static string Or(string value, string fallback) => value.Length == 0 ? fallback : value;
}
