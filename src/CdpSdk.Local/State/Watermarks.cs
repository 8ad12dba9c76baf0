using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.State;

/// <summary>The highest incremental-column value loaded per table, so a rerun only adds newer rows.</summary>
internal sealed class Watermarks(SystemDb db)
{
    const string Get_ = $"SELECT value FROM {SystemDb.Alias}.watermarks WHERE database_name = $d AND table_name = $t AND column_name = $c";
    const string Set_ = $"INSERT OR REPLACE INTO {SystemDb.Alias}.watermarks (database_name, table_name, column_name, value, updated_at) VALUES ($d, $t, $c, $v, $now)";

    public string? Get(string database, string table, string column)
    {
        using var connection = db.Open();
        return Get(connection, database, table, column);
    }

    /// <summary>The watermark read on a task's connection (the system tables are in the same file).</summary>
    public static string? Get(DuckDBConnection connection, string database, string table, string column) =>
        Sql.Scalar(connection, Get_, ("$d", database), ("$t", table), ("$c", column)) as string;

    /// <summary>Sets the watermark in the connection's transaction, the one that loads the rows it covers.</summary>
    public static void Set(DuckDBConnection connection, string database, string table, string column, string value) =>
        Sql.Execute(connection, Set_, ("$d", database), ("$t", table), ("$c", column), ("$v", value), ("$now", SystemDb.Now()));

    public void Set(string database, string table, string column, string value)
    {
        using var connection = db.Open();
        Set(connection, database, table, column, value);
    }
}
