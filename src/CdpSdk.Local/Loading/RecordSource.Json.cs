using System.Text.Json;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Loading;

internal abstract partial class RecordSource
{
    sealed class JsonArraySource(string path, string label) : RecordSource(label)
    {
        public override IReadOnlyList<string> Columns => [];

        /// <summary>A top-level array is streamed element by element; a single object is one record.</summary>
        public override IEnumerable<Record> Read()
        {
            if (!StartsWithArray(path))
            {
                using var stream = File.OpenRead(path);
                using var doc = Parse(Label, 0, () => JsonDocument.Parse(stream));
                yield return FromJson(Label, doc.RootElement, 1);
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
                catch (JsonException e) { throw NotJson(Label, 0, e); }
                yield return FromJson(Label, item, 0);
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

    /// <summary>One JSON object per line; empty lines are skipped, and every error names its 1-based line.</summary>
    sealed class NdjsonSource(string path, string label) : RecordSource(label)
    {
        public override IReadOnlyList<string> Columns => [];

        public override IEnumerable<Record> Read()
        {
            long number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (line.Trim().Length == 0) continue;
                using var doc = Parse(Label, number, () => JsonDocument.Parse(line));
                yield return FromJson(Label, doc.RootElement, number);
            }
        }
    }

    /// <param name="line">The 1-based line the text parsed starts at, or 0 when it is the whole file.</param>
    static JsonDocument Parse(string label, long line, Func<JsonDocument> parse)
    {
        try { return parse(); }
        catch (JsonException e) { throw NotJson(label, line, e); }
    }

    /// <summary>System.Text.Json counts lines and bytes from 0; users (and editors) count from 1.</summary>
    static CdpException NotJson(string label, long line, JsonException e)
    {
        var at = line > 0 ? line : (e.LineNumber ?? -1) + 1;
        var column = (e.BytePositionInLine ?? -1) + 1;
        var what = e.Message;
        if (what.IndexOf(" LineNumber:", StringComparison.Ordinal) is var cut and >= 0) what = what[..cut];
        if (what.IndexOf(" Path: ", StringComparison.Ordinal) is var path and >= 0) what = what[..path];
        return DataFileError.At(LocalErrors.BadDataFile, label, at, column,
            $"not valid JSON{(column > 0 ? $" at byte {column} of the line" : "")}: {what.TrimEnd(' ', '|', '.')}");
    }

    /// <param name="line">Where the record starts, 1-based, or 0 for an element of a JSON array.</param>
    internal static Record FromJson(string label, JsonElement element, long line)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw DataFileError.At(LocalErrors.BadDataFile, label, line, 0, $"a record is a JSON {element.ValueKind.ToString().ToLowerInvariant()}; the file must hold JSON objects, one per record");
        var properties = element.EnumerateObject().ToList();
        return new Record(properties.Select(p => p.Name).ToArray(), properties.Select(p => p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Number => p.Value.TryGetInt64(out var l) ? (object)l : p.Value.GetDouble(),
            JsonValueKind.True => 1L,
            JsonValueKind.False => 0L,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => p.Value.GetRawText(),
        }).ToArray(), line);
    }
}
