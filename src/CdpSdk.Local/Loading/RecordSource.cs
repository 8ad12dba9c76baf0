using System.Globalization;
using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Loading;

/// <summary>
/// One input record: column names and values (NULL for an empty CSV field), in file order, and where it starts (the 1-based line; for
/// the elements of a JSON array, 0). Records of one CSV share one names array, so the loader sees the layout
/// is unchanged by reference, without comparing names per row.
/// </summary>
internal sealed class Record(string[] names, object?[] values, long line = 0, bool isText = false)
{
    public string[] Names => names;

    /// <summary>Every value is the file's text (CSV), typed by the loader; otherwise values are typed by their format (JSON).</summary>
    public bool IsText => isText;

    public object?[] Values => values;

    public long Line => line;

    public object? this[string column] => Array.IndexOf(names, column) is var i and >= 0 ? values[i] : null;
}

/// <summary>How a CSV file is written: the load config's delimiter, quote and charset (Embulk's csv parser).</summary>
internal sealed record CsvDialect(char Delimiter = ',', char Quote = '"', string Charset = "UTF-8")
{
    public static readonly CsvDialect Default = new();

    /// <summary>The parser's columns for a file without a header line (skip_header_lines: 0); empty when the first line is the header.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    public bool IsUtf8 => string.Equals(Charset, "UTF-8", StringComparison.OrdinalIgnoreCase);

    /// <summary>A decoder for <see cref="Charset"/> that throws on bytes the charset does not define, never U+FFFD.</summary>
    public System.Text.Encoding StrictEncoding()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        // Java's names (TD's parser reads them) where .NET knows the code page by number.
        var codePage = Charset.ToLowerInvariant() switch { "windows-31j" or "shift_jis" => 932, "euc-jp" => 51932, "windows-1252" => 1252, "iso-8859-1" => 28591, _ => 0 };
        try
        {
            return codePage > 0
                ? System.Text.Encoding.GetEncoding(codePage, System.Text.EncoderFallback.ExceptionFallback, System.Text.DecoderFallback.ExceptionFallback)
                : System.Text.Encoding.GetEncoding(Charset, System.Text.EncoderFallback.ExceptionFallback, System.Text.DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw new CdpException(LocalErrors.BadTaskParameter, $"Parser charset '{Charset}' is not a character set the Local target can decode.");
        }
    }
}

/// <summary>
/// Streams records from a data file, strictly: a text file is checked to be UTF-8 before it is parsed,
/// and any malformed part (broken quoting, a ragged row, a bad header, invalid JSON, a damaged Parquet file)
/// is a coded error naming the file and, for text, the 1-based line, so nothing is dropped or changed without
/// a word. <see cref="Columns"/> is known before the first record for CSV (its header) and Parquet (its
/// schema) so a file without rows still yields a table. <paramref name="label"/> is the path as the project names it.
/// </summary>
internal abstract partial class RecordSource(string label)
{
    public string Label => label;

    /// <summary>The file has no bytes at all: no header, no records (the loader warns and leaves the table alone).</summary>
    public bool IsEmpty { get; private init; }

    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The type each of <see cref="Columns"/> is declared with in the file (Parquet), or null when only the values tell (CSV, JSON).</summary>
    public virtual IReadOnlyList<DeclaredType>? DeclaredTypes => null;

    public abstract IEnumerable<Record> Read();

    /// <summary>Reads the whole file into temp table <paramref name="name"/> with DuckDB's reader, when that reads it as <see cref="Read"/> would; false to read it record by record.</summary>
    public virtual bool TryStage(DuckDB.NET.Data.DuckDBConnection connection, string name) => false;

    public static RecordSource Open(string path, string label, string format, CsvDialect? dialect = null)
    {
        if (format is not ("csv" or "json" or "ndjson" or "parquet"))
            throw new CdpException(LocalErrors.BadTaskParameter, $"Parser type '{format}' is not supported by the Local target; use csv, json, ndjson or parquet.");
        // A binary format: no text check; a 0-byte file is the same failed export as for the others.
        if (format == "parquet") return new FileInfo(path).Length == 0 ? new EmptySource(label) : new ParquetSource(path, label);
        // UTF-8 is checked byte by byte first; another declared charset is decoded strictly while parsing.
        var csvCharset = format == "csv" && dialect is { IsUtf8: false };
        if ((csvCharset ? new FileInfo(path).Length : TextFileCheck.Check(path, label)) == 0) return new EmptySource(label);
        return format switch
        {
            "csv" => new CsvSource(path, label, dialect ?? CsvDialect.Default),
            "json" => new JsonArraySource(path, label),
            _ => new NdjsonSource(path, label),
        };
    }

    sealed class EmptySource : RecordSource
    {
        public EmptySource(string label) : base(label) => IsEmpty = true;

        public override IReadOnlyList<string> Columns => [];

        public override IEnumerable<Record> Read() => [];
    }
}
