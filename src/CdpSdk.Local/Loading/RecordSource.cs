using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;
using CsvHelper;

namespace CdpSdk.Local.Loading;

/// <summary>
/// One input record: column names and values, in file order. Records of one CSV share one names array, so
/// the loader sees the layout is unchanged by reference, without comparing names per row.
/// </summary>
internal sealed class Record(string[] names, object?[] values)
{
    public string[] Names => names;

    public object?[] Values => values;

    public object? this[string column] => Array.IndexOf(names, column) is var i and >= 0 ? values[i] : null;
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
        // Most fields are text: only one starting like a number is worth the patterns.
        var c = text[0];
        if (c != '-' && !char.IsAsciiDigit(c)) return text;
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
                var values = new object?[_header.Length];
                for (var i = 0; i < _header.Length; i++) values[i] = i < csv.FieldCount ? Typed(csv.GetString(i)) : null;
                yield return new Record(_header, values);
            }
        }

        // Spaces are data here: staging trims them, and the sample shows why.
        static CsvReader Reader(string path) => CsvReader.FromFile(path, new CsvReaderOptions { TrimWhitespace = false });
    }

    sealed class JsonArraySource(string path) : RecordSource
    {
        public override IReadOnlyList<string> Columns => [];

        /// <summary>A top-level array is streamed element by element; a single object is one record.</summary>
        public override IEnumerable<Record> Read()
        {
            if (!StartsWithArray(path))
            {
                using var stream = File.OpenRead(path);
                using var doc = Parse(path, () => JsonDocument.Parse(stream));
                yield return FromJson(path, doc.RootElement);
                yield break;
            }
            using var array = File.OpenRead(path);
            using var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(array).ToBlockingEnumerable().GetEnumerator();
            while (true)
            {
                JsonElement item;
                try
                {
                    if (!items.MoveNext()) break;
                    item = items.Current;
                }
                catch (JsonException e) { throw new CdpException(LocalErrors.BadDataFile, $"Data file '{path}' is not valid JSON: {e.Message}"); }
                yield return FromJson(path, item);
            }
        }

        static bool StartsWithArray(string path)
        {
            using var reader = new StreamReader(path);
            int c;
            while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c)) { }
            return c == '[';
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
        var properties = element.EnumerateObject().ToList();
        return new Record(properties.Select(p => p.Name).ToArray(), properties.Select(p => p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Number => p.Value.TryGetInt64(out var l) ? (object)l : p.Value.GetDouble(),
            JsonValueKind.True => 1L,
            JsonValueKind.False => 0L,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => p.Value.GetRawText(),
        }).ToArray());
    }
}
