using CdpSdk.Core.Diagnostics;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Loading;

/// <summary>
/// DuckDB's words for a Parquet file it cannot read, as the loader's coded errors: the file as the project
/// names it (DuckDB's message names the machine path, which is replaced), never DuckDB's stack.
/// </summary>
internal static class ParquetErrors
{
    /// <summary>The footer or schema cannot be read: not a Parquet file, truncated, or corrupt metadata.</summary>
    public static CdpException Unreadable(string label, string path, DuckDBException e) =>
        DataFileError.At(LocalErrors.BadParquetFile, label, 0, 0,
            $"not a readable Parquet file ({Words(e, path, label)}); export it again as Parquet, or set Format to the format it is in");

    /// <summary>A value cannot be read or converted: a corrupt page, a binary column that is not UTF-8, an unsigned integer above BIGINT.</summary>
    /// <param name="rowsRead">The rows read whole before it failed (DuckDB reads in chunks, so the bad value is at or after the next one).</param>
    public static CdpException BadValue(string label, string path, long rowsRead, DuckDBException e) =>
        DataFileError.At(LocalErrors.BadParquetValue, label, 0, 0,
            $"{(rowsRead > 0 ? $"after {rowsRead} good rows, " : "")}a value cannot be read ({Words(e, path, label)}); the file is damaged or holds a value the warehouse type of its column cannot hold (see CDP3028 in docs/errors.md)");

    /// <summary>The first line of DuckDB's message only: its "LINE 1:" points into the loader's own SELECT, not into the file.</summary>
    static string Words(DuckDBException e, string path, string label) =>
        e.Message.Split('\n')[0].Trim().Replace(path, label, StringComparison.Ordinal).TrimEnd('.');
}
