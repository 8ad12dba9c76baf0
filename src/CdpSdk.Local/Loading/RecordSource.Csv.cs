using CsvHelper;

namespace CdpSdk.Local.Loading;

internal abstract partial class RecordSource
{
    /// <summary>TD's longest column name; a longer "name" means the first line is not a header.</summary>
    const int MaxColumnName = 128;

    /// <summary>
    /// A CSV file with a header line. Strict where CsvHelper would recover: broken quoting (which could
    /// swallow the rest of the file into one field) and rows with more or fewer fields than the header
    /// are errors at their line, not values silently dropped or padded.
    /// </summary>
    sealed class CsvSource : RecordSource
    {
        readonly string _path;
        readonly CsvDialect _dialect;
        readonly string[] _header;

        public CsvSource(string path, string label, CsvDialect dialect) : base(label)
        {
            _path = path;
            _dialect = dialect;
            if (dialect.Columns.Count > 0) _header = [.. dialect.Columns];
            else
            {
                using var csv = Reader();
                _header = Guard(() => csv.Headers.ToArray());
                CheckHeader();
            }
        }

        public override IReadOnlyList<string> Columns => _header;

        public override IEnumerable<Record> Read()
        {
            using var csv = Reader();
            while (Guard(csv.Read))
            {
                if (csv.FieldCount != _header.Length)
                    throw DataFileError.At(LocalErrors.RaggedRow, Label, csv.LineNumber, 0,
                        $"the row has {csv.FieldCount} fields, the header has {_header.Length} ({string.Join(", ", _header)}); " +
                        "every row needs one field per header column (quote fields that contain the delimiter)");
                var values = new object?[_header.Length];
                for (var i = 0; i < _header.Length; i++) values[i] = csv.GetString(i) is { Length: > 0 } text ? text : null;
                yield return new Record(_header, values, csv.LineNumber, isText: true);
            }
        }

        public override bool TryStage(DuckDB.NET.Data.DuckDBConnection connection, string name) =>
            CsvStaging.TryStage(connection, name, _path, _header, _dialect);

        void CheckHeader()
        {
            if (_header.Length == 0)
                throw DataFileError.At(LocalErrors.BadHeader, Label, 1, 0, "the file has no header line (only empty lines); the first line must name the columns");
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < _header.Length; i++)
            {
                var name = _header[i];
                if (name.Trim().Length == 0)
                    throw DataFileError.At(LocalErrors.BadHeader, Label, 1, i + 1, $"field {i + 1} of the header has no column name");
                if (name.Length > MaxColumnName)
                    throw DataFileError.At(LocalErrors.BadHeader, Label, 1, i + 1,
                        $"field {i + 1} of the header is {name.Length:N0} characters long, more than a column name can be ({MaxColumnName}); the first line must be the header naming the columns");
                // Column names are case-insensitive in the warehouse: Email and email would be one column.
                if (!seen.TryAdd(name, i + 1))
                    throw DataFileError.At(LocalErrors.BadHeader, Label, 1, i + 1, $"the header names the column '{name}' twice (fields {seen[name]} and {i + 1})");
            }
        }

        /// <summary>CsvHelper's malformed-input exception as a coded error at its line.</summary>
        T Guard<T>(Func<T> read)
        {
            try { return read(); }
            catch (System.Text.DecoderFallbackException e)
            {
                var bytes = string.Join(" ", (e.BytesUnknown ?? []).Select(b => $"0x{b:X2}"));
                throw DataFileError.At(LocalErrors.NotUtf8Text, Label, 0, 0,
                    $"holds bytes that are not {_dialect.Charset} text ({bytes}); set the CdpObject's Encoding to the file's character set");
            }
            catch (CsvFormatException e)
            {
                var what = e.Message;
                // "Malformed CSV in record 5 (line 5): a quoted field that is never closed (byte offset 33)."
                if (what.IndexOf("): ", StringComparison.Ordinal) is var at and >= 0) what = what[(at + 3)..];
                if (what.LastIndexOf(" (byte offset", StringComparison.Ordinal) is var cut and >= 0) what = what[..cut];
                throw DataFileError.At(LocalErrors.MalformedCsv, Label, e.LineNumber, 0,
                    $"{what.TrimEnd('.')} (quote character {_dialect.Quote}); close the quote, or double a quote that is part of a value");
            }
        }

        // Spaces are data here: staging trims them, and the sample shows why. The separator is the declared
        // one: guessing it from the first lines would read a file in another dialect as one wide column.
        CsvReader Reader() => _dialect.IsUtf8
            ? CsvReader.FromFile(_path, Options())
            : CsvReader.Create(new StreamReader(_path, _dialect.StrictEncoding(), detectEncodingFromByteOrderMarks: false), Options(), false);

        CsvReaderOptions Options() => new()
        {
            TrimWhitespace = false,
            Separator = _dialect.Delimiter,
            Quote = _dialect.Quote,
            TrackLineNumbers = true,
            HasHeader = _dialect.Columns.Count == 0,
            MalformedData = CsvMalformedDataHandling.Throw,
            // One record larger than this is an unclosed quote running through the file, not data.
            MaxRecordSize = 64 << 20,
        };
    }
}
