using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Loading;

/// <summary>
/// DuckDB's own CSV reader stages a UTF-8 file as text columns several times faster than parsing it in C#
/// and appending the values (it reads on every core). It is only the fast way of reading a file the strict
/// reader would accept the same: any file DuckDB refuses (a ragged row, broken quoting, a line too long …)
/// is read again by <see cref="RecordSource"/>, whose error names the line; so is a file with a quote where
/// RFC 4180 allows none, which DuckDB would take as text (<see cref="QuotePlacement"/>). It runs before the load's
/// transaction, because a failed statement aborts a DuckDB transaction and nothing could be read after it.
/// </summary>
internal static class CsvStaging
{
    /// <summary>The file as temp table <paramref name="name"/> (one VARCHAR column per header name, NULL for an empty field), or false when DuckDB refuses it.</summary>
    public static bool TryStage(DuckDBConnection connection, string name, string path, IReadOnlyList<string> header, CsvDialect dialect)
    {
        if (!dialect.IsUtf8 || header.Count == 0 || !QuotePlacement.IsStrict(path, dialect.Delimiter, dialect.Quote)) return false;
        var columns = string.Join(", ", header.Select(h => $"{Sql.Literal(h)}: 'VARCHAR'"));
        var quote = Sql.Literal(dialect.Quote.ToString());
        // RFC 4180 as the strict reader reads it: a doubled quote inside quotes is one quote, no other escape;
        // spaces are data; a missing or extra field is an error, never padded or dropped.
        var read = $"read_csv({Sql.Literal(path)}, header = {(dialect.Columns.Count == 0 ? "true" : "false")}, auto_detect = false, " +
                   $"columns = {{{columns}}}, delim = {Sql.Literal(dialect.Delimiter.ToString())}, quote = {quote}, escape = {quote}, " +
                   "strict_mode = true, null_padding = false, ignore_errors = false, encoding = 'utf-8')";
        try
        {
            Sql.Execute(connection, $"CREATE OR REPLACE TEMP TABLE {Sql.Quote(name)} AS SELECT * FROM {read}");
            return true;
        }
        catch (DuckDBException)
        {
            Sql.Execute(connection, $"DROP TABLE IF EXISTS temp.{Sql.Quote(name)}");
            return false;
        }
    }
}
