namespace CdpSdk.Local.Loading;

/// <summary>
/// How a Parquet column (as DuckDB's reader types it) becomes a warehouse column, following what TD's loader
/// (embulk-output-td) stores: integers of any width are BIGINT, floating point and DECIMAL are DOUBLE (TD
/// has no decimal type), booleans are 1/0 (its default_boolean_type_convert_to: long), strings stay VARCHAR
/// exactly as written (a string column of "00123" keeps its zeros: the file's type decides, not the
/// value's look), timestamps are UTC text 'yyyy-MM-dd HH:mm:ss.ffffff' (its default_timestamp_format,
/// %Y-%m-%d %H:%M:%S.%6N), dates 'yyyy-MM-dd', lists, structs and maps JSON text (as the JSON loader
/// keeps nested values). A binary column without the UTF8 annotation (what older Spark and Hive write for
/// strings) is decoded as UTF-8, strictly.
/// </summary>
internal static class ParquetTypes
{
    /// <param name="Name">The column's name in the file.</param>
    /// <param name="FileType">DuckDB's name of the file's type (BIGINT, DECIMAL(10,2), TIMESTAMP WITH TIME ZONE …), for messages.</param>
    /// <param name="WarehouseType">BIGINT, DOUBLE or VARCHAR.</param>
    /// <param name="Select">The expression reading the column as that type.</param>
    internal sealed record Column(string Name, string FileType, string WarehouseType, string Select);

    public static Column Map(string name, string fileType)
    {
        var c = Warehouse.Sql.Quote(name);
        var type = fileType.ToUpperInvariant();
        var (warehouse, select) = type switch
        {
            "BOOLEAN" or "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "UTINYINT" or "USMALLINT" or "UINTEGER"
                // UBIGINT and HUGEINT values above BIGINT's range fail the cast: an error, never a wrapped number.
                or "UBIGINT" or "HUGEINT" or "UHUGEINT" => ("BIGINT", $"CAST({c} AS BIGINT)"),
            "FLOAT" or "DOUBLE" => ("DOUBLE", $"CAST({c} AS DOUBLE)"),
            _ when type.StartsWith("DECIMAL", StringComparison.Ordinal) => ("DOUBLE", $"CAST({c} AS DOUBLE)"),
            "VARCHAR" => ("VARCHAR", c),
            "BLOB" => ("VARCHAR", $"decode({c})"),
            "DATE" => ("VARCHAR", $"strftime({c}, '%Y-%m-%d')"),
            _ when type.StartsWith("TIMESTAMP", StringComparison.Ordinal) => ("VARCHAR", $"strftime(CAST({c} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')"),
            _ when IsNested(type) => ("VARCHAR", $"CAST(to_json({c}) AS VARCHAR)"),
            // TIME, INTERVAL, UUID, ENUM: their text form.
            _ => ("VARCHAR", $"CAST({c} AS VARCHAR)"),
        };
        return new Column(name, fileType, warehouse, $"{select} AS {c}");
    }

    static bool IsNested(string type) => type.EndsWith(']') || type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal) || type.StartsWith("UNION", StringComparison.Ordinal);
}
