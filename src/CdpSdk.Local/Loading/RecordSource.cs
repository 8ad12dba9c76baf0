using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;
using CsvHelper;

namespace CdpSdk.Local.Loading;

/// <summary>One input record: column names and values, in file order.</summary>
internal sealed record Record(IReadOnlyList<KeyValuePair<string, object?>> Fields)
{
    public object? this[string column] => Fields.FirstOrDefault(f => f.Key == column).Value;
}

/// <summary>
/// Streams records from a data file. <see cref="Columns"/> is known before the first record for CSV
/// (its header) so an empty file still yields a table.
/// </summary>
internal abstract partial class RecordSource
{
    public abstract IReadOnlyList<string> Columns { get; }

    public abstract IEnumerable<Record> Read();

    public static RecordSource Open(string path, string format) => format switch
    {
        "csv" => new CsvSource(path),
        "json" => new JsonArraySource(path),
        "ndjson" => new NdjsonSource(path),
        _ => throw new CdpException(LocalErrors.BadTaskParameter, $"Parser type '{format}' is not supported by the Local target; use csv, json or ndjson."),
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,17})$")]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)\.[0-9]+$")]
    private static partial Regex DecimalText();

    /// <summary>
    /// CSV text to a SQLite value the way Embulk's guess would: integers and decimals become numbers,
    /// but text with leading zeros (zip codes, ids) stays text; an empty field is NULL.
    /// </summary>
    public static object? Typed(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (IntegerText().IsMatch(text)) return long.Parse(text, CultureInfo.InvariantCulture);
        if (DecimalText().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        return text;
    }

    sealed class CsvSource : RecordSource
    {
        readonly string _path;
        readonly string[] _header;

        public CsvSource(string path)
        {
            _path = path;
            using var csv = Reader(path);
            _header = [.. csv.Headers];
        }

        public override IReadOnlyList<string> Columns => _header;

        public override IEnumerable<Record> Read()
        {
            using var csv = Reader(_path);
            while (csv.Read())
            {
                var fields = new List<KeyValuePair<string, object?>>(_header.Length);
                for (var i = 0; i < _header.Length; i++) fields.Add(new(_header[i], i < csv.FieldCount ? Typed(csv.GetString(i)) : null));
                yield return new Record(fields);
            }
        }

        // Spaces are data here: staging trims them, and the sample shows why.
        static CsvReader Reader(string path) => CsvReader.FromFile(path, new CsvReaderOptions { TrimWhitespace = false });
    }

    sealed class JsonArraySource(string path) : RecordSource
    {
        public override IReadOnlyList<string> Columns => [];

        public override IEnumerable<Record> Read()
        {
            using var stream = File.OpenRead(path);
            using var doc = Parse(path, () => JsonDocument.Parse(stream));
            var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [doc.RootElement];
            foreach (var item in items) yield return FromJson(path, item);
        }
    }

    sealed class NdjsonSource(string path) : RecordSource
    {
        public override IReadOnlyList<string> Columns => [];

        public override IEnumerable<Record> Read()
        {
            foreach (var line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
            {
                using var doc = Parse(path, () => JsonDocument.Parse(line));
                yield return FromJson(path, doc.RootElement);
            }
        }
    }

    static JsonDocument Parse(string path, Func<JsonDocument> parse)
    {
        try { return parse(); }
        catch (JsonException e) { throw new CdpException(LocalErrors.BadDataFile, $"Data file '{path}' is not valid JSON: {e.Message}"); }
    }

    internal static Record FromJson(string path, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new CdpException(LocalErrors.BadDataFile, $"Data file '{path}' must hold JSON objects, one per record.");
        return new Record(element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Number => p.Value.TryGetInt64(out var l) ? (object)l : p.Value.GetDouble(),
            JsonValueKind.True => 1L,
            JsonValueKind.False => 0L,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => p.Value.GetRawText(),
        })).ToList());
    }
}
